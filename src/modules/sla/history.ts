import type { Executor } from '../../platform/db.js';
import type { Plan, Priority, Status } from '../../platform/db-types.js';
import type { HistoryEvent, SlaContext } from './clocks.js';

interface StoredContext {
  plan: Plan;
  time_zone: string | null;
}

/**
 * Rebuilds what the clocks need from a ticket's audits: creation, public comments (by agent or
 * customer), status changes, and every change of priority, plan or time zone. Within one audit,
 * comments come before the status change they caused (a reply then "pending"; a customer reply then
 * "open"). The creation audit's comment is the request itself, not a reply.
 */
export async function loadHistory(db: Executor, ticketId: number): Promise<HistoryEvent[]> {
  // One statement: each audit with its events (none for an audit that only carries metadata).
  const rows = await db
    .selectFrom('ticket_audits')
    .leftJoin('ticket_audit_events', 'ticket_audit_events.audit_id', 'ticket_audits.id')
    .leftJoin('ticket_comments', 'ticket_comments.id', 'ticket_audit_events.comment_id')
    .leftJoin('users', 'users.id', 'ticket_comments.author_id')
    .select(['ticket_audits.id', 'ticket_audits.created_at', 'ticket_audits.metadata', 'ticket_audit_events.type', 'ticket_audit_events.field_name', 'ticket_audit_events.value', 'ticket_comments.public', 'users.role'])
    .where('ticket_audits.ticket_id', '=', ticketId)
    .orderBy('ticket_audits.id')
    .orderBy('ticket_audit_events.id')
    .execute();
  const audits: { id: number; created_at: Date; metadata: unknown; events: typeof rows }[] = [];
  for (const row of rows) {
    if (audits.at(-1)?.id !== row.id) audits.push({ id: row.id, created_at: row.created_at, metadata: row.metadata, events: [] });
    if (row.type !== null) audits.at(-1)!.events.push(row);
  }

  const history: HistoryEvent[] = [];
  let sla: SlaContext | null = null;
  for (const [index, audit] of audits.entries()) {
    const mine = audit.events;
    const stored = (audit.metadata as { sla?: StoredContext }).sla;
    const field = (name: string) => mine.find((e) => (e.type === 'Create' || e.type === 'Change') && e.field_name === name)?.value as unknown;
    if (index === 0) {
      sla = { plan: stored?.plan ?? 'free', timeZone: stored?.time_zone ?? null, priority: (field('priority') as Priority | undefined) ?? null };
      history.push({ at: audit.created_at, kind: 'created', status: ((field('status') as Status | undefined) ?? 'new') as Status, sla });
      continue;
    }
    for (const e of mine) if (e.type === 'Comment' && e.public) history.push({ at: audit.created_at, kind: 'comment', public: true, byAgent: e.role !== 'end-user' });
    const status = field('status') as Status | undefined;
    if (status && (status as string) !== 'deleted') history.push({ at: audit.created_at, kind: 'status', to: status });
    const priority = field('priority') as Priority | null | undefined;
    const next: SlaContext = { plan: stored?.plan ?? sla!.plan, timeZone: stored ? stored.time_zone : sla!.timeZone, priority: priority !== undefined ? priority : sla!.priority };
    if (next.plan !== sla!.plan || next.timeZone !== sla!.timeZone || next.priority !== sla!.priority) {
      sla = next;
      history.push({ at: audit.created_at, kind: 'retarget', sla });
    }
  }
  return history;
}
