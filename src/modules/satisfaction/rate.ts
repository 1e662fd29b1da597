import type { AppContext } from '../../platform/context.js';
import type { Tx } from '../../platform/db.js';
import type { Ticket } from '../../platform/db-types.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { canSeeTicket } from '../../permissions/tickets.js';
import { canRateTicket } from '../../permissions/satisfaction.js';
import { isAgent, type Actor } from '../accounts/actor.js';
import { AuditWriter } from '../tickets/audit-writer.js';
import { customerStatus } from '../tickets/status-machine.js';
import { loadTicketRelations, nextUpdatedAt } from '../tickets/tickets.repository.js';
import { findRating, ratingOfSolve, type Rating } from './ratings.repository.js';

export const MAX_RATING_COMMENT = 5000;

/** Run in the rating's transaction after every recorded rating (the reports keep their CSAT facts here). */
export const ratingHooks: ((tx: Tx, ticketId: number) => Promise<void>)[] = [];

export interface RatingChange {
  score: 'good' | 'bad';
  /** Omitted keeps the current comment; null or blank removes it. */
  comment?: string | null;
}

/** Why a survey link no longer rates: the request closed, was reopened, or was solved again since (a new survey follows). */
export type SurveyClosedReason = 'closed' | 'reopened' | 'superseded';

const lockTicket = (tx: Tx, id: number) => tx.selectFrom('tickets').selectAll().where('id', '=', id).where('deleted_at', 'is', null).forUpdate().executeTakeFirst();

/**
 * Ratings are accepted, and may change, while the ticket is solved; once it is closed they are final
 * (Zendesk: "responses are not recorded after the ticket is Closed"). Any other status is a 422.
 */
function requireSolved(ticket: Ticket): void {
  if (ticket.status === 'solved' && ticket.solved_at) return;
  const description =
    ticket.status === 'closed'
      ? 'This request is closed: its rating can no longer be given or changed'
      : `Only solved requests can be rated; this one is ${customerStatus(ticket.status)}`;
  throw new AppError('RecordInvalid', description, { status: [{ description: `Status: ${description}`, error: 'InvalidValue' }] });
}

/** Where a survey stands for its ticket now: open, or why not. */
export function surveyState(ticket: Ticket | undefined, rating: Rating): { open: true } | { open: false; reason: SurveyClosedReason } {
  if (!ticket) return { open: false, reason: 'closed' };
  const sameSolve = ticket.solved_at?.getTime() === rating.ticket_solved_at.getTime() && ticket.requester_id === rating.requester_id;
  if (!sameSolve) return { open: false, reason: ticket.status === 'solved' || ticket.status === 'closed' ? 'superseded' : 'reopened' };
  if (ticket.status === 'closed') return { open: false, reason: 'closed' };
  return ticket.status === 'solved' ? { open: true } : { open: false, reason: 'reopened' };
}

/**
 * Records the requester's rating of the current solve (creating the survey row when they rate before
 * it was offered), with an audit on the ticket. The ticket row lock serializes it with reopening,
 * closing and the survey job; an unchanged rating writes nothing.
 */
async function recordRating(tx: Tx, ctx: AppContext, ticket: Ticket, a: RatingChange & { requesterId: number; via: string }): Promise<Rating> {
  requireSolved(ticket);
  const existing = await ratingOfSolve(tx, ticket.id, ticket.solved_at!);
  const comment = a.comment === undefined ? (existing?.comment ?? null) : a.comment?.trim() || null;
  if (comment && comment.length > MAX_RATING_COMMENT) throw invalid('comment', `Comment: is too long (maximum is ${MAX_RATING_COMMENT} characters)`, 'ValueTooLong');
  if (existing && existing.score === a.score && existing.comment === comment) return existing;

  const now = ctx.clock.now();
  // Assignee and group are those at rating time: the rating is about who solved it.
  const values = { score: a.score, comment, assignee_id: ticket.assignee_id, group_id: ticket.group_id, rated_at: now, updated_at: now };
  const rating = existing
    ? await tx.updateTable('satisfaction_ratings').set(values).where('id', '=', existing.id).returningAll().executeTakeFirstOrThrow()
    : await tx
        .insertInto('satisfaction_ratings')
        .values({ ticket_id: ticket.id, ticket_solved_at: ticket.solved_at!, requester_id: a.requesterId, created_at: now, ...values })
        .returningAll()
        .executeTakeFirstOrThrow();

  const audit = new AuditWriter();
  const auditId = await audit.open(tx, ticket.id, a.requesterId, a.via);
  audit.events.push({
    type: 'SatisfactionRating',
    field_name: 'satisfaction_rating',
    // The audits API shows previous values only on Change events, so the earlier rating travels in the value.
    value: {
      score: rating.score,
      comment: rating.comment,
      rating_id: rating.id,
      assignee_id: rating.assignee_id,
      previous: existing && existing.score !== 'offered' ? { score: existing.score, comment: existing.comment } : null,
    },
  });
  await audit.flush(tx, auditId);
  await tx.updateTable('tickets').set({ updated_at: nextUpdatedAt(ticket.updated_at) }).where('id', '=', ticket.id).execute();
  for (const hook of ratingHooks) await hook(tx, ticket.id);
  return rating;
}

/**
 * `POST /tickets/{id}/satisfaction_rating`: the requester rates (or re-rates) their solved request.
 * Whoever may not see the ticket gets 404, whoever sees it but is not its requester 403, and a ticket
 * that is not solved 422.
 */
export async function rateTicket(ctx: AppContext, a: { actor: Actor; ticketId: number; change: RatingChange; via: string }): Promise<Rating> {
  return ctx.db.transaction().execute(async (tx) => {
    const ticket = await lockTicket(tx, a.ticketId);
    if (!ticket || !canSeeTicket(a.actor, ticket, await loadTicketRelations(tx, ticket.id, a.actor))) throw notFound();
    if (!canRateTicket(a.actor, ticket)) {
      throw new AppError('Forbidden', isAgent(a.actor) ? 'Agents cannot rate tickets, not even their own requests' : 'Only the requester of this request can rate it');
    }
    return recordRating(tx, ctx, ticket, { ...a.change, requesterId: a.actor.user.id, via: a.via });
  });
}

/** Loads a survey and its ticket for the survey page (no login: the caller checked the link's signature). */
export async function loadSurvey(ctx: AppContext, ratingId: number): Promise<{ rating: Rating; ticket: Ticket | undefined }> {
  const rating = await findRating(ctx.db, ratingId);
  if (!rating) throw notFound();
  const ticket = await ctx.db.selectFrom('tickets').selectAll().where('id', '=', rating.ticket_id).where('deleted_at', 'is', null).executeTakeFirst();
  return { rating, ticket };
}

/**
 * Rating from a signed survey link, on behalf of the survey's requester. A survey whose solve is over
 * (closed, reopened, solved again since) records nothing and says why.
 */
export async function rateFromSurvey(
  ctx: AppContext,
  a: { ratingId: number; change: RatingChange },
): Promise<{ rating: Rating; ticket: Ticket | undefined; closed?: SurveyClosedReason }> {
  return ctx.db.transaction().execute(async (tx) => {
    const survey = await findRating(tx, a.ratingId);
    if (!survey) throw notFound();
    const ticket = await lockTicket(tx, survey.ticket_id);
    const state = surveyState(ticket, survey);
    if (!state.open) return { rating: survey, ticket, closed: state.reason };
    const rating = await recordRating(tx, ctx, ticket!, { ...a.change, requesterId: survey.requester_id, via: 'web' });
    return { rating, ticket };
  });
}
