import type { AppContext } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import type { Actor } from '../accounts/actor.js';
import { AuditWriter } from './audit-writer.js';
import { nextUpdatedAt } from './tickets.repository.js';

/** Soft delete: the ticket disappears from every list but its history stays for exports (`status: deleted`). */
export async function deleteTicket(ctx: AppContext, { actor, ticketId }: { actor: Actor; ticketId: number }): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const ticket = await tx.selectFrom('tickets').selectAll().where('id', '=', ticketId).where('deleted_at', 'is', null).forUpdate().executeTakeFirst();
    if (!ticket) throw notFound();
    await tx.updateTable('tickets').set({ deleted_at: new Date(), updated_at: nextUpdatedAt(ticket.updated_at) }).where('id', '=', ticket.id).execute();
    const audit = new AuditWriter();
    const auditId = await audit.open(tx, ticket.id, actor.user.id, 'api');
    audit.change('status', ticket.status, 'deleted');
    await audit.flush(tx, auditId);
  });
}
