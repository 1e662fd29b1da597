import type { AppContext } from '../../../platform/context.js';
import { mailContext } from '../../../platform/context.js';
import type { Priority, Ticket } from '../../../platform/db-types.js';
import { AuditWriter } from '../../tickets/audit-writer.js';
import { nextUpdatedAt } from '../../tickets/tickets.repository.js';
import { runTicketWriteHooks } from '../../tickets/write-hooks.js';
import { refreshTicketSla } from '../../sla/engine.js';
import { queueMail } from '../outbox.js';
import { ticketReplyAddress } from '../addresses.js';

const WORD = /^\s*(urgent|high|normal|low)\b/i;

/** "Urgent", "high - production is down" → the priority a reply names in its first word. */
export const priorityNamed = (text: string): Priority | null => (WORD.exec(text)?.[1].toLowerCase() as Priority | undefined) ?? null;

/**
 * Email tickets arrive without a priority; Premier customers are asked for one, since urgent and
 * high start their 24×7 cover (spec §1.3, §9.3).
 */
export async function askForPriority(ctx: AppContext, ticket: Ticket, to: string): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    await queueMail(tx, mailContext(ctx), {
      to,
      kind: 'priority-request',
      ticketId: ticket.id,
      subject: `[Request #${ticket.id}] What is the priority of your request?`,
      replyTo: await ticketReplyAddress(tx, ctx.config, ticket.id),
      text: [
        `We received your request #${ticket.id} "${ticket.subject}".`,
        '',
        'As a Premier customer you have 24×7 cover for urgent and high priority issues. Reply to this email with one word on the first line:',
        '',
        '  Urgent  - production is down or severely impacted',
        '  High    - a major feature is unavailable or degraded, with no workaround',
        '  Normal  - a problem with a workaround, or a question about configuration',
        '  Low     - a general question or a request for information',
        '',
        `You can also set it on the request: ${ctx.config.publicUrl}/requests/${ticket.id}`,
      ].join('\n'),
    });
  });
}

/** Sets the priority a Premier requester sent by email, once; raising it to urgent/high pages on-call. */
export async function applyEmailedPriority(ctx: AppContext, ticketId: number, requesterId: number, priority: Priority): Promise<boolean> {
  return ctx.db.transaction().execute(async (tx) => {
    const ticket = await tx.selectFrom('tickets').selectAll().where('id', '=', ticketId).forUpdate().executeTakeFirst();
    if (!ticket || ticket.priority !== null || ticket.requester_id !== requesterId || ticket.status === 'closed') return false;
    const updated = await tx
      .updateTable('tickets')
      .set({ priority, updated_at: nextUpdatedAt(ticket.updated_at) })
      .where('id', '=', ticket.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const audit = new AuditWriter();
    const auditId = await audit.open(tx, ticket.id, requesterId, 'email', { rule: 'email-priority' });
    audit.change('priority', null, priority);
    await audit.flush(tx, auditId);
    await refreshTicketSla(tx, ctx, ticket.id, auditId);
    await runTicketWriteHooks(tx, ctx, { before: ticket, after: updated, auditId });
    return true;
  });
}
