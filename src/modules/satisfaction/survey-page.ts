import type { SatisfactionScore } from '../../platform/db-types.js';
import type { SurveyClosedReason } from './rate.js';
import { escapeHtml } from '../../platform/html.js';


/** The two answers, worded as Mattermost's survey words them (spec §7). */
export const SCORE_LABEL = { good: 'Good, I’m satisfied', bad: 'Bad, I’m unsatisfied' } as const;

export const QUESTION = 'How would you rate the support you received?';

const shell = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><meta name="referrer" content="no-referrer"><title>${escapeHtml(title)} · Sundial Support</title>
<style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#1f2933;line-height:1.5}
fieldset{border:0;padding:0;margin:1rem 0;display:flex;gap:.75rem;flex-wrap:wrap}legend{font-weight:600;margin-bottom:.5rem}
.choice{display:flex;align-items:center;gap:.4rem;border:1px solid #ced4da;border-radius:.4rem;padding:.6rem 1rem;cursor:pointer}
textarea{width:100%;box-sizing:border-box;font:inherit;padding:.5rem;border:1px solid #ced4da;border-radius:.4rem}
button{font-size:1rem;padding:.6rem 1.2rem;border:0;border-radius:.4rem;background:#1864ab;color:#fff;cursor:pointer;margin-top:.75rem}
.note{padding:.75rem 1rem;border-radius:.4rem;background:#e7f5ff}.error{background:#fff5f5;color:#c92a2a}a{color:#1864ab}</style></head><body>${body}</body></html>`;

export interface SurveyView {
  ratingId: number;
  signature: string;
  ticket: { id: number; subject: string };
  score: SatisfactionScore;
  comment: string | null;
  /** The answer to preselect (from the link the requester clicked), else the current one. */
  choice?: 'good' | 'bad';
  /** Shown above the form: a thank-you after saving, or what was wrong with the answer. */
  notice?: { kind: 'saved' | 'error'; text: string };
}

const requestLink = (id: number) => `<p><a href="/requests/${id}">View request #${id}</a> (sign-in needed)</p>`;
const current = (score: SatisfactionScore, comment: string | null) =>
  score === 'offered' ? '' : `<p>Your rating: <strong>${SCORE_LABEL[score]}</strong>${comment ? ` — “${escapeHtml(comment)}”` : ''}</p>`;

/**
 * The page a survey link opens: the question, Good / Bad, an optional comment and one button. Opening
 * it records nothing (mail scanners and link previews fetch every URL); only the form's POST does.
 */
export function surveyPage(v: SurveyView): string {
  const choice = v.choice ?? (v.score === 'offered' ? undefined : v.score);
  const radio = (score: 'good' | 'bad') =>
    `<label class="choice"><input type="radio" name="score" value="${score}" required${choice === score ? ' checked' : ''}> ${SCORE_LABEL[score]}</label>`;
  const notice = v.notice ? `<p class="note${v.notice.kind === 'error' ? ' error' : ''}" role="${v.notice.kind === 'error' ? 'alert' : 'status'}">${escapeHtml(v.notice.text)}</p>` : '';
  return shell(
    'Rate our support',
    `<h1>${QUESTION}</h1><p>Request #${v.ticket.id} “${escapeHtml(v.ticket.subject)}”</p>${notice}${current(v.score, v.comment)}
<form method="post" action="/satisfaction/${v.ratingId}?signature=${encodeURIComponent(v.signature)}">
<fieldset><legend>Your rating</legend>${radio('good')}${radio('bad')}</fieldset>
<label for="comment">Comment (optional)</label>
<textarea id="comment" name="comment" rows="4" maxlength="5000">${escapeHtml(v.comment ?? '')}</textarea>
<button type="submit">${v.score === 'offered' ? 'Send rating' : 'Update rating'}</button>
</form>
<p>You can change your rating until the request is closed.</p>${requestLink(v.ticket.id)}`,
  );
}

const CLOSED_TEXT: Record<SurveyClosedReason, string> = {
  closed: 'This request is closed, so its rating can no longer be given or changed.',
  reopened: 'This request was reopened, so this survey is closed. When it is solved again we will ask you again.',
  superseded: 'This request was solved again since this survey was sent; please use the newest survey.',
};

/** A survey whose solve is over: why, and the rating it had. */
export function surveyClosedPage(v: { ticket: { id: number; subject: string } | null; score: SatisfactionScore; comment: string | null; reason: SurveyClosedReason }): string {
  const about = v.ticket ? `<p>Request #${v.ticket.id} “${escapeHtml(v.ticket.subject)}”</p>` : '';
  return shell('Survey closed', `<h1>This survey is closed</h1>${about}<p>${CLOSED_TEXT[v.reason]}</p>${current(v.score, v.comment)}${v.ticket ? requestLink(v.ticket.id) : ''}`);
}
