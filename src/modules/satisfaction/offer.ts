import type { AppContext } from '../../platform/context.js';
import { mailContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db.js';
import type { Ticket, User } from '../../platform/db-types.js';
import { signId } from '../../platform/signing.js';
import { queueMail } from '../mail/outbox.js';
import { AuditWriter } from '../tickets/audit-writer.js';
import { threadHeaders } from '../tickets/notifications.js';
import { nextUpdatedAt } from '../tickets/tickets.repository.js';
import { ticketWriteHooks } from '../tickets/write-hooks.js';
import type { Rating } from './ratings.repository.js';
import { escapeHtml } from '../../platform/html.js';
import { SCORE_LABEL } from './survey-page.js';

/** Signature purpose of survey links: they carry the rating (survey) id, so one link serves one solve of one ticket. */
export const SURVEY_PURPOSE = 'csat';

/**
 * Jobs and clocks on different nodes disagree by a little; a survey found due within this margin is
 * sent. Anything further away belongs to a later solve, whose own job comes at its own time.
 */
const DUE_MARGIN_MS = 60_000;

export type OfferOutcome = 'offered' | 'not-solved' | 'not-due' | 'already-offered' | 'requester-excluded';

// Every solve schedules its survey (spec §7): CSAT_AFTER after the solve. The job re-checks everything.
ticketWriteHooks.push(async (tx, ctx, { before, after }) => {
  if (after.status !== 'solved' || before?.status === 'solved' || !after.solved_at) return;
  await ctx.jobs.send('csat.offer', { ticketId: after.id }, { tx, startAfter: new Date(after.solved_at.getTime() + ctx.config.csatAfterMs) });
});

/** The page a survey link opens (GET shows the choice, POST records it). */
export async function surveyLink(db: Executor, ctx: AppContext, ratingId: number, score?: 'good' | 'bad'): Promise<string> {
  const signature = await signId(db, SURVEY_PURPOSE, ratingId);
  return `${ctx.config.publicUrl}/satisfaction/${ratingId}?${new URLSearchParams({ ...(score ? { score } : {}), signature })}`;
}

/**
 * The `csat.offer` job: sends the survey of the ticket's current solve, once. Skipped when the ticket
 * is no longer solved (reopened, or already closed: ratings are not accepted after close, so neither
 * is a survey sent), when the solve is newer than CSAT_AFTER (a reopen-and-solve; its own job comes
 * later), when this solve was already offered or rated, and when the requester is inactive, suspended
 * or staff (agents cannot rate). The unique (ticket, solve) row makes it exactly-once across nodes.
 */
export async function offerSurvey(ctx: AppContext, ticketId: number): Promise<OfferOutcome> {
  return ctx.db.transaction().execute(async (tx) => {
    const ticket = await tx.selectFrom('tickets').selectAll().where('id', '=', ticketId).where('deleted_at', 'is', null).forUpdate().executeTakeFirst();
    if (!ticket || ticket.status !== 'solved' || !ticket.solved_at) return 'not-solved';
    const now = ctx.clock.now();
    if (ticket.solved_at.getTime() + ctx.config.csatAfterMs > now.getTime() + DUE_MARGIN_MS) return 'not-due';
    const requester = await tx.selectFrom('users').selectAll().where('id', '=', ticket.requester_id).executeTakeFirstOrThrow();
    if (!requester.active || requester.suspended || requester.role !== 'end-user') return 'requester-excluded';
    const rating = await tx
      .insertInto('satisfaction_ratings')
      .values({
        ticket_id: ticket.id,
        ticket_solved_at: ticket.solved_at,
        requester_id: requester.id,
        assignee_id: ticket.assignee_id,
        group_id: ticket.group_id,
        score: 'offered',
        offered_at: now,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.columns(['ticket_id', 'ticket_solved_at']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!rating) return 'already-offered';

    const audit = new AuditWriter();
    const auditId = await audit.open(tx, ticket.id, null, 'rule', { rule: 'csat-offer', after_ms: ctx.config.csatAfterMs });
    audit.events.push({ type: 'SatisfactionRating', field_name: 'satisfaction_rating', value: { score: 'offered', rating_id: rating.id, recipient_id: requester.id } });
    await audit.flush(tx, auditId);
    await tx.updateTable('tickets').set({ updated_at: nextUpdatedAt(ticket.updated_at) }).where('id', '=', ticket.id).execute();
    await mailSurvey(tx, ctx, ticket, requester, rating);
    return 'offered';
  });
}

async function mailSurvey(tx: Executor, ctx: AppContext, ticket: Ticket, requester: User, rating: Rating): Promise<void> {
  const good = await surveyLink(tx, ctx, rating.id, 'good');
  const bad = await surveyLink(tx, ctx, rating.id, 'bad');
  const request = `${ctx.config.publicUrl}/requests/${ticket.id}`;
  await queueMail(tx, mailContext(ctx), {
    ...(await threadHeaders(tx, ctx, ticket.id)),
    to: requester.email,
    kind: 'csat',
    subject: `[Request #${ticket.id}] How would you rate the support you received?`,
    text: [
      `Hello ${requester.name},`,
      '',
      `Your request #${ticket.id} "${ticket.subject}" was solved. How would you rate the support you received?`,
      '',
      `${SCORE_LABEL.good}: ${good}`,
      `${SCORE_LABEL.bad}: ${bad}`,
      '',
      'The page that opens lets you add a comment. You can change your rating until the request is closed.',
      '',
      `View your request: ${request}`,
    ].join('\n'),
    html: `<p>Hello ${escapeHtml(requester.name)},</p>
<p>Your request #${ticket.id} “${escapeHtml(ticket.subject)}” was solved. <strong>How would you rate the support you received?</strong></p>
<p><a href="${escapeHtml(good)}">${SCORE_LABEL.good}</a></p>
<p><a href="${escapeHtml(bad)}">${SCORE_LABEL.bad}</a></p>
<p>The page that opens lets you add a comment. You can change your rating until the request is closed.</p>
<p><a href="${escapeHtml(request)}">View your request</a></p>`,
  });
}
