import type { Ticket } from '../platform/db-types.js';
import { isAgent, type Actor } from '../modules/accounts/actor.js';

/**
 * Only the ticket's requester rates it, and only as a customer: agents cannot rate, even tickets they
 * requested (Zendesk). Whether the actor may see the ticket at all (404 otherwise) is canSeeTicket's.
 */
export const canRateTicket = (actor: Actor, t: Pick<Ticket, 'requester_id'>): boolean => !isAgent(actor) && t.requester_id === actor.user.id;

