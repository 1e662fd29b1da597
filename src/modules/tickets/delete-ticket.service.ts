import type { AppContext } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import type { Actor } from '../accounts/actor.js';
import { AuditWriter } from './audit-writer.js';
import { nextUpdatedAt } from './tickets.repository.js';
import { runTicketWriteHooks } from './write-hooks.js';

/** Soft delete: the ticket disappears from every list but its history stays for exports (`status: deleted`). */
export async function deleteTicket(ctx: AppContext, { actor, ticketId }: { actor: Actor; ticketId: number }): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const ticket = await tx.selectFrom('tickets').selectAll().where('id', '=', ticketId).where('deleted_at', 'is', null).forUpdate().executeTakeFirst();
    if (!ticket) throw notFound();
    const deleted = await tx.updateTable('tickets').set({ deleted_at: new Date(), updated_at: nextUpdatedAt(ticket.updated_at) }).where('id', '=', ticket.id).returningAll().executeTakeFirstOrThrow();
    const audit = new AuditWriter();
    const auditId = await audit.open(tx, ticket.id, actor.user.id, 'api');
    audit.change('status', ticket.status, 'deleted');
    await audit.flush(tx, auditId);
    // A delete is a write too: routing drops the ticket from its queue, paging resolves, reports stop counting it.
    await runTicketWriteHooks(tx, ctx, { before: ticket, after: deleted, auditId });
  });
}
