import { byId, PRIORITY_LABEL, STATUS_LABEL } from '../format';
import type { Group, Organization, Ticket, TicketPage, User } from '../api/types';

/** One list row: the ticket with the people and places it points at, resolved from the side-loads. */
export interface TicketRow {
  ticket: Ticket;
  requester?: User;
  assignee?: User;
  organization?: Organization;
  group?: Group;
}

export function toRows(page: Pick<TicketPage, 'tickets' | 'users' | 'organizations' | 'groups'> | undefined): TicketRow[] {
  if (!page) return [];
  const users = byId(page.users);
  const orgs = byId(page.organizations);
  const groups = byId(page.groups);
  return page.tickets.map((ticket) => ({
    ticket,
    requester: users.get(ticket.requester_id),
    assignee: ticket.assignee_id ? users.get(ticket.assignee_id) : undefined,
    organization: ticket.organization_id ? orgs.get(ticket.organization_id) : undefined,
    group: ticket.group_id ? groups.get(ticket.group_id) : undefined,
  }));
}

/** The filter box matches what the agent sees in the row, not hidden fields. */
export function matchesFilter(row: TicketRow, filter: string): boolean {
  const needle = filter.trim().toLowerCase();
  if (!needle) return true;
  const { ticket } = row;
  const haystack = [
    `#${ticket.id}`,
    ticket.subject,
    row.requester?.name,
    row.requester?.email,
    row.organization?.name,
    row.assignee?.name,
    row.group?.name,
    STATUS_LABEL[ticket.status],
    ticket.priority ? PRIORITY_LABEL[ticket.priority] : '',
  ];
  return haystack.some((text) => text?.toLowerCase().includes(needle));
}
