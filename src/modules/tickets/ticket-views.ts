import type { Executor } from '../../platform/db.js';
import type { Ticket } from '../../platform/db-types.js';
import type { Actor } from '../accounts/actor.js';
import { isAgent } from '../accounts/actor.js';
import { presentGroup } from '../accounts/groups.presenter.js';
import { presentOrganization } from '../accounts/organizations.presenter.js';
import { presentUser, presentUserPublic } from '../accounts/users.presenter.js';
import { canCommentOnTicket, canSeeComment, canSeeTicket } from '../../permissions/tickets.js';
import { canSeeFieldValue } from '../../permissions/fields.js';
import { canTransition } from './status-machine.js';
import { presentRequest, presentTicket, type TicketExtras } from './tickets.presenter.js';
import { collaboratorIds, followupIds } from './tickets.repository.js';
import { latestRatings } from '../satisfaction/ratings.repository.js';

/** Loads what presenting a page of tickets needs in three queries, whatever the page size. */
export async function ticketExtras(db: Executor, tickets: Ticket[]): Promise<Map<number, TicketExtras>> {
  const ids = tickets.map((t) => t.id);
  const [ccs, followups, ratings] = await Promise.all([collaboratorIds(db, ids), followupIds(db, ids), latestRatings(db, ids)]);
  return new Map(ids.map((id) => [id, { collaboratorIds: ccs.get(id) ?? [], followupIds: followups.get(id) ?? [], satisfaction: ratings.get(id) ?? null }]));
}

export async function presentTickets(db: Executor, base: string, tickets: Ticket[]) {
  const extras = await ticketExtras(db, tickets);
  return (t: Ticket) => presentTicket(base, t, extras.get(t.id)!);
}

/** Whether each ticket's first comment (its description) is public. */
async function firstCommentPublic(db: Executor, ids: number[]): Promise<Map<number, boolean>> {
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('ticket_comments').select(['ticket_id', 'public']).distinctOn('ticket_id').where('ticket_id', 'in', ids).orderBy('ticket_id').orderBy('id').execute();
  return new Map(rows.map((r) => [r.ticket_id, r.public]));
}

/** Requests as their viewer sees them, with what the viewer may do. */
export async function presentRequests(db: Executor, base: string, actor: Actor, tickets: Ticket[]) {
  const ids = tickets.map((t) => t.id);
  const [extras, fields, firstPublic] = await Promise.all([
    ticketExtras(db, tickets),
    db.selectFrom('ticket_fields').select(['id', 'visible_in_portal']).execute(),
    firstCommentPublic(db, ids),
  ]);
  const hiddenFieldIds = new Set(fields.filter((f) => !canSeeFieldValue(actor, f)).map((f) => f.id));
  return (t: Ticket) => {
    const x = extras.get(t.id)!;
    const rel = { isCollaborator: x.collaboratorIds.includes(actor.user.id) };
    return presentRequest(base, t, {
      ...x,
      hiddenFieldIds,
      descriptionVisible: canSeeComment(actor, { public: firstPublic.get(t.id) ?? true }),
      // The rating is the requester's feedback: CCs and colleagues do not see it.
      satisfaction: t.requester_id === actor.user.id || isAgent(actor) ? x.satisfaction : null,
      canComment: canSeeTicket(actor, t, rel) && canCommentOnTicket(actor, t, rel),
      canBeSolvedByMe: t.assignee_id !== null && (t.requester_id === actor.user.id || isAgent(actor)) && canTransition(t.status, 'solved', 'end_user') && t.status !== 'solved',
    });
  };
}

/**
 * Zendesk side-loads (`include=users,groups,organizations`): related records as top-level arrays.
 * End users get the public view of people and organizations.
 */
export async function sideLoads(db: Executor, base: string, actor: Actor, tickets: Ticket[], include: Set<string>): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  const full = isAgent(actor);
  if (include.has('users')) {
    const ccs = await collaboratorIds(db, tickets.map((t) => t.id));
    const ids = new Set<number>();
    for (const t of tickets) {
      [t.requester_id, t.submitter_id, t.assignee_id, ...(ccs.get(t.id) ?? [])].forEach((id) => id && ids.add(id));
    }
    const users = ids.size ? await db.selectFrom('users').selectAll().where('id', 'in', [...ids]).orderBy('id').execute() : [];
    out.users = users.map((u) => (full ? presentUser(base, u) : presentUserPublic(base, u)));
  }
  if (include.has('groups') && full) {
    const ids = [...new Set(tickets.map((t) => t.group_id).filter((x): x is number => x !== null))];
    const groups = ids.length ? await db.selectFrom('groups').selectAll().where('id', 'in', ids).execute() : [];
    out.groups = groups.map((g) => presentGroup(base, g));
  }
  if (include.has('organizations')) {
    const ids = [...new Set(tickets.map((t) => t.organization_id).filter((x): x is number => x !== null))];
    const orgs = ids.length ? await db.selectFrom('organizations').selectAll().where('id', 'in', ids).execute() : [];
    out.organizations = orgs.map((o) => presentOrganization(base, o, full));
  }
  return out;
}
