import type { Executor } from '../../platform/db.js';
import { currentAuditSource, type AuditSource } from './audit-context.js';

/** What kinds of objects the log names (`source_type`, Zendesk's vocabulary where it has one). */
export type AuditSourceType =
  | 'user'
  | 'sla_policy'
  | 'business_schedule'
  | 'routing_settings'
  | 'region'
  | 'trigger'
  | 'macro'
  | 'organization'
  | 'group'
  | 'webhook'
  | 'paging_target'
  | 'on_call_schedule'
  | 'ticket_form'
  | 'ticket_field'
  | 'help_center_category'
  | 'help_center_section'
  | 'api_token'
  | 'oauth_client'
  | 'oauth_token'
  | 'export'
  | 'two_factor'
  | 'security_settings';

export interface AdminAction {
  /** `create`, `update`, `destroy`, `role_change`, `suspend`, `export`, `reset`, … */
  action: string;
  sourceType: AuditSourceType;
  sourceId?: number | null;
  /** A human name of the object at the time (its title, email, …). */
  sourceLabel?: string;
  /** One line a person reads: "Role changed from agent to admin". */
  change?: string;
  /** Short summaries (a few fields), never secrets. */
  before?: unknown;
  after?: unknown;
}

/** What jsonb cannot hold and a request may carry (in a query string, say): U+0000 and lone surrogates. */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** JSON text of a summary with those characters replaced by U+FFFD, in keys and values alike. */
function storableJson(value: unknown): string {
  const clean = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(UNSTORABLE, '\ufffd');
    if (Array.isArray(v)) return v.map(clean);
    if (v && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON !== 'function') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [clean(k) as string, clean(x)]));
    }
    return v;
  };
  return JSON.stringify(clean(value));
}

/**
 * Records one administrative action. Call it with the transaction of the change itself: the entry
 * commits or rolls back with it. Who and from where come from the current request (or command).
 */
export async function recordAdminAction(db: Executor, entry: AdminAction, source: AuditSource = currentAuditSource()): Promise<void> {
  await db
    .insertInto('admin_audit_logs')
    .values({
      actor_id: source.actorId,
      actor_label: source.actorLabel,
      action: entry.action,
      source_type: entry.sourceType,
      source_id: entry.sourceId ?? null,
      source_label: (entry.sourceLabel ?? '').slice(0, 500),
      change_description: (entry.change ?? '').slice(0, 2000),
      before: entry.before === undefined ? null : storableJson(entry.before),
      after: entry.after === undefined ? null : storableJson(entry.after),
      ip_address: source.ip,
      user_agent: source.userAgent,
    })
    .execute();
}

/** "field: a → b" for each field that differs between two summaries. */
export function describeChanges(before: Record<string, unknown>, after: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const key of Object.keys(after)) {
    const a = JSON.stringify(before[key] ?? null);
    const b = JSON.stringify(after[key] ?? null);
    if (a !== b) parts.push(`${key}: ${a} → ${b}`);
  }
  return parts.join('; ');
}

export interface AuditLogFilter {
  sourceType?: string;
  actorId?: number;
  from?: Date;
  to?: Date;
}

/** Entries matching a filter, in id order (ids grow with time), as a slice for pagination. */
export function auditLogQuery(db: Executor, filter: AuditLogFilter) {
  return db
    .selectFrom('admin_audit_logs')
    .selectAll()
    .$if(filter.sourceType !== undefined, (q) => q.where('source_type', '=', filter.sourceType!))
    .$if(filter.actorId !== undefined, (q) => q.where('actor_id', '=', filter.actorId!))
    .$if(filter.from !== undefined, (q) => q.where('created_at', '>=', filter.from!))
    .$if(filter.to !== undefined, (q) => q.where('created_at', '<=', filter.to!));
}

export async function countAuditLogs(db: Executor, filter: AuditLogFilter): Promise<number> {
  const row = await auditLogQuery(db, filter).clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** `change`, `before` and `after` of an update, limited to the fields that changed. */
export function changeSet(before: Record<string, unknown>, after: Record<string, unknown>): Pick<AdminAction, 'change' | 'before' | 'after'> {
  const keys = Object.keys(after).filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null));
  const pick = (o: Record<string, unknown>) => Object.fromEntries(keys.map((k) => [k, o[k] ?? null]));
  return { change: describeChanges(before, after) || 'No visible change', before: pick(before), after: pick(after) };
}
