import { compiledOnce } from '../../platform/compiled-once.js';
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.js';
import { mailContext, mailDomain } from '../../platform/context.js';
import type { Executor } from '../../platform/db.js';
import type { Ticket, User } from '../../platform/db-types.js';
import { queueMails } from '../mail/outbox.js';
import { findUser } from '../accounts/users.service.js';
import { ticketReplyAddress } from '../mail/addresses.js';
import { customerStatus } from './status-machine.js';
import { escapeHtml } from '../../platform/html.js';
import { userColumns } from '../../platform/columns.js';
import { PREPARED } from '../../platform/prepared-statements.js';

/** Every mail about a ticket replies to the same root id, so mail clients thread them together. */
const threadRoot = (ctx: AppContext, ticketId: number) => `<ticket-${ticketId}@${mailDomain(ctx)}>`;

/** The id of the latest mail the customer sent on the ticket. */
const lastInboundMessageId = (db: Executor, ticketId: number) =>
  db.selectFrom('ticket_comments').select('mail_message_id').where('ticket_id', '=', ticketId).where('mail_message_id', 'is not', null).orderBy('id', 'desc').limit(1);

/**
 * Threading for a ticket's mail: all messages hang under the ticket's root id, and the latest
 * message the customer sent is referenced too, so their client threads our answer under it.
 * Reply-To is the ticket's signed address: a reply threads even if the client drops the headers.
 */
async function threadOf(tx: Executor, ctx: AppContext, ticketId: number, latest: string | null) {
  const root = threadRoot(ctx, ticketId);
  return {
    ticketId,
    inReplyTo: latest ?? root,
    references: latest ? [root, latest] : [root],
    replyTo: await ticketReplyAddress(tx, ctx.config, ticketId),
  };
}

type ThreadHeaders = Awaited<ReturnType<typeof threadOf>>;

export async function threadHeaders(tx: Executor, ctx: AppContext, ticketId: number): Promise<ThreadHeaders> {
  const latest = await lastInboundMessageId(tx, ticketId).executeTakeFirst();
  return threadOf(tx, ctx, ticketId, latest?.mail_message_id ?? null);
}

export type TicketEvent =
  | { kind: 'created' }
  | { kind: 'public-reply'; body: string; html: string; author: User }
  | { kind: 'customer-reply'; body: string; author: User }
  | { kind: 'assigned' }
  | { kind: 'solved' }
  | { kind: 'closed' }
  | { kind: 'sales-queued' };

/** Who a mail goes to and the headers that thread it. */
interface Audience {
  to: User[];
  thread: ThreadHeaders;
}

/**
 * The requester, then the CCs in the order they were added (active ones, not `exceptUserId`), read in
 * one statement with the message to thread under: every customer mail needs both.
 */
/** The requester, then the CCs in the order they were added, with the ticket's latest inbound Message-ID: compiled once. */
const audienceOf = compiledOnce((tx, p: { requesterId: number; ticketId: number }) => {
  const people = tx
    .selectNoFrom((eb) => [eb.val(p.requesterId).as('user_id'), sql<number>`0`.as('rank'), sql<Date | null>`null`.as('since')])
    .unionAll(tx.selectFrom('ticket_collaborators').select(['user_id', sql<number>`1`.as('rank'), 'created_at as since']).where('ticket_id', '=', p.ticketId));
  return tx
    .selectFrom(people.as('audience'))
    .innerJoin('users', 'users.id', 'audience.user_id')
    .modifyFront(PREPARED)
    .select(userColumns)
    .select(lastInboundMessageId(tx, p.ticketId).as('thread_message_id'))
    .orderBy('audience.rank')
    .orderBy('audience.since')
    .orderBy('users.id');
});

async function customerAudience(tx: Executor, ctx: AppContext, ticket: Ticket, exceptUserId?: number): Promise<Audience> {
  const rows = await audienceOf(tx, { requesterId: ticket.requester_id, ticketId: ticket.id });
  return {
    to: rows.filter((u) => u.active && u.id !== exceptUserId),
    thread: await threadOf(tx, ctx, ticket.id, rows[0]?.thread_message_id ?? null),
  };
}

/**
 * Queues the mails a ticket event causes (spec §12), in the transaction of the change. Internal notes
 * never reach this function: callers pass only public comments.
 */
export async function notifyTicketEvent(tx: Executor, ctx: AppContext, ticket: Ticket, event: TicketEvent): Promise<void> {
  const link = `${ctx.config.publicUrl}/requests/${ticket.id}`;
  const agentLink = `${ctx.config.publicUrl}/agent/tickets/${ticket.id}`;
  const subject = `[Request #${ticket.id}] ${ticket.subject}`;
  const send = async ({ to, thread }: Audience, kind: string, text: string, html: string, subj = subject) => {
    await queueMails(tx, mailContext(ctx), to.map((u) => ({ to: u.email, subject: subj, text, html, kind, ...thread })));
  };
  const agents = async (to: User[]): Promise<Audience> => ({ to, thread: await threadHeaders(tx, ctx, ticket.id) });
  const status = customerStatus(ticket.status);
  switch (event.kind) {
    case 'created':
      return send(await customerAudience(tx, ctx, ticket), 'ticket-received',
        `Your request #${ticket.id} "${ticket.subject}" has been received and is being reviewed by our support staff.\n\nView it: ${link}`,
        `<p>Your request #${ticket.id} "${escapeHtml(ticket.subject)}" has been received and is being reviewed by our support staff.</p><p><a href="${escapeHtml(link)}">View your request</a></p>`);
    case 'public-reply':
      return send(await customerAudience(tx, ctx, ticket, event.author.id), ticket.status === 'pending' ? 'info-requested' : 'agent-reply',
        `${event.author.name} replied to your request #${ticket.id} (status: ${status}):\n\n${event.body}\n\nReply to this email or view the request: ${link}`,
        `<p>${escapeHtml(event.author.name)} replied to your request #${ticket.id} (status: ${status}):</p>${event.html}<p><a href="${escapeHtml(link)}">View your request</a></p>`);
    case 'customer-reply': {
      const assignee = ticket.assignee_id ? await findUser(tx, ticket.assignee_id) : undefined;
      if (!assignee) return;
      return send(await agents([assignee]), 'customer-reply', `${event.author.name} replied on ticket #${ticket.id}:\n\n${event.body}\n\n${agentLink}`,
        `<p>${escapeHtml(event.author.name)} replied on ticket #${ticket.id}:</p><pre>${escapeHtml(event.body)}</pre><p><a href="${escapeHtml(agentLink)}">Open the ticket</a></p>`,
        `[Ticket #${ticket.id}] ${ticket.subject}`);
    }
    case 'assigned': {
      const assignee = ticket.assignee_id ? await findUser(tx, ticket.assignee_id) : undefined;
      if (!assignee) return;
      return send(await agents([assignee]), 'assigned', `Ticket #${ticket.id} "${ticket.subject}" is assigned to you.\n\n${agentLink}`,
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
      return send(await agents(queue), 'sales-queued', `New Sales Support request #${ticket.id} "${ticket.subject}" is waiting in the Billing Queue. Take it: ${agentLink}`,
        `<p>New Sales Support request #${ticket.id} "${escapeHtml(ticket.subject)}" is waiting in the Billing Queue.</p><p><a href="${escapeHtml(agentLink)}">Take it</a></p>`,
        `[Billing Queue] #${ticket.id} ${ticket.subject}`);
    }
    case 'solved':
      return send(await customerAudience(tx, ctx, ticket), 'solved',
        `Your request #${ticket.id} "${ticket.subject}" has been solved. If the solution does not work for you, reply to reopen it.\n\n${link}`,
        `<p>Your request #${ticket.id} "${escapeHtml(ticket.subject)}" has been solved. If the solution does not work for you, reply to reopen it.</p><p><a href="${escapeHtml(link)}">View your request</a></p>`);
    case 'closed':
      return send(await customerAudience(tx, ctx, ticket), 'closed',
        `Your request #${ticket.id} "${ticket.subject}" is now closed. Replying opens a follow-up request.\n\n${link}`,
        `<p>Your request #${ticket.id} "${escapeHtml(ticket.subject)}" is now closed. Replying opens a follow-up request.</p><p><a href="${escapeHtml(link)}">View your request</a></p>`);
  }
}
