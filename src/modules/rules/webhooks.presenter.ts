import type { Selectable } from 'kysely';
import type { WebhookAttemptsTable, WebhookInvocationsTable } from '../../platform/db-types.js';
import { iso } from '../accounts/users.presenter.js';
import type { Webhook } from './webhook-delivery.js';

/** Zendesk's webhook object; credentials are write-only and the signing secret has its own endpoint. */
export function presentWebhook(w: Webhook) {
  return {
    id: w.id,
    name: w.name,
    description: w.description,
    status: w.status,
    endpoint: w.endpoint,
    http_method: w.http_method,
    request_format: w.request_format,
    subscriptions: w.subscriptions,
    authentication: w.authentication ? { type: w.authentication.type, add_position: w.authentication.add_position } : null,
    custom_headers: w.custom_headers,
    external_source: null,
    created_at: iso(w.created_at),
    created_by: w.created_by === null ? '-1' : String(w.created_by),
    updated_at: iso(w.updated_at),
    updated_by: w.updated_by === null ? '-1' : String(w.updated_by),
  };
}

export const presentSigningSecret = (w: Webhook) => ({ signing_secret: { algorithm: 'SHA256', secret: w.signing_secret } });

/** One invocation: what called the webhook and how its delivery ended (null while still being tried). */
export function presentInvocation(i: Selectable<WebhookInvocationsTable>) {
  return {
    id: i.id,
    webhook_id: i.webhook_id,
    source: { event_type: i.event_type, ticket_id: i.ticket_id, trigger_id: i.trigger_id },
    status: i.status,
    attempts: i.attempts,
    latest_completion_status: i.status === 'pending' ? null : i.status,
    latest_completion_status_code: i.last_status_code,
    latest_completion_timestamp: iso(i.completed_at),
    created_at: iso(i.created_at),
  };
}

const headerList = (h: Record<string, string> | null) => Object.entries(h ?? {}).map(([key, value]) => ({ key, value }));

/** One try: the request sent (credentials filtered) and the answer, or the error when there was none. */
export function presentAttempt(a: Selectable<WebhookAttemptsTable>) {
  return {
    id: String(a.id),
    invocation_id: a.invocation_id,
    attempt: a.attempt,
    status: a.status,
    request: { headers: headerList(a.request_headers), payload: a.request_body },
    response: a.response_status === null ? null : { status: a.response_status, headers: headerList(a.response_headers), payload: a.response_body },
    error: a.error,
    duration_ms: a.duration_ms,
    completed_at: iso(a.completed_at),
  };
}
