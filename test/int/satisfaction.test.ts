import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offerSurvey } from '../../src/modules/satisfaction/offer.js';
import { Api } from '../api.js';
import { createAgent, createCustomer, createOrganization, technicalRequest, uniq, type Actor } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';
import { linkIn, type CaughtMail } from '../mail-catcher.js';

// Surveys go out CSAT_AFTER after the solve; a short one lets the real pg-boss job send them here.
const CSAT_AFTER_MS = 2000;
let env: TestEnv;
let agent: Actor;

beforeAll(async () => {
  env = await startTestApp({ CSAT_AFTER: `${CSAT_AFTER_MS}ms` });
  agent = await createAgent(env);
});
afterAll(() => env?.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const surveySubject = (id: number) => `[Request #${id}] How would you rate the support you received?`;
const surveysOf = (id: number) => env.mail.messages.filter((m) => m.subject === surveySubject(id));
const waitForSurvey = (id: number) => env.mail.waitFor((m) => m.subject === surveySubject(id));
const ratingRows = (id: number) => env.ctx.db.selectFrom('satisfaction_ratings').selectAll().where('ticket_id', '=', id).orderBy('id').execute();
const anonymous = () => new Api(env.app);
const surveyUrl = (mail: CaughtMail) => new URL(linkIn(mail, 'http://sundial.test/satisfaction/'));
/** The survey page as the mail's Good or Bad link opens it, for the in-process client. */
const surveyPath = (mail: CaughtMail, score: 'good' | 'bad') => {
  const url = surveyUrl(mail);
  url.searchParams.set('score', score);
  return `${url.pathname}${url.search}`;
};
/** What the page's form posts: the fields, to the signed URL. */
const postForm = (mail: CaughtMail, form: Record<string, string>) => {
  const url = surveyUrl(mail);
  return anonymous().request('POST', `${url.pathname}?signature=${encodeURIComponent(url.searchParams.get('signature')!)}`, new URLSearchParams(form).toString(), {
    'content-type': 'application/x-www-form-urlencoded',
  });
};

/** A customer's Technical Support request, solved by the agent with a public answer. */
async function solvedRequest(o: { ccs?: string[] } = {}) {
  const org = await createOrganization(env);
  const customer = await createCustomer(env, org);
  const subject = `Push stopped ${uniq()}`;
  const res = await customer.api.post('/api/v2/requests', await technicalRequest(customer.api, { subject, ...(o.ccs ? { email_ccs: o.ccs } : {}) }));
  expect(res.status).toBe(201);
  const id = res.body.request.id as number;
  await solve(id);
  return { org, customer, id, subject };
}
async function solve(id: number) {
  const res = await agent.api.put(`/api/v2/tickets/${id}`, { ticket: { assignee_id: agent.user.id, status: 'solved', comment: { body: 'Restart the push proxy, then it works again.', public: true } } });
  expect(res.status).toBe(200);
  expect(res.body.ticket.status).toBe('solved');
}
const rate = (api: Api, id: number, score: string, comment?: string | null) => api.post(`/api/v2/tickets/${id}/satisfaction_rating`, { satisfaction_rating: { score, ...(comment !== undefined ? { comment } : {}) } });

describe('satisfaction survey', () => {
  it('mails the requester (not the CCs) once, CSAT_AFTER after the solve, with Good and Bad links', async () => {
    const cc = `cc-${uniq()}@example.com`;
    const { customer, id, subject } = await solvedRequest({ ccs: [cc] });
    // Not before CSAT_AFTER.
    expect(await ratingRows(id)).toHaveLength(0);
    expect((await agent.api.get(`/api/v2/tickets/${id}`)).body.ticket.satisfaction_rating).toBeNull();

    const mail = await waitForSurvey(id);
    expect(mail.to).toEqual([customer.user.email.toLowerCase()]);
    expect(mail.text).toContain(`Your request #${id} "${subject}" was solved. How would you rate the support you received?`);
    expect(mail.text).toMatch(/Good, I’m satisfied: http:\/\/sundial\.test\/satisfaction\/\d+\?score=good&signature=/);
    expect(mail.text).toMatch(/Bad, I’m unsatisfied: http:\/\/sundial\.test\/satisfaction\/\d+\?score=bad&signature=/);
    expect(mail.html).toContain('How would you rate the support you received?');
    expect(mail.references).toContain(`<ticket-${id}@sundial.test>`);
    // A reply to the survey threads on the ticket like any other notification.
    expect(mail.raw.replyTo?.value[0].address).toMatch(new RegExp(`^support\\+${id}-[A-Za-z0-9_-]{12}@sundial\\.test$`));

    const [row] = await ratingRows(id);
    expect(row).toMatchObject({ score: 'offered', requester_id: customer.user.id, assignee_id: agent.user.id, comment: null });
    expect((await agent.api.get(`/api/v2/tickets/${id}`)).body.ticket.satisfaction_rating).toEqual({ score: 'offered' });
    expect((await customer.api.get(`/api/v2/requests/${id}`)).body.request.satisfaction_rating).toEqual({ score: 'offered' });
    const audits = (await agent.api.get(`/api/v2/tickets/${id}/audits`)).body.audits;
    const offered = audits.find((a: { metadata: { custom: { rule?: string } } }) => a.metadata.custom.rule === 'csat-offer');
    expect(offered).toMatchObject({ author_id: -1, via: { channel: 'rule' }, events: [{ type: 'SatisfactionRating', value: { score: 'offered', recipient_id: customer.user.id } }] });

    // Exactly once: a second run of the job (a retry, another node) finds the survey sent.
    expect(await offerSurvey(env.ctx, id)).toBe('already-offered');
    await sleep(CSAT_AFTER_MS + 500);
    expect(surveysOf(id)).toHaveLength(1);
    expect(env.mail.to(cc).filter((m) => m.subject === surveySubject(id))).toHaveLength(0);
  });

  it('is not sent when the request is reopened before CSAT_AFTER, and is offered again after the next solve', async () => {
    const { customer, id } = await solvedRequest();
    const reopened = await customer.api.put(`/api/v2/requests/${id}`, { request: { comment: { body: 'Still broken on Android.' } } });
    expect(reopened.body.request.status).toBe('open');
    await sleep(CSAT_AFTER_MS + 1500);
    expect(surveysOf(id)).toHaveLength(0);
    expect(await ratingRows(id)).toHaveLength(0);
    expect(await offerSurvey(env.ctx, id)).toBe('not-solved');

    // Solved again: one survey for this solve. Rated, reopened and solved once more: a new survey.
    await solve(id);
    await waitForSurvey(id);
    expect(await rate(customer.api, id, 'good', 'Thanks!')).toMatchObject({ status: 200 });
    await customer.api.put(`/api/v2/requests/${id}`, { request: { comment: { body: 'It broke again after the restart.' } } });
    await solve(id);
    await env.mail.waitFor(() => surveysOf(id).length === 2);
    const rows = await ratingRows(id);
    expect(rows.map((r) => r.score)).toEqual(['good', 'offered']);
    expect(rows[0].ticket_solved_at.getTime()).toBeLessThan(rows[1].ticket_solved_at.getTime());
    // The ticket shows its latest survey; the earlier rating stays in the ratings list.
    expect((await agent.api.get(`/api/v2/tickets/${id}`)).body.ticket.satisfaction_rating).toEqual({ score: 'offered' });
    expect((await agent.api.get(`/api/v2/satisfaction_ratings/${rows[0].id}`)).body.satisfaction_rating).toMatchObject({ ticket_id: id, score: 'good', comment: 'Thanks!' });
  });

  it('is not sent to a suspended requester', async () => {
    const { customer, id } = await solvedRequest();
    await env.ctx.db.updateTable('users').set({ suspended: true }).where('id', '=', customer.user.id).execute();
    await sleep(CSAT_AFTER_MS + 1500);
    expect(surveysOf(id)).toHaveLength(0);
    expect(await offerSurvey(env.ctx, id)).toBe('requester-excluded');
  });
});

describe('rating from the survey link (no login)', () => {
  it('shows the choice on GET without recording it, records and changes it on POST, with an audit each time', async () => {
    const { id } = await solvedRequest();
    const mail = await waitForSurvey(id);

    const page = await anonymous().get(surveyPath(mail, 'good'));
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain('How would you rate the support you received?');
    expect(page.body).toMatch(/value="good" required checked/);
    expect(page.body).not.toMatch(/value="bad" required checked/);
    const bad = await anonymous().get(surveyPath(mail, 'bad'));
    expect(bad.body).toMatch(/value="bad" required checked/);
    // Opening links (mail scanners, previews) records nothing.
    expect((await ratingRows(id))[0].score).toBe('offered');

    const saved = await postForm(mail, { score: 'good', comment: 'Quick and <b>clear</b>' });
    expect(saved.status).toBe(200);
    expect(saved.body).toContain('Thank you! Your rating was saved.');
    expect(saved.body).toContain('Quick and &lt;b&gt;clear&lt;/b&gt;');
    expect(saved.body).not.toContain('<b>clear</b>');
    expect((await ratingRows(id))[0]).toMatchObject({ score: 'good', comment: 'Quick and <b>clear</b>' });

    const changed = await postForm(mail, { score: 'bad', comment: 'It broke again' });
    expect(changed.status).toBe(200);
    const rows = await ratingRows(id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ score: 'bad', comment: 'It broke again' });
    expect((await agent.api.get(`/api/v2/tickets/${id}`)).body.ticket.satisfaction_rating).toEqual({ id: rows[0].id, score: 'bad', comment: 'It broke again' });

    // The same answer again changes nothing.
    await postForm(mail, { score: 'bad', comment: 'It broke again' });
    const ratingEvents = (await agent.api.get(`/api/v2/tickets/${id}/audits`)).body.audits.flatMap((a: { author_id: number; events: { type: string }[] }) =>
      a.events.filter((e) => e.type === 'SatisfactionRating').map((e) => ({ ...e, author_id: a.author_id })),
    );
    expect(ratingEvents.map((e: { value: { score: string } }) => e.value.score)).toEqual(['offered', 'good', 'bad']);
    expect(ratingEvents[1].value.previous).toBeNull();
    expect(ratingEvents[2].value).toMatchObject({ score: 'bad', comment: 'It broke again', previous: { score: 'good', comment: 'Quick and <b>clear</b>' } });
    expect(ratingEvents[1].author_id).toBe(rows[0].requester_id);

    const missing = await postForm(mail, { comment: 'no score' });
    expect(missing.status).toBe(422);
    expect(missing.body).toContain('Choose Good or Bad');
  });

  it('refuses a forged or borrowed signature with 404', async () => {
    const first = await solvedRequest();
    const second = await solvedRequest();
    const mailA = await waitForSurvey(first.id);
    const mailB = await waitForSurvey(second.id);
    const a = new URL(linkIn(mailA, 'http://sundial.test/satisfaction/'));
    const b = new URL(linkIn(mailB, 'http://sundial.test/satisfaction/'));
    expect((await anonymous().get(`${a.pathname}?score=good&signature=${b.searchParams.get('signature')}`)).status).toBe(404);
    expect((await anonymous().get(`${a.pathname}?score=good&signature=forged`)).status).toBe(404);
    expect((await anonymous().get(`${a.pathname}?score=good`)).status).toBe(404);
    const forgedPost = await anonymous().request('POST', `${a.pathname}?signature=${b.searchParams.get('signature')}`, 'score=good', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(forgedPost.status).toBe(404);
    expect((await ratingRows(first.id))[0].score).toBe('offered');
  });

  it('closes the survey once the request is reopened or closed, keeping the rating given', async () => {
    const { customer, id } = await solvedRequest();
    const mail = await waitForSurvey(id);
    await postForm(mail, { score: 'good', comment: '' });
    expect((await ratingRows(id))[0]).toMatchObject({ score: 'good', comment: null });

    await customer.api.put(`/api/v2/requests/${id}`, { request: { comment: { body: 'Wait, one more question.' } } });
    const reopened = await anonymous().get(surveyPath(mail, 'bad'));
    expect(reopened.status).toBe(200);
    expect(reopened.body).toContain('This survey is closed');
    expect(reopened.body).toContain('was reopened');
    const ignored = await postForm(mail, { score: 'bad' });
    expect(ignored.body).toContain('This survey is closed');
    expect((await ratingRows(id))[0].score).toBe('good');

    // Solved again and closed by the automation before the requester used the new survey.
    await solve(id);
    const second = await env.mail.waitFor(() => surveysOf(id).length === 2).then(() => surveysOf(id)[1]);
    await env.ctx.db.updateTable('tickets').set({ status: 'closed', closed_at: new Date() }).where('id', '=', id).execute();
    const closed = await postForm(second, { score: 'bad' });
    expect(closed.body).toContain('This request is closed');
    expect((await ratingRows(id)).map((r) => r.score)).toEqual(['good', 'offered']);
  });
});

describe('POST /api/v2/tickets/{id}/satisfaction_rating', () => {
  it('lets the requester rate a solved request before or after the survey, and change it; the survey then is not sent', async () => {
    const { customer, id } = await solvedRequest();
    const good = await rate(customer.api, id, 'good', 'Spot on');
    expect(good.status).toBe(200);
    expect(good.body.satisfaction_rating.url).toMatch(new RegExp(`/api/v2/satisfaction_ratings/${good.body.satisfaction_rating.id}\\.json$`));
    expect(good.body.satisfaction_rating).toMatchObject({
      ticket_id: id,
      requester_id: customer.user.id,
      assignee_id: agent.user.id,
      score: 'good',
      comment: 'Spot on',
      reason: null,
    });
    // The comment stays when only the score changes.
    const bad = await rate(customer.api, id, 'bad');
    expect(bad.body.satisfaction_rating).toMatchObject({ id: good.body.satisfaction_rating.id, score: 'bad', comment: 'Spot on' });
    const cleared = await rate(customer.api, id, 'bad', null);
    expect(cleared.body.satisfaction_rating.comment).toBeNull();

    const request = (await customer.api.get(`/api/v2/requests/${id}`)).body.request;
    expect(request.satisfaction_rating).toEqual({ id: good.body.satisfaction_rating.id, score: 'bad', comment: null });
    const [listed] = (await agent.api.get(`/api/v2/tickets/show_many?ids=${id}`)).body.tickets;
    expect(listed.satisfaction_rating).toEqual({ id: good.body.satisfaction_rating.id, score: 'bad', comment: null });

    // Rated before CSAT_AFTER: the job finds the solve rated and sends nothing.
    await sleep(CSAT_AFTER_MS + 1500);
    expect(surveysOf(id)).toHaveLength(0);
    expect(await offerSurvey(env.ctx, id)).toBe('already-offered');
  });

  it('answers 404 to other customers, 403 to CCs and agents, 422 unless solved, and validates the score', async () => {
    const org = await createOrganization(env);
    const colleague = await createCustomer(env, org);
    const { customer, id } = await solvedRequest({ ccs: [colleague.user.email] });
    const stranger = await createCustomer(env, await createOrganization(env));

    const notYours = await rate(stranger.api, id, 'good');
    expect(notYours.status).toBe(404);
    expect((await rate(customer.api, 999_999_999, 'good')).status).toBe(404);
    const ccd = await rate(colleague.api, id, 'good');
    expect(ccd.status).toBe(403);
    expect(ccd.body.description).toBe('Only the requester of this request can rate it');
    const byAgent = await rate(agent.api, id, 'good');
    expect(byAgent.status).toBe(403);
    expect(byAgent.body.description).toMatch(/Agents cannot rate/);
    expect((await anonymous().post(`/api/v2/tickets/${id}/satisfaction_rating`, { satisfaction_rating: { score: 'good' } })).status).toBe(401);

    const wrong = await rate(customer.api, id, 'offered');
    expect(wrong.status).toBe(422);
    expect(wrong.body.details.score[0].description).toMatch(/good or bad/);
    const long = await rate(customer.api, id, 'good', 'x'.repeat(5001));
    expect(long.status).toBe(422);

    await customer.api.put(`/api/v2/requests/${id}`, { request: { comment: { body: 'Reopening, sorry.' } } });
    const open = await rate(customer.api, id, 'good');
    expect(open.status).toBe(422);
    expect(open.body).toMatchObject({ error: 'RecordInvalid', description: 'Only solved requests can be rated; this one is open' });

    await solve(id);
    expect((await rate(customer.api, id, 'good')).status).toBe(200);
    // The requester's feedback is theirs: a CC sees the request but not the rating.
    expect((await customer.api.get(`/api/v2/requests/${id}`)).body.request.satisfaction_rating).toMatchObject({ score: 'good' });
    expect((await colleague.api.get(`/api/v2/requests/${id}`)).body.request.satisfaction_rating).toBeNull();
    await env.ctx.db.updateTable('tickets').set({ status: 'closed', closed_at: new Date() }).where('id', '=', id).execute();
    const closed = await rate(customer.api, id, 'bad');
    expect(closed.status).toBe(422);
    expect(closed.body.description).toBe('This request is closed: its rating can no longer be given or changed');
    expect((await ratingRows(id)).at(-1)!.score).toBe('good');
  });
});

describe('GET /api/v2/satisfaction_ratings', () => {
  it('lists ratings for agents in Zendesk shape, filtered by score and time, with a count', async () => {
    const a = await solvedRequest();
    const b = await solvedRequest();
    const c = await solvedRequest();
    expect((await rate(a.customer.api, a.id, 'good', 'Great help')).status).toBe(200);
    expect((await rate(b.customer.api, b.id, 'bad')).status).toBe(200);
    await waitForSurvey(c.id); // c stays offered
    const idsOf = async (query: string) => {
      const res = await agent.api.get(`/api/v2/satisfaction_ratings?per_page=100${query}`);
      expect(res.status).toBe(200);
      return new Set((res.body.satisfaction_ratings as { ticket_id: number }[]).map((r) => r.ticket_id).filter((t) => [a.id, b.id, c.id].includes(t)));
    };
    expect(await idsOf('')).toEqual(new Set([a.id, b.id, c.id]));
    expect(await idsOf('&score=good')).toEqual(new Set([a.id]));
    expect(await idsOf('&score=bad')).toEqual(new Set([b.id]));
    expect(await idsOf('&score=received')).toEqual(new Set([a.id, b.id]));
    expect(await idsOf('&score=good_with_comment')).toEqual(new Set([a.id]));
    expect(await idsOf('&score=received_without_comment')).toEqual(new Set([b.id]));
    expect(await idsOf('&score=offered')).toEqual(new Set([c.id]));
    expect(await idsOf('&score=unoffered')).toEqual(new Set());
    const future = Math.floor(Date.now() / 1000) + 3600;
    expect(await idsOf(`&start_time=${future}`)).toEqual(new Set());
    expect(await idsOf(`&end_time=${Math.floor(Date.now() / 1000) - 3600}`)).toEqual(new Set());
    expect(await idsOf(`&start_time=${Math.floor(Date.now() / 1000) - 3600}&end_time=${future}&score=good`)).toEqual(new Set([a.id]));

    const page = (await agent.api.get('/api/v2/satisfaction_ratings?score=good')).body;
    const mine = page.satisfaction_ratings.find((r: { ticket_id: number }) => r.ticket_id === a.id);
    expect(Object.keys(mine).sort()).toEqual(['assignee_id', 'comment', 'created_at', 'group_id', 'id', 'reason', 'reason_code', 'reason_id', 'requester_id', 'score', 'ticket_id', 'updated_at', 'url'].sort());
    expect(mine).toMatchObject({ score: 'good', comment: 'Great help', requester_id: a.customer.user.id, assignee_id: agent.user.id });
    expect(typeof mine.group_id).toBe('number');
    expect(page.count).toBeGreaterThanOrEqual(1);

    const cursor = (await agent.api.get('/api/v2/satisfaction_ratings?page[size]=1')).body;
    expect(cursor.satisfaction_ratings).toHaveLength(1);
    expect(cursor.meta.has_more).toBe(true);

    const count = (await agent.api.get('/api/v2/satisfaction_ratings/count?score=received')).body.count;
    expect(count.value).toBeGreaterThanOrEqual(2);
    expect((await agent.api.get('/api/v2/satisfaction_ratings?score=excellent')).status).toBe(400);
    expect((await agent.api.get('/api/v2/satisfaction_ratings?start_time=yesterday')).status).toBe(400);
    expect((await agent.api.get('/api/v2/satisfaction_ratings/999999999')).status).toBe(404);
    expect((await a.customer.api.get('/api/v2/satisfaction_ratings')).status).toBe(403);
    expect((await a.customer.api.get(`/api/v2/satisfaction_ratings/${mine.id}`)).status).toBe(403);
  });
});
