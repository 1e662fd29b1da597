import { createHmac } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { AppContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db.js';
import type { WebhookAuthentication, WebhooksTable } from '../../platform/db-types.js';
import { OutboundBlocked, sendOutbound, type OutboundExchange } from '../../platform/outbound-http.js';
import { renderPlaceholders, type PlaceholderEscape } from './placeholders.js';
import { ulid } from './ulid.js';

export type Webhook = Selectable<WebhooksTable>;

/** Tries of one invocation: the first plus the webhooks.deliver queue's retries (src/platform/jobs.ts). */
export const MAX_ATTEMPTS = 9;
const TIMEOUT_MS = 10_000;

/** Zendesk's signature: base64(HMAC-SHA256(secret, timestamp + body)), the secret used as given. */
export const signWebhook = (secret: string, timestamp: string, body: string) => createHmac('sha256', secret).update(timestamp + body).digest('base64');

/** Seconds-precision UTC, the form of X-Zendesk-Webhook-Signature-Timestamp. */
const signatureTimestamp = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

const CONTENT_TYPES = { json: 'application/json', xml: 'application/xml', form_encoded: 'application/x-www-form-urlencoded' } as const;

/** Key/value pairs a body names: a JSON object or Zendesk's [[key, value], ...] list; else null. */
function pairsOf(body: string): [string, string][] | null {
  if (!body.trim()) return [];
  try {
    const parsed = JSON.parse(body) as unknown;
    if (Array.isArray(parsed) && parsed.every((p) => Array.isArray(p) && p.length === 2)) return parsed.map(([k, v]) => [String(k), typeof v === 'string' ? v : JSON.stringify(v)]);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]);
  } catch {
    // not JSON: sent as written
  }
  return null;
}

export interface WebhookRequest {
  url: string;
  method: Webhook['http_method'];
  headers: Record<string, string>;
  body: string;
  /** Header names whose values are credentials, kept out of the attempt log. */
  secretHeaders: string[];
}

function authHeaders(auth: WebhookAuthentication | null): { headers: Record<string, string>; secret: string[] } {
  if (!auth) return { headers: {}, secret: [] };
  switch (auth.type) {
    case 'basic_auth':
      return { headers: { authorization: `Basic ${Buffer.from(`${auth.data.username ?? ''}:${auth.data.password ?? ''}`).toString('base64')}` }, secret: ['authorization'] };
    case 'bearer_token':
      return { headers: { authorization: `Bearer ${auth.data.token ?? ''}` }, secret: ['authorization'] };
    case 'api_key':
      return { headers: { [String(auth.data.name).toLowerCase()]: auth.data.value ?? '' }, secret: [String(auth.data.name).toLowerCase()] };
  }
}

/**
 * The HTTP request of one invocation, signed as Zendesk signs it. GET and DELETE carry no body (key
 * and value pairs go to the query string, the signature covers the empty body); form-encoded
 * webhooks encode pairs; JSON and XML bodies go as rendered.
 */
export function buildWebhookRequest(w: Pick<Webhook, 'id' | 'endpoint' | 'http_method' | 'request_format' | 'authentication' | 'custom_headers' | 'signing_secret'>, invocationId: string, rendered: string, now: Date): WebhookRequest {
  const url = new URL(w.endpoint);
  let body = rendered;
  const pairs = pairsOf(rendered);
  if (w.http_method === 'GET' || w.http_method === 'DELETE') {
    for (const [k, v] of pairs ?? []) url.searchParams.append(k, v);
    body = '';
  } else if (w.request_format === 'form_encoded' && pairs) {
    body = new URLSearchParams(pairs).toString();
  }
  const timestamp = signatureTimestamp(now);
  const auth = authHeaders(w.authentication);
  const headers: Record<string, string> = {
    ...Object.fromEntries(Object.entries(w.custom_headers).map(([k, v]) => [k.toLowerCase(), v])),
    ...auth.headers,
    ...(body ? { 'content-type': CONTENT_TYPES[w.request_format] } : {}),
    'user-agent': 'Sundial Webhook',
    'x-zendesk-webhook-id': w.id,
    'x-zendesk-webhook-invocation-id': invocationId,
    'x-zendesk-webhook-signature-timestamp': timestamp,
    'x-zendesk-webhook-signature': signWebhook(w.signing_secret, timestamp, body),
  };
  return { url: url.toString(), method: w.http_method, headers, body, secretHeaders: auth.secret };
}

/** How placeholders are escaped in a body of this format, so the rendered body stays well-formed. */
export function bodyEscape(format: Webhook['request_format'], template: string): PlaceholderEscape {
  if (format === 'xml') return 'html';
  return format === 'json' || /^\s*[[{]/.test(template) ? 'json' : 'text';
}

/**
 * Records an invocation of an active webhook subscribed to trigger events and enqueues its delivery,
 * in the caller's transaction. Returns its id, or null when the webhook is gone or inactive.
 */
export async function queueWebhookInvocation(
  tx: Executor,
  ctx: AppContext,
  a: { webhookId: string; template: string; values: Record<string, string>; ticketId: number; triggerId: number; auditId: number },
): Promise<string | null> {
  const w = await tx.selectFrom('webhooks').select(['id', 'status', 'request_format', 'subscriptions']).where('id', '=', a.webhookId).executeTakeFirst();
  if (!w || w.status !== 'active' || !w.subscriptions.includes('conditional_ticket_events')) return null;
  const id = ulid();
  const body = renderPlaceholders(a.template, a.values, bodyEscape(w.request_format, a.template));
  await tx.insertInto('webhook_invocations').values({ id, webhook_id: w.id, ticket_id: a.ticketId, trigger_id: a.triggerId, audit_id: a.auditId, body }).execute();
  await ctx.jobs.send('webhooks.deliver', { invocationId: id }, { tx });
  return id;
}

/** 5xx, 409 (conflict), 429 (rate limited) and no answer at all are worth another try; other answers are final. */
const retryable = (status: number | null) => status === null || status >= 500 || status === 409 || status === 429;

/** Sends a request; a network failure or timeout comes back as `error` with no status. */
export async function sendWebhookRequest(req: WebhookRequest, allowPrivate: boolean): Promise<{ res: OutboundExchange | null; error: Error | null; ms: number }> {
  const started = Date.now();
  try {
    const res = await sendOutbound(req.url, { method: req.method, body: req.body || null, headers: req.headers, allowPrivate, timeoutMs: TIMEOUT_MS });
    return { res, error: null, ms: Date.now() - started };
  } catch (e) {
    return { res: null, error: e as Error, ms: Date.now() - started };
  }
}

/**
 * Delivers one invocation (the webhooks.deliver job): each try is logged as an attempt. A retryable
 * failure is rethrown so the queue tries again with backoff, up to MAX_ATTEMPTS; a blocked address
 * or a final answer ends the invocation at once.
 */
export async function deliverWebhook(ctx: AppContext, invocationId: string): Promise<void> {
  const row = await ctx.db
    .selectFrom('webhook_invocations as i')
    .innerJoin('webhooks as w', 'w.id', 'i.webhook_id')
    .select(['i.id', 'i.status', 'i.attempts', 'i.body', 'w.id as webhook_id', 'w.endpoint', 'w.http_method', 'w.request_format', 'w.authentication', 'w.custom_headers', 'w.signing_secret', 'w.status as webhook_status'])
    .where('i.id', '=', invocationId)
    .executeTakeFirst();
  if (!row || row.status !== 'pending') return;
  const attempt = row.attempts + 1;
  const req = buildWebhookRequest({ ...row, id: row.webhook_id }, row.id, row.body, new Date());
  const { res, error, ms } = row.webhook_status === 'active' ? await sendWebhookRequest(req, ctx.config.webhookAllowPrivate) : { res: null, error: new Error('The webhook was deactivated'), ms: 0 };
  const ok = !!res && res.status >= 200 && res.status < 300;
  const final = ok || error instanceof OutboundBlocked || row.webhook_status !== 'active' || !retryable(res?.status ?? null) || attempt >= MAX_ATTEMPTS;
  const logged = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, req.secretHeaders.includes(k) ? '[FILTERED]' : v]));
  await ctx.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('webhook_attempts')
      .values({
        invocation_id: row.id,
        attempt,
        status: ok ? 'success' : 'failed',
        request_headers: JSON.stringify(logged),
        request_body: req.body,
        response_status: res?.status ?? null,
        response_headers: res ? JSON.stringify(res.headers) : null,
        response_body: res?.body.slice(0, 10_000) ?? null,
        error: error ? error.message.slice(0, 500) : ok ? null : `HTTP ${res!.status}`,
        duration_ms: ms,
      })
      .onConflict((oc) => oc.columns(['invocation_id', 'attempt']).doNothing())
      .execute();
    await tx
      .updateTable('webhook_invocations')
      .set({ attempts: attempt, last_status_code: res?.status ?? null, ...(final ? { status: ok ? 'success' : 'failed', completed_at: new Date() } : {}) })
      .where('id', '=', row.id)
      .where('status', '=', 'pending')
      .execute();
  });
  if (!final) throw error ?? new Error(`Webhook ${row.webhook_id} answered HTTP ${res!.status}; retrying`);
}
