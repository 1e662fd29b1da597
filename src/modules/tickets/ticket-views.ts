import { cachedConfig } from '../../platform/config-cache.js';
import type { Executor } from '../../platform/db.js';
import type { Ticket } from '../../platform/db-types.js';
import type { Actor } from '../accounts/actor.js';
import { isAgent } from '../accounts/actor.js';
import { presentGroup } from '../accounts/groups.presenter.js';
import { presentOrganization } from '../accounts/organizations.presenter.js';
import { presentUser, presentUserPublic } from '../accounts/users.presenter.js';
import { findGroups } from '../accounts/groups.service.js';
import { findOrganizations } from '../accounts/organizations.service.js';
import { findUsers } from '../accounts/users.service.js';
import { canCommentOnTicket, canSeeComment, canSeeTicket } from '../../permissions/tickets.js';
import { canSeeFieldValue } from '../../permissions/fields.js';
import { canTransition } from './status-machine.js';
import { presentRequest, presentTicket, type TicketExtras } from './tickets.presenter.js';
import { loadTicketExtras } from './ticket-extras.repository.js';

/** The extras of a page of tickets; load them once when both the page and its side-loads need them. */
export const ticketExtras = (db: Executor, tickets: Ticket[]) => loadTicketExtras(db, tickets.map((t) => t.id));

/** The extras of a page of requests: those of tickets and whether each description is public. */
export const requestExtras = (db: Executor, tickets: Ticket[]) => loadTicketExtras(db, tickets.map((t) => t.id), { descriptions: true });

export async function presentTickets(db: Executor, base: string, tickets: Ticket[], extras?: Map<number, TicketExtras>) {
  const loaded = extras ?? (await ticketExtras(db, tickets));
  return (t: Ticket) => presentTicket(base, t, loaded.get(t.id)!);
}

/** Requests as their viewer sees them, with what the viewer may do; `extras` from requestExtras. */
export async function presentRequests(db: Executor, base: string, actor: Actor, tickets: Ticket[], extras: Map<number, TicketExtras>) {
  const fields = await cachedConfig(db, 'field-portal-visibility', (d) => d.selectFrom('ticket_fields').select(['id', 'visible_in_portal']).execute());
  const hiddenFieldIds = new Set(fields.filter((f) => !canSeeFieldValue(actor, f)).map((f) => f.id));
  return (t: Ticket) => {
    const x = extras.get(t.id)!;
    const rel = { isCollaborator: x.collaboratorIds.includes(actor.user.id) };
    return presentRequest(base, t, {
      ...x,
      hiddenFieldIds,
      // Extras loaded without descriptions hide them: safe by default.
      descriptionVisible: canSeeComment(actor, { public: x.descriptionPublic ?? false }),
      // The rating is the requester's feedback: CCs and colleagues do not see it.
      satisfaction: t.requester_id === actor.user.id || isAgent(actor) ? x.satisfaction : null,
      canComment: canSeeTicket(actor, t, rel) && canCommentOnTicket(actor, t, rel),
      canBeSolvedByMe: t.assignee_id !== null && (t.requester_id === actor.user.id || isAgent(actor)) && canTransition(t.status, 'solved', 'end_user') && t.status !== 'solved',
    });
  };
}

/**
 * Zendesk side-loads (`include=users,groups,organizations`): related records as top-level arrays.
 * End users get the public view of people and organizations. `extras`, when the caller has loaded
 * them for presenting the tickets, spare reading the CCs again.
 */
export async function sideLoads(db: Executor, base: string, actor: Actor, tickets: Ticket[], include: Set<string>, extras: Map<number, TicketExtras>): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  const full = isAgent(actor);
  if (include.has('users')) {
    const ids = new Set<number>();
    for (const t of tickets) {
      [t.requester_id, t.submitter_id, t.assignee_id, ...(extras.get(t.id)?.collaboratorIds ?? [])].forEach((id) => id && ids.add(id));
    }
    const users = ids.size ? await findUsers(db, [...ids]) : [];
    out.users = users.map((u) => (full ? presentUser(base, u) : presentUserPublic(base, u)));
  }
  if (include.has('groups') && full) {
    const ids = [...new Set(tickets.map((t) => t.group_id).filter((x): x is number => x !== null))];
    const groups = ids.length ? await findGroups(db, ids) : [];
    out.groups = groups.map((g) => presentGroup(base, g));
  }
  if (include.has('organizations')) {
    const ids = [...new Set(tickets.map((t) => t.organization_id).filter((x): x is number => x !== null))];
    const orgs = ids.length ? await findOrganizations(db, ids) : [];
    out.organizations = orgs.map((o) => presentOrganization(base, o, full));
  }
  return out;
}
