import type { Abilities, Ticket, TicketStatus } from '../api/types';

/**
 * Used only when the server sends no abilities: allow what the status machine generally allows and
 * let the server refuse the rest (its 422 is shown), rather than hide everything.
 */
export function assumedAbilities(ticket: Ticket, myId: number): Abilities {
  const closed = ticket.status === 'closed';
  const next = closed ? [] : (['open', 'pending', 'hold', 'solved'] as const).filter((s) => s !== ticket.status);
  return {
    can_edit: !closed,
    can_reply_publicly: !closed,
    can_add_note: !closed,
    statuses: [ticket.status, ...next],
    can_take: !closed && ticket.assignee_id !== myId,
    can_solve: !closed,
    can_delete: true,
  };
}

/** Statuses to offer: what the server allows, without Solved when solving is not allowed now. */
export const selectableStatuses = (abilities: Abilities, current: TicketStatus): TicketStatus[] =>
  abilities.statuses.filter((s) => s !== 'solved' || abilities.can_solve || s === current);
