import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.js';
import { mailContext, mailDomain } from '../../platform/context.js';
import type { Executor } from '../../platform/db.js';
import type { Ticket, User } from '../../platform/db-types.js';
import { insertMails, newMessageIdSql, queueMails } from '../mail/outbox.js';
import { findUser } from '../accounts/users.service.js';
import { ticketReplyAddress } from '../mail/addresses.js';
import { customerStatus } from './status-machine.js';
import { escapeHtml } from '../../platform/html.js';

/**
 * Threading for a ticket's mail, as a one-row subquery (in_reply_to, references_ids): all messages
 * hang under the ticket's root id, and the latest message the customer sent is referenced too, so
 * their client threads our answer under it. Read by the statement that writes the mails, or alone.
 */
type Thread = { in_reply_to: string; references_ids: string[] };
const threadSql = (tx: Executor, ctx: AppContext, ticketId: number) => {
  const root = `<ticket-${ticketId}@${mailDomain(ctx)}>`;
  const latest = tx.selectFrom('ticket_comments').select('mail_message_id').where('ticket_id', '=', ticketId).where('mail_message_id', 'is not', null).orderBy('id', 'desc').limit(1);
  return sql<Thread>`(SELECT coalesce(latest.mail_message_id, ${root}) AS in_reply_to,
    array_remove(ARRAY[${root}, latest.mail_message_id], NULL) AS references_ids
    FROM (SELECT 1) AS one LEFT JOIN LATERAL (${latest}) AS latest ON true)`;
};

/** The thread headers of a ticket's mail (see threadSql). Reply-To is the ticket's signed address: a reply threads even if the client drops the headers. */
export async function threadHeaders(tx: Executor, ctx: AppContext, ticketId: number) {
  const { rows } = await sql<Thread>`SELECT thread.in_reply_to, thread.references_ids FROM ${threadSql(tx, ctx, ticketId)} AS thread`.execute(tx);
  return { ticketId, inReplyTo: rows[0].in_reply_to, references: rows[0].references_ids, replyTo: await ticketReplyAddress(tx, ctx.config, ticketId) };
}

export type TicketEvent =
  | { kind: 'created' }
  | { kind: 'public-reply'; body: string; html: string; author: User }
  | { kind: 'customer-reply'; body: string; author: User }
  | { kind: 'assigned' }
  | { kind: 'solved' }
  | { kind: 'closed' }
  | { kind: 'sales-queued' };

/**
 * One mail to the requester, then to each CC in the order they were added (active ones, not
 * `exceptUserId`), threaded by threadSql: the audience and the thread are read by the statement
 * that writes the mails and their jobs.
 */
async function mailCustomers(tx: Executor, ctx: AppContext, ticket: Ticket, mail: { kind: string; subject: string; text: string; html: string }, exceptUserId?: number): Promise<void> {
  const replyTo = await ticketReplyAddress(tx, ctx.config, ticket.id);
  await insertMails(tx, mailContext(ctx), sql`
    SELECT u.email, ${mail.subject}, ${mail.text}, ${mail.html}, ${newMessageIdSql(mailContext(ctx))},
      thread.in_reply_to, thread.references_ids, ${ticket.id}::bigint, ${mail.kind}, ${replyTo}
    FROM (SELECT ${ticket.requester_id}::bigint AS user_id, 0 AS rank, NULL::timestamptz AS since
          UNION ALL SELECT user_id, 1, created_at FROM ticket_collaborators WHERE ticket_id = ${ticket.id}) AS audience
    JOIN users u ON u.id = audience.user_id
    CROSS JOIN ${threadSql(tx, ctx, ticket.id)} AS thread
    WHERE u.active AND u.id IS DISTINCT FROM ${exceptUserId ?? null}::bigint
    ORDER BY audience.rank, audience.since, u.id`);
}

/**
 * Queues the mails a ticket event causes (spec §12), in the transaction of the change. Internal notes
 * never reach this function: callers pass only public comments.
 */
export async function notifyTicketEvent(tx: Executor, ctx: AppContext, ticket: Ticket, event: TicketEvent): Promise<void> {
  const link = `${ctx.config.publicUrl}/requests/${ticket.id}`;
  const agentLink = `${ctx.config.publicUrl}/agent/tickets/${ticket.id}`;
  const subject = `[Request #${ticket.id}] ${ticket.subject}`;
  const customers = (kind: string, text: string, html: string, exceptUserId?: number) => mailCustomers(tx, ctx, ticket, { kind, subject, text, html }, exceptUserId);
  const agents = async (to: User[], kind: string, text: string, html: string, subj: string) => {
    const thread = await threadHeaders(tx, ctx, ticket.id);
    await queueMails(tx, mailContext(ctx), to.map((u) => ({ to: u.email, subject: subj, text, html, kind, ...thread })));
  };
  const status = customerStatus(ticket.status);
  switch (event.kind) {
    case 'created':
      return customers('ticket-received',
        `Your request #${ticket.id} "${ticket.subject}" has been received and is being reviewed by our support staff.\n\nView it: ${link}`,
        `<p>Your request #${ticket.id} "${escapeHtml(ticket.subject)}" has been received and is being reviewed by our support staff.</p><p><a href="${escapeHtml(link)}">View your request</a></p>`);
    case 'public-reply':
      return customers(ticket.status === 'pending' ? 'info-requested' : 'agent-reply',
        `${event.author.name} replied to your request #${ticket.id} (status: ${status}):\n\n${event.body}\n\nReply to this email or view the request: ${link}`,
        `<p>${escapeHtml(event.author.name)} replied to your request #${ticket.id} (status: ${status}):</p>${event.html}<p><a href="${escapeHtml(link)}">View your request</a></p>`,
        event.author.id);
    case 'customer-reply': {
      const assignee = ticket.assignee_id ? await findUser(tx, ticket.assignee_id) : undefined;
      if (!assignee) return;
      return agents([assignee], 'customer-reply', `${event.author.name} replied on ticket #${ticket.id}:\n\n${event.body}\n\n${agentLink}`,
        `<p>${escapeHtml(event.author.name)} replied on ticket #${ticket.id}:</p><pre>${escapeHtml(event.body)}</pre><p><a href="${escapeHtml(agentLink)}">Open the ticket</a></p>`,
        `[Ticket #${ticket.id}] ${ticket.subject}`);
    }
    case 'assigned': {
      const assignee = ticket.assignee_id ? await findUser(tx, ticket.assignee_id) : undefined;
      if (!assignee) return;
      return agents([assignee], 'assigned', `Ticket #${ticket.id} "${ticket.subject}" is assigned to you.\n\n${agentLink}`,
        `<p>Ticket #${ticket.id} "${escapeHtml(ticket.subject)}" is assigned to you.</p><p><a href="${escapeHtml(agentLink)}">Open the ticket</a></p>`,
        `[Ticket #${ticket.id}] assigned to you: ${ticket.subject}`);
    }
    case 'sales-queued': {
      const queue = await tx
        .selectFrom('users')
        .innerJoin('group_memberships', 'group_memberships.user_id', 'users.id')
        .selectAll('users')
        .where('group_memberships.group_id', '=', ticket.group_id!)
        .where('users.active', '=', true)
        .execute();
      return agents(queue, 'sales-queued', `New Sales Support request #${ticket.id} "${ticket.subject}" is waiting in the Billing Queue. Take it: ${agentLink}`,
        `<p>New Sales Support request #${ticket.id} "${escapeHtml(ticket.subject)}" is waiting in the Billing Queue.</p><p><a href="${escapeHtml(agentLink)}">Take it</a></p>`,
        `[Billing Queue] #${ticket.id} ${ticket.subject}`);
    }
    case 'solved':
      return customers('solved',
        `Your request #${ticket.id} "${ticket.subject}" has been solved. If the solution does not work for you, reply to reopen it.\n\n${link}`,
        `<p>Your request #${ticket.id} "${escapeHtml(ticket.subject)}" has been solved. If the solution does not work for you, reply to reopen it.</p><p><a href="${escapeHtml(link)}">View your request</a></p>`);
    case 'closed':
      return customers('closed',
        `Your request #${ticket.id} "${ticket.subject}" is now closed. Replying opens a follow-up request.\n\n${link}`,
        `<p>Your request #${ticket.id} "${escapeHtml(ticket.subject)}" is now closed. Replying opens a follow-up request.</p><p><a href="${escapeHtml(link)}">View your request</a></p>`);
  }
}
