import type { Selectable } from 'kysely';
import type { Executor } from '../../platform/db.js';
import type { SatisfactionRatingsTable, SatisfactionScore } from '../../platform/db-types.js';

export type Rating = Selectable<SatisfactionRatingsTable>;

/** What a ticket shows of its survey: Zendesk's `satisfaction_rating` on the ticket. */
export interface RatingSummary {
  id: number;
  score: SatisfactionScore;
  comment: string | null;
}

/** The latest survey of each ticket (a reopen-and-solve starts a new one), for a page of tickets in one query. */
export async function latestRatings(db: Executor, ticketIds: number[]): Promise<Map<number, RatingSummary>> {
  if (!ticketIds.length) return new Map();
  const rows = await db
    .selectFrom('satisfaction_ratings')
    .distinctOn('ticket_id')
    .select(['id', 'ticket_id', 'score', 'comment'])
    .where('ticket_id', 'in', ticketIds)
    .orderBy('ticket_id')
    .orderBy('id', 'desc')
    .execute();
  return new Map(rows.map((r) => [r.ticket_id, { id: r.id, score: r.score, comment: r.comment }]));
}

/** The survey of one solve of a ticket, if it was offered or rated. */
export const ratingOfSolve = (db: Executor, ticketId: number, solvedAt: Date) =>
  db.selectFrom('satisfaction_ratings').selectAll().where('ticket_id', '=', ticketId).where('ticket_solved_at', '=', solvedAt).executeTakeFirst();

export const findRating = (db: Executor, id: number) => db.selectFrom('satisfaction_ratings').selectAll().where('id', '=', id).executeTakeFirst();
