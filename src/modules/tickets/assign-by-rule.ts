import type { AppContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db.js';
import type { Ticket } from '../../platform/db-types.js';
import { refreshTicketSla } from '../sla/engine.js';
import { AuditWriter } from './audit-writer.js';
import { notifyTicketEvent } from './notifications.js';
import { checkAssignee } from './ticket-parts.js';
import { nextUpdatedAt } from './tickets.repository.js';
import { runTicketWriteHooks } from './write-hooks.js';

/** Rules that assign tickets without a human actor. */
export type AssignmentRule = 'routing' | 'handover';

/** Statuses a rule may assign in; solved and closed tickets are left alone. */
const ASSIGNABLE = new Set<Ticket['status']>(['new', 'open', 'pending', 'hold']);

/**
 * Assigns a ticket on behalf of a rule, inside the caller's transaction: the assignee must be an active
 * agent of the ticket's group (a ticket without a group takes the assignee's default group), and as in
 * the workflow an assignment opens a New ticket. The audit has no author, via `rule` and metadata
 * `{rule, ...}`. Returns the updated ticket, or null when the ticket is gone, solved or closed, already
 * has this assignee, or changed under a compare-and-set on `updated_at`.
 */
export async function assignTicketByRule(
  tx: Executor,
  ctx: AppContext,
  a: { ticketId: number; assigneeId: number; rule: AssignmentRule; metadata?: Record<string, unknown> },
): Promise<Ticket | null> {
  const ticket = await tx.selectFrom('tickets').selectAll().where('id', '=', a.ticketId).where('deleted_at', 'is', null).forUpdate().executeTakeFirst();
  if (!ticket || !ASSIGNABLE.has(ticket.status) || ticket.assignee_id === a.assigneeId) return null;
  const assignee = await checkAssignee(tx, a.assigneeId, ticket.group_id);
  const status = ticket.status === 'new' ? 'open' : ticket.status;
  const updated = await tx
    .updateTable('tickets')
    .set({ assignee_id: assignee.id, group_id: ticket.group_id ?? assignee.default_group_id, status, updated_at: nextUpdatedAt(ticket.updated_at) })
    .where('id', '=', ticket.id)
    .where('updated_at', '=', ticket.updated_at)
    .returningAll()
    .executeTakeFirst();
  if (!updated) return null;

  const audit = new AuditWriter();
  const auditId = await audit.open(tx, ticket.id, null, 'rule', { ...a.metadata, rule: a.rule });
  for (const field of ['assignee_id', 'group_id', 'status'] as const) audit.change(field, ticket[field], updated[field]);
  await audit.flush(tx, auditId);
  if (updated.status !== ticket.status) await refreshTicketSla(tx, ctx, ticket.id, auditId);
  await runTicketWriteHooks(tx, ctx, { before: ticket, after: updated, auditId });
  await notifyTicketEvent(tx, ctx, updated, { kind: 'assigned' });
  return updated;
}
