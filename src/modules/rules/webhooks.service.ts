import { sql } from 'kysely';
import type { Db } from '../../platform/db.js';
import type { WebhookAuthentication } from '../../platform/db-types.js';
import { AppError, notFound, Problems } from '../../platform/errors.js';
import { newSecret } from '../../platform/secrets.js';
import { outboundUrlProblem } from '../../platform/outbound-http.js';
import type { Actor } from '../accounts/actor.js';
import { buildWebhookRequest, sendWebhookRequest, type Webhook } from './webhook-delivery.js';
import type { WebhookInput, WebhookPatch, WebhookTestInput } from './webhooks.schema.js';
import { ulid } from './ulid.js';
import { containsPattern } from './rules.repository.js';
import { recordAdminAction, changeSet } from '../audit-log/audit-log.service.js';
import { applyStringPage, type StringPage } from './string-pages.js';

const AUTH_FIELDS: Record<WebhookAuthentication['type'], string[]> = { basic_auth: ['username', 'password'], bearer_token: ['token'], api_key: ['name', 'value'] };
const RESERVED_HEADERS = /^(authorization|content-type|content-length|host|user-agent|x-zendesk-.*)$/i;
const SUBSCRIPTION = /^(conditional_ticket_events|zen:event-type:[a-z0-9._:-]{1,150})$/;

/**
 * Credentials as stored: data is write-only in the API, so a change that repeats the type without
 * data keeps the saved credentials.
 */
function authenticationOf(given: WebhookInput['authentication'], current: WebhookAuthentication | null, problems: Problems): WebhookAuthentication | null {
  if (given === undefined) return current;
  if (given === null) return null;
  const data = given.data ?? (current?.type === given.type ? current.data : {});
  const missing = AUTH_FIELDS[given.type].filter((k) => !data[k]?.trim());
  if (missing.length) problems.add('authentication', `Authentication: ${given.type} needs data.${missing.join(' and data.')}`, 'BlankValue');
  if (given.type === 'api_key' && data.name && (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/.test(data.name) || RESERVED_HEADERS.test(data.name))) {
    problems.add('authentication', 'Authentication: data.name must be an HTTP header name that Sundial does not set itself');
  }
  return { type: given.type, add_position: 'header', data: Object.fromEntries(AUTH_FIELDS[given.type].map((k) => [k, data[k] ?? ''])) };
}

function check(w: { endpoint: string; http_method: string; request_format: string; subscriptions: string[]; custom_headers: Record<string, string> }, allowPrivate: boolean, problems: Problems) {
  const problem = outboundUrlProblem(w.endpoint, allowPrivate);
  if (problem) problems.add('endpoint', `Endpoint: ${problem}`);
  const bad = w.subscriptions.filter((s) => !SUBSCRIPTION.test(s));
  if (bad.length) problems.add('subscriptions', `Subscriptions: ${bad.map((s) => s.slice(0, 60)).join(', ')} not known (use conditional_ticket_events or zen:event-type:...)`);
  if (w.subscriptions.some((s) => s.startsWith('zen:event-type:')) && (w.http_method !== 'POST' || w.request_format !== 'json')) {
    problems.add('subscriptions', 'Subscriptions: webhooks subscribed to events must use POST and json');
  }
  const reserved = Object.keys(w.custom_headers).filter((h) => RESERVED_HEADERS.test(h));
  if (reserved.length) problems.add('custom_headers', `Custom headers: ${reserved.join(', ')} cannot be set (Sundial sets them)`);
}

export async function findWebhook(db: Db, id: string): Promise<Webhook> {
  const w = await db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
  if (!w) throw notFound();
  return w;
}

/** Creates a webhook with a fresh signing secret (admins). */
export async function createWebhook(db: Db, actor: Actor, input: WebhookInput, allowPrivate: boolean): Promise<Webhook> {
  const problems = new Problems();
  const values = {
    name: input.name,
    description: input.description ?? null,
    status: input.status ?? 'active',
    endpoint: input.endpoint,
    http_method: input.http_method,
    request_format: input.request_format,
    subscriptions: input.subscriptions ?? ['conditional_ticket_events'],
    custom_headers: input.custom_headers ?? {},
  } as const;
  const authentication = authenticationOf(input.authentication, null, problems);
  check(values, allowPrivate, problems);
  problems.throwIfAny();
  return db.transaction().execute(async (tx) => {
    const webhook = await tx
      .insertInto('webhooks')
      .values({
        id: ulid(),
        ...values,
        subscriptions: [...values.subscriptions],
        custom_headers: JSON.stringify(values.custom_headers),
        authentication: authentication ? JSON.stringify(authentication) : null,
        signing_secret: newSecret(),
        created_by: actor.user.id,
        updated_by: actor.user.id,
        updated_at: new Date(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAdminAction(tx, { action: 'create', sourceType: 'webhook', sourceLabel: `${webhook.name} (${webhook.id})`, change: 'Webhook created', after: webhookSummary(webhook) });
    return webhook;
  });
}

/** What the audit log keeps of a webhook (never its credentials or signing secret). */
const webhookSummary = (w: Webhook) => ({ name: w.name, status: w.status, endpoint: w.endpoint, http_method: w.http_method, subscriptions: w.subscriptions });

/** PUT replaces the webhook's settings (a missing optional key takes its default); PATCH changes only the keys given. */
export async function updateWebhook(db: Db, actor: Actor, id: string, patch: WebhookPatch, mode: 'put' | 'patch', allowPrivate: boolean): Promise<Webhook> {
  const current = await findWebhook(db, id);
  const problems = new Problems();
  const pick = <K extends keyof WebhookPatch>(k: K, fallback: NonNullable<WebhookPatch[K]> | null, keep: unknown) => (patch[k] !== undefined ? patch[k] : mode === 'put' ? fallback : keep);
  const next = {
    name: patch.name ?? current.name,
    description: pick('description', null, current.description) as string | null,
    status: pick('status', 'active', current.status) as Webhook['status'],
    endpoint: patch.endpoint ?? current.endpoint,
    http_method: patch.http_method ?? current.http_method,
    request_format: patch.request_format ?? current.request_format,
    subscriptions: pick('subscriptions', ['conditional_ticket_events'], current.subscriptions) as string[],
    custom_headers: (pick('custom_headers', {}, current.custom_headers) ?? {}) as Record<string, string>,
  };
  const authentication = authenticationOf(mode === 'put' && patch.authentication === undefined ? null : patch.authentication, current.authentication, problems);
  check(next, allowPrivate, problems);
  problems.throwIfAny();
  return db.transaction().execute(async (tx) => {
    const updated = await tx
      .updateTable('webhooks')
      .set({ ...next, custom_headers: JSON.stringify(next.custom_headers), authentication: authentication ? JSON.stringify(authentication) : null, updated_by: actor.user.id, updated_at: new Date() })
      .where('id', '=', current.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAdminAction(tx, { action: 'update', sourceType: 'webhook', sourceLabel: `${updated.name} (${updated.id})`, ...changeSet(webhookSummary(current), webhookSummary(updated)) });
    return updated;
  });
}

/** Deletes a webhook unless an active trigger still calls it (Zendesk refuses that too). */
export async function deleteWebhook(db: Db, id: string): Promise<void> {
  const w = await findWebhook(db, id);
  const users = await db
    .selectFrom('triggers')
    .select(['id', 'title'])
    .where('active', '=', true)
    .where((eb) =>
      eb.or(['notification_webhook', 'notify_webhook'].map((field) => eb(sql`actions`, '@>', sql<unknown>`${JSON.stringify([{ field, value: [w.id] }])}::jsonb`))),
    )
    .execute();
  if (users.length) {
    throw new AppError('RecordInvalid', 'Record validation errors', {
      webhook: [{ description: `Webhook: is used by active triggers (${users.map((t) => `${t.id} "${t.title}"`).join(', ')}); deactivate or change them first`, error: 'InUse' }],
    });
  }
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('webhooks').where('id', '=', w.id).execute();
    await recordAdminAction(tx, { action: 'destroy', sourceType: 'webhook', sourceLabel: `${w.name} (${w.id})`, change: 'Webhook deleted', before: webhookSummary(w) });
  });
}

export async function resetSigningSecret(db: Db, actor: Actor, id: string): Promise<Webhook> {
  const w = await findWebhook(db, id);
  return db.transaction().execute(async (tx) => {
    const updated = await tx.updateTable('webhooks').set({ signing_secret: newSecret(), updated_by: actor.user.id, updated_at: new Date() }).where('id', '=', w.id).returningAll().executeTakeFirstOrThrow();
    await recordAdminAction(tx, { action: 'secret_reset', sourceType: 'webhook', sourceLabel: `${w.name} (${w.id})`, change: 'Signing secret replaced' });
    return updated;
  });
}

/**
 * `POST /webhooks/test`: sends one request now and answers with what the endpoint said. With a
 * webhook id, its signing secret (and saved credentials when none are given) are used.
 */
export async function testWebhook(db: Db, input: WebhookTestInput, webhookId: string | undefined, allowPrivate: boolean) {
  const saved = webhookId ? await findWebhook(db, webhookId) : null;
  const r = input.request;
  const problems = new Problems();
  const authentication = authenticationOf(r.authentication, r.authentication === undefined ? (saved?.authentication ?? null) : null, problems);
  const headers = { ...(r.custom_headers ?? {}), ...Object.fromEntries((r.headers ?? []).map((h) => [h.key, h.value])) };
  check({ ...r, subscriptions: [], custom_headers: headers }, allowPrivate, problems);
  problems.throwIfAny();
  const req = buildWebhookRequest(
    { id: saved?.id ?? 'test', endpoint: r.endpoint, http_method: r.http_method, request_format: r.request_format, authentication, custom_headers: headers, signing_secret: saved?.signing_secret ?? newSecret() },
    ulid(),
    r.payload ?? '',
    new Date(),
  );
  const { res, error } = await sendWebhookRequest(req, allowPrivate);
  if (!res) return { response: { status: null, headers: [], body: '', error: error?.message ?? 'no answer' } };
  return { response: { status: res.status, headers: Object.entries(res.headers).map(([key, value]) => ({ key, value })), body: res.body } };
}

/** Webhooks by id (creation order), optionally by name substring and status. */
export function listWebhooks(db: Db, f: { nameContains?: string; status?: Webhook['status'] }, page: StringPage) {
  let q = db.selectFrom('webhooks').selectAll();
  if (f.nameContains) q = q.where('name', 'ilike', containsPattern(f.nameContains));
  if (f.status) q = q.where('status', '=', f.status);
  return applyStringPage(q, 'id', page).execute();
}

/** A webhook's invocations, newest first unless the page says otherwise. */
export async function listInvocations(db: Db, webhookId: string, f: { status?: 'pending' | 'success' | 'failed'; from?: Date; to?: Date }, page: StringPage) {
  const webhook = await findWebhook(db, webhookId);
  let q = db.selectFrom('webhook_invocations').selectAll().where('webhook_id', '=', webhook.id);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.from) q = q.where('created_at', '>=', f.from);
  if (f.to) q = q.where('created_at', '<=', f.to);
  return applyStringPage(q, 'id', page).execute();
}

/** The tries of one invocation of a webhook, in order. */
export async function listAttempts(db: Db, webhookId: string, invocationId: string) {
  const webhook = await findWebhook(db, webhookId);
  const invocation = await db.selectFrom('webhook_invocations').select('id').where('id', '=', invocationId).where('webhook_id', '=', webhook.id).executeTakeFirst();
  if (!invocation) throw notFound();
  return db.selectFrom('webhook_attempts').selectAll().where('invocation_id', '=', invocation.id).orderBy('attempt').execute();
}
