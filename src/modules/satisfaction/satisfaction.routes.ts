import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { baseUrl, parseBody, parseId } from '../../platform/http.js';
import { applySlice, countEnvelope, pageEnvelope, readPageRequest, sliceOf } from '../../platform/pagination.js';
import { validSignedId } from '../../platform/signing.js';
import { requireActor, requireAgent } from '../../permissions/guards.js';
import { SURVEY_PURPOSE } from './offer.js';
import { loadSurvey, MAX_RATING_COMMENT, rateFromSurvey, rateTicket, surveyState, type RatingChange } from './rate.js';
import { findRating } from './ratings.repository.js';
import { presentRating } from './satisfaction.presenter.js';
import { surveyClosedPage, surveyPage, type SurveyView } from './survey-page.js';
import type { Rating } from './ratings.repository.js';
import type { Ticket } from '../../platform/db-types.js';

const rateBody = z.object({
  satisfaction_rating: z.object({
    score: z.enum(['good', 'bad'], 'must be good or bad'),
    comment: z.string().max(MAX_RATING_COMMENT).nullable().optional(),
    // Zendesk's reason codes are accepted for client compatibility; Sundial does not collect reasons.
    reason_code: z.number().int().nullable().optional(),
    reason_id: z.number().int().nullable().optional(),
  }),
});

type RatingsQuery = ReturnType<typeof ratingsQuery>;
const ratingsQuery = (ctx: AppContext) => ctx.db.selectFrom('satisfaction_ratings').selectAll();

/** Zendesk's `score` filter values; `unoffered` matches nothing (a ticket without a survey has no row). */
const SCORE_FILTERS: Record<string, (q: RatingsQuery) => RatingsQuery> = {
  offered: (q) => q.where('score', '=', 'offered'),
  unoffered: (q) => q.where('id', '<', 0),
  received: (q) => q.where('score', 'in', ['good', 'bad']),
  received_with_comment: (q) => q.where('score', 'in', ['good', 'bad']).where('comment', 'is not', null),
  received_without_comment: (q) => q.where('score', 'in', ['good', 'bad']).where('comment', 'is', null),
  good: (q) => q.where('score', '=', 'good'),
  good_with_comment: (q) => q.where('score', '=', 'good').where('comment', 'is not', null),
  good_without_comment: (q) => q.where('score', '=', 'good').where('comment', 'is', null),
  bad: (q) => q.where('score', '=', 'bad'),
  bad_with_comment: (q) => q.where('score', '=', 'bad').where('comment', 'is not', null),
  bad_without_comment: (q) => q.where('score', '=', 'bad').where('comment', 'is', null),
};

function unixTime(value: unknown, name: string): Date | null {
  if (value === undefined || value === '') return null;
  if (!/^\d{1,12}$/.test(String(value))) throw new AppError('BadRequest', `${name} must be a Unix time in seconds`);
  return new Date(Number(value) * 1000);
}

/**
 * `score`, `start_time` and `end_time` (Unix seconds, inclusive, against the time the rating last
 * changed: when it was offered or last rated).
 */
function filteredRatings(ctx: AppContext, req: FastifyRequest): RatingsQuery {
  const q = req.query as Record<string, unknown>;
  let query = ratingsQuery(ctx);
  if (q.score !== undefined && q.score !== '') {
    const filter = SCORE_FILTERS[String(q.score)];
    if (!filter) throw new AppError('BadRequest', `score must be one of ${Object.keys(SCORE_FILTERS).join(', ')}`);
    query = filter(query);
  }
  const start = unixTime(q.start_time, 'start_time');
  const end = unixTime(q.end_time, 'end_time');
  if (start) query = query.where('updated_at', '>=', start);
  if (end) query = query.where('updated_at', '<', new Date(end.getTime() + 1000));
  return query;
}

/** Customer satisfaction (spec §7): Zendesk's satisfaction_ratings API and the signed survey page. */
export function registerSatisfactionRoutes(app: FastifyInstance, ctx: AppContext) {
  app.get('/api/v2/satisfaction_ratings', async (req) => {
    requireAgent(req);
    const page = readPageRequest(req);
    const query = filteredRatings(ctx, req);
    const rows = await applySlice(query, 'satisfaction_ratings.id', sliceOf(page)).execute();
    const count = page.mode === 'offset' ? Number((await query.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n) : undefined;
    return pageEnvelope(req, page, 'satisfaction_ratings', rows, (r) => presentRating(baseUrl(req), r), count);
  });

  app.get('/api/v2/satisfaction_ratings/count', async (req) => {
    requireAgent(req);
    const row = await filteredRatings(ctx, req).clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return countEnvelope(row.n);
  });

  app.get('/api/v2/satisfaction_ratings/:id', async (req) => {
    requireAgent(req);
    const rating = await findRating(ctx.db, parseId((req.params as { id: string }).id));
    if (!rating) throw notFound();
    return { satisfaction_rating: presentRating(baseUrl(req), rating) };
  });

  app.post('/api/v2/tickets/:id/satisfaction_rating', async (req) => {
    const actor = requireActor(req);
    const ticketId = parseId((req.params as { id: string }).id);
    const { satisfaction_rating: r } = parseBody(rateBody, req.body, 'satisfaction_rating');
    const rating = await rateTicket(ctx, { actor, ticketId, change: { score: r.score, comment: r.comment }, via: actor.via === 'session' ? 'web' : 'api' });
    return { satisfaction_rating: presentRating(baseUrl(req), rating) };
  });

  app.register(async (scoped) => registerSurveyPages(scoped, ctx));
}

const html = (reply: FastifyReply, body: string, status = 200) => reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);

/** The signed survey links of the CSAT mail: no login, one survey (one solve of one ticket) per link. */
function registerSurveyPages(app: FastifyInstance, ctx: AppContext) {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 32 * 1024 }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });

  const verified = async (req: FastifyRequest) => {
    const id = parseId((req.params as { id: string }).id);
    const signature = (req.query as Record<string, unknown>).signature;
    if (!(await validSignedId(ctx.db, SURVEY_PURPOSE, id, signature))) throw notFound();
    return { id, signature: String(signature) };
  };
  const view = (rating: Rating, ticket: Ticket, signature: string, extra: Partial<SurveyView> = {}): SurveyView => ({
    ratingId: rating.id,
    signature,
    ticket: { id: ticket.id, subject: ticket.subject },
    score: rating.score,
    comment: rating.comment,
    ...extra,
  });
  const closedPage = (rating: Rating, ticket: Ticket | undefined, reason: Parameters<typeof surveyClosedPage>[0]['reason']) =>
    surveyClosedPage({ ticket: ticket ? { id: ticket.id, subject: ticket.subject } : null, score: rating.score, comment: rating.comment, reason });

  app.get('/satisfaction/:id', async (req, reply) => {
    const { id, signature } = await verified(req);
    const { rating, ticket } = await loadSurvey(ctx, id);
    const state = surveyState(ticket, rating);
    if (!state.open) return html(reply, closedPage(rating, ticket, state.reason));
    const wanted = (req.query as Record<string, unknown>).score;
    return html(reply, surveyPage(view(rating, ticket!, signature, { choice: wanted === 'good' || wanted === 'bad' ? wanted : undefined })));
  });

  app.post('/satisfaction/:id', async (req, reply) => {
    const { id, signature } = await verified(req);
    const form = (req.body ?? {}) as Record<string, string>;
    if (form.score !== 'good' && form.score !== 'bad') {
      const { rating, ticket } = await loadSurvey(ctx, id);
      if (!ticket) return html(reply, closedPage(rating, ticket, 'closed'));
      return html(reply, surveyPage(view(rating, ticket, signature, { notice: { kind: 'error', text: 'Choose Good or Bad, then send your rating.' } })), 422);
    }
    const change: RatingChange = { score: form.score, comment: (form.comment ?? '').slice(0, MAX_RATING_COMMENT) };
    const { rating, ticket, closed } = await rateFromSurvey(ctx, { ratingId: id, change });
    if (closed) return html(reply, closedPage(rating, ticket, closed));
    return html(reply, surveyPage(view(rating, ticket!, signature, { notice: { kind: 'saved', text: 'Thank you! Your rating was saved.' } })));
  });
}
