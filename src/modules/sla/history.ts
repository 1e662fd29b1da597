import { sql } from 'kysely';
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
export async function loadHistory(db: Executor, ticketId: number, stampAuditId?: number): Promise<HistoryEvent[]> {
  // Records on the audit that caused this replay the plan and time zone its ticket has now (later
  // replays read them), in the statement that reads the history: the read takes the stamped metadata.
  const stamp =
    stampAuditId === undefined
      ? null
      : sql`UPDATE ticket_audits SET metadata = metadata || (SELECT jsonb_build_object('sla', jsonb_build_object('plan', coalesce(o.support_plan, 'free'), 'time_zone', o.time_zone))
          FROM tickets t LEFT JOIN organizations o ON o.id = t.organization_id WHERE t.id = ${ticketId})
        WHERE id = ${stampAuditId} RETURNING id, metadata`;
  // One statement: each audit with its events (none for an audit that only carries metadata).
  const { rows } = await sql<{ id: number; created_at: Date; metadata: unknown; type: string | null; field_name: string | null; value: unknown; public: boolean | null; role: string | null }>`
    ${stamp ? sql`WITH stamped AS (${stamp})` : sql``}
    SELECT a.id, a.created_at, ${stamp ? sql`coalesce((SELECT s.metadata FROM stamped s WHERE s.id = a.id), a.metadata)` : sql`a.metadata`} AS metadata,
      e.type, e.field_name, e.value, c.public, u.role
    FROM ticket_audits a
    LEFT JOIN ticket_audit_events e ON e.audit_id = a.id
    LEFT JOIN ticket_comments c ON c.id = e.comment_id
    LEFT JOIN users u ON u.id = c.author_id
    WHERE a.ticket_id = ${ticketId}
    ORDER BY a.id, e.id`.execute(db);
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
