import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db.js';
import type { Ticket } from '../../platform/db-types.js';
import { AuditWriter } from './audit-writer.js';
import { notifyTicketEvent } from './notifications.js';
import { nextUpdatedAt } from './tickets.repository.js';
import { refreshTicketSla } from '../sla/engine.js';
import { runTicketWriteHooks } from './write-hooks.js';

/** Enqueued in the transaction that solves the ticket; the job re-checks everything when it runs. */
export async function scheduleAutoClose(tx: Executor, ctx: AppContext, ticket: Ticket): Promise<void> {
  const startAfter = new Date(Date.now() + ctx.config.autoCloseAfterMs);
  await ctx.jobs.send('tickets.auto-close', { ticketId: ticket.id }, { tx, startAfter });
}

/**
 * Closes a ticket that has stayed solved for AUTO_CLOSE_AFTER without "do not close". Idempotent:
 * a reopened, re-solved, flagged or already closed ticket is left alone.
 */
export async function autoCloseTicket(ctx: AppContext, ticketId: number): Promise<boolean> {
  return ctx.db.transaction().execute(async (tx) => {
    const ticket = await tx.selectFrom('tickets').selectAll().where('id', '=', ticketId).where('deleted_at', 'is', null).forUpdate().skipLocked().executeTakeFirst();
    if (!ticket || ticket.status !== 'solved' || ticket.do_not_close || !ticket.solved_at) return false;
    if (ticket.solved_at.getTime() + ctx.config.autoCloseAfterMs > Date.now()) return false;
    const closed = await tx
      .updateTable('tickets')
      .set({ status: 'closed', closed_at: new Date(), updated_at: nextUpdatedAt(ticket.updated_at) })
      .where('id', '=', ticket.id)
      .where('status', '=', 'solved')
      .returningAll()
      .executeTakeFirstOrThrow();
    const audit = new AuditWriter();
    const auditId = await audit.open(tx, ticket.id, null, 'rule', { rule: 'auto-close', after_ms: ctx.config.autoCloseAfterMs });
    audit.change('status', 'solved', 'closed');
    await audit.flush(tx, auditId);
    await refreshTicketSla(tx, ctx, ticket.id, auditId);
    await runTicketWriteHooks(tx, ctx, { before: ticket, after: closed, auditId });
    await notifyTicketEvent(tx, ctx, closed, { kind: 'closed' });
    return true;
  });
}

/** Safety net for solves whose delayed job was lost or skipped (e.g. "do not close" cleared later). */
export async function sweepSolvedTickets(ctx: AppContext, batch = 200): Promise<number> {
  const due = await ctx.db
    .selectFrom('tickets')
    .select('id')
    .where('status', '=', 'solved')
    .where('do_not_close', '=', false)
    .where('deleted_at', 'is', null)
    .where('solved_at', '<=', sql<Date>`now() - ${ctx.config.autoCloseAfterMs} * interval '1 millisecond'`)
    .orderBy('solved_at')
    .limit(batch)
    .execute();
  let closed = 0;
  for (const { id } of due) if (await autoCloseTicket(ctx, id)) closed++;
  return closed;
}
