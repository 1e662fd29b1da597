import { sql, type ExpressionBuilder, type Expression, type SqlBool } from 'kysely';
import type { Database, Ticket } from '../platform/db-types.js';
import { isAgent, type Actor } from '../modules/accounts/actor.js';
import { canTransition, nextStatuses } from '../modules/tickets/status-machine.js';

/**
 * THE ticket visibility rule. Agents and admins see every ticket; an end user sees tickets they
 * requested, tickets they are CC'd on, and their organization's tickets when the organization shares
 * them or the user's own setting allows it (the more permissive wins, spec §11.4).
 */
export function orgTicketsVisible(actor: Actor): boolean {
  return !!actor.organization && (actor.organization.shared_tickets || actor.user.ticket_restriction === 'organization');
}

/** End users may comment on organization tickets only when the organization allows comments. */
export const orgTicketsCommentable = (actor: Actor) => !!actor.organization && actor.organization.shared_comments;

export type TicketScope = 'all' | 'requested' | 'ccd' | 'organization';

/** A WHERE expression over `tickets` for what `actor` may see, optionally narrowed to one scope. */
export function visibleTickets(actor: Actor, scope: TicketScope = 'all') {
  return (eb: ExpressionBuilder<Database, 'tickets'>): Expression<SqlBool> => {
    const live = eb('tickets.deleted_at', 'is', null);
    if (isAgent(actor) && scope === 'all') return live;
    const me = actor.user.id;
    const requested = eb('tickets.requester_id', '=', me);
    const ccd = eb.exists(eb.selectFrom('ticket_collaborators').select(sql`1`.as('one')).whereRef('ticket_collaborators.ticket_id', '=', 'tickets.id').where('ticket_collaborators.user_id', '=', me));
    const org = orgTicketsVisible(actor) ? eb('tickets.organization_id', '=', actor.organization!.id) : eb.val(false);
    const parts = { requested, ccd, organization: org, all: eb.or([requested, ccd, org]) };
    return eb.and([live, parts[scope]]);
  };
}

export interface TicketRelations {
  isCollaborator: boolean;
}

export function canSeeTicket(actor: Actor, t: Ticket, rel: TicketRelations): boolean {
  if (t.deleted_at) return false;
  if (isAgent(actor)) return true;
  return t.requester_id === actor.user.id || rel.isCollaborator || (orgTicketsVisible(actor) && t.organization_id === actor.organization!.id);
}

/** Public replies from the customer side: requester, CCs, and organization members where comments are shared. */
export function canCommentOnTicket(actor: Actor, t: Ticket, rel: TicketRelations): boolean {
  if (isAgent(actor)) return true;
  return t.requester_id === actor.user.id || rel.isCollaborator || (orgTicketsCommentable(actor) && t.organization_id === actor.organization!.id);
}

/** Internal notes (and their attachments) are for agents only. */
export const canSeeComment = (actor: Actor, comment: { public: boolean }) => comment.public || isAgent(actor);

/**
 * What an agent may do with a ticket, sent with it so the UI shows only allowed actions. The same
 * rules are enforced by the services; this is their summary, not a second source of truth.
 */
export function ticketAbilities(actor: Actor, t: Ticket) {
  const open = t.status !== 'closed' && !t.deleted_at;
  const agent = isAgent(actor);
  return {
    can_edit: agent && open,
    can_reply_publicly: agent && open,
    can_add_note: agent && open,
    statuses: open && agent ? [t.status, ...nextStatuses(t.status, 'agent')] : [t.status],
    can_take: agent && open && t.assignee_id !== actor.user.id && (t.group_id === null || actor.groupIds.includes(t.group_id)),
    can_solve: agent && open && t.status !== 'solved' && canTransition(t.status, 'solved', 'agent'),
    can_delete: agent,
  };
}
