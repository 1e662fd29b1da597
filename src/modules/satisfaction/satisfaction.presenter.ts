import { resourceUrl } from '../../platform/http.js';
import { iso } from '../accounts/users.presenter.js';
import type { Rating, RatingSummary } from './ratings.repository.js';

/** Zendesk's satisfaction rating object. Reasons are not collected, so they are always null. */
export function presentRating(base: string, r: Rating) {
  return {
    url: resourceUrl(base, `satisfaction_ratings/${r.id}`),
    id: r.id,
    assignee_id: r.assignee_id,
    group_id: r.group_id,
    requester_id: r.requester_id,
    ticket_id: r.ticket_id,
    score: r.score,
    comment: r.comment,
    reason: null,
    reason_id: null,
    reason_code: null,
    created_at: iso(r.created_at),
    updated_at: iso(r.updated_at),
  };
}

/** The `satisfaction_rating` of a ticket or request: `{id, score, comment}` once rated, `{score: "offered"}` while waiting. */
export function ticketRating(r: RatingSummary | null | undefined) {
  if (!r) return null;
  return r.score === 'offered' ? { score: r.score } : { id: r.id, score: r.score, comment: r.comment };
}
