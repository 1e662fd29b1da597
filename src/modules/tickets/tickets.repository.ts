import { sql, type RawBuilder } from 'kysely';
import { ticketColumns } from '../../platform/columns.js';
import type { Executor } from '../../platform/db.js';
import { compiledByIds, compiledOnce } from '../../platform/compiled-once.js';
import { PREPARED } from '../../platform/prepared-statements.js';
import type { Ticket } from '../../platform/db-types.js';
import type { TicketRelations } from '../../permissions/tickets.js';
import { isAgent, type Actor } from '../accounts/actor.js';

/** How the actor relates to a ticket, for the visibility rules; they need nothing of it for agents, who see every ticket. */
export async function loadTicketRelations(db: Executor, ticketId: number, actor: Actor): Promise<TicketRelations> {
  if (isAgent(actor)) return { isCollaborator: false };
  const row = await db.selectFrom('ticket_collaborators').select('user_id').where('ticket_id', '=', ticketId).where('user_id', '=', actor.user.id).executeTakeFirst();
  return { isCollaborator: !!row };
}

const liveTicket = (db: Executor, id: number | RawBuilder<number>) => db.selectFrom('tickets').modifyFront(PREPARED).select(ticketColumns).where('id', '=', id).where('deleted_at', 'is', null);
const ticketById = compiledOnce((db, p: { id: number }) => liveTicket(db, p.id));
export const findTicket = async (db: Executor, id: number): Promise<Ticket | undefined> => (await ticketById(db, { id }))[0];
const lockedTicketById = compiledOnce((db, p: { id: number }) => liveTicket(db, p.id).forUpdate());
/** The ticket, locked until the transaction ends (writes read it so before changing it). */
export const lockTicket = async (tx: Executor, id: number): Promise<Ticket | undefined> => (await lockedTicketById(tx, { id }))[0];
/** Live tickets by id, in no particular order (search results): one prepared statement text for any number of them. */
export const findTickets: (db: Executor, ids: number[]) => Promise<Ticket[]> = compiledByIds(liveTicket);

/**
 * The ids of a ticket's requester and CCs, for `users.id IN (…)`. A UNION, because `id = requester OR id IN
 * (CCs)` makes PostgreSQL scan every user.
 */
export const requesterAndCcIds = (ticket: Pick<Ticket, 'id' | 'requester_id'>) =>
  sql<number>`(SELECT ${ticket.requester_id}::bigint UNION SELECT user_id FROM ticket_collaborators WHERE ticket_id = ${ticket.id})`;

/** Comments of a ticket; `publicOnly` for end users, applied in SQL so private rows never leave the database. */
export function commentsQuery(db: Executor, ticketId: number, publicOnly: boolean) {
  return db
    .selectFrom('ticket_comments')
    .selectAll()
    .where('ticket_id', '=', ticketId)
    .$if(publicOnly, (q) => q.where('public', '=', true));
}

export async function countComments(db: Executor, ticketId: number, publicOnly: boolean): Promise<number> {
  const row = await db
    .selectFrom('ticket_comments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('ticket_id', '=', ticketId)
    .$if(publicOnly, (q) => q.where('public', '=', true))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The next safe-update stamp: whole seconds, strictly after the previous one (spec §7.4). */
export const nextUpdatedAt = (previous: Date) => sql<Date>`greatest(date_trunc('second', now()), ${previous}::timestamptz + interval '1 second')`;

export type { Ticket };
