import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/platform/clock.js';
import { sweepPendingTickets } from '../../src/modules/tickets/pending-reminders.js';
import { createAgent, createCustomer, createOrganization, technicalRequest, uniq, type Actor } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';

const DAY = 86_400_000;
const MINUTE = 60_000;
// The rule clock; the every-minute sweep job also runs on it, so tests assert state, never who did the work.
const clock = new ManualClock(new Date());
let env: TestEnv;
let agent: Actor;

beforeAll(async () => {
  env = await startTestApp({ PENDING_REMINDERS: '3d,7d', PENDING_AUTO_SOLVE: '14d' }, { clock });
  agent = await createAgent(env);
});
afterAll(() => env?.close());

const ticketRow = (id: number) => env.ctx.db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const remindersOf = (id: number) =>
  env.ctx.db.selectFrom('mail_outbox').select(['to_address', 'text_body']).where('ticket_id', '=', id).where('kind', '=', 'pending-reminder').orderBy('id').execute();
const ruleAudits = async (id: number, rule: string) =>
  ((await agent.api.get(`/api/v2/tickets/${id}/audits`)).body.audits as { author_id: number; via: { channel: string }; metadata: { custom: Record<string, unknown> }; events: Record<string, any>[] }[]).filter(
    (a) => a.metadata.custom.rule === rule,
  );

/** A customer request (with a CC) the agent answers with a question: pending from the clock's now. */
async function pendingRequest(o: { assign?: boolean; doNotClose?: boolean } = {}) {
  const customer = await createCustomer(env, await createOrganization(env));
  const cc = `cc-${uniq()}@example.com`;
  const res = await customer.api.post('/api/v2/requests', await technicalRequest(customer.api, { subject: `Waiting ${uniq()}`, email_ccs: [cc] }));
  const id = res.body.request.id as number;
  const asked = await agent.api.put(`/api/v2/tickets/${id}`, {
    ticket: { status: 'pending', ...(o.assign === false ? {} : { assignee_id: agent.user.id }), ...(o.doNotClose ? { do_not_close: true } : {}), comment: { body: 'Which iOS version are your users on?', public: true } },
  });
  expect(asked.body.ticket.status).toBe('pending');
  const row = await ticketRow(id);
  expect(row.pending_since?.getTime()).toBe(clock.now().getTime());
  return { customer, cc, id };
}
/**
 * Runs a sweep and waits until the ticket is settled. A sweep skips a ticket the scheduled sweep job
 * holds locked, so the row lock is taken (and released) to wait for that job's transaction to commit.
 */
async function sweep(id: number) {
  await sweepPendingTickets(env.ctx);
  await env.ctx.db.transaction().execute((tx) => tx.selectFrom('tickets').select('id').where('id', '=', id).forUpdate().execute());
}
/** Moves the rule clock to `ms` after the ticket entered pending, then sweeps. */
async function at(id: number, ms: number) {
  const since = (await ticketRow(id)).pending_since!;
  clock.set(new Date(since.getTime() + ms));
  await sweep(id);
}

describe('pending reminders', () => {
  it('reminds the requester and CCs once at 3 and once at 7 days, even with sweeps running side by side', async () => {
    const { customer, cc, id } = await pendingRequest();
    await at(id, 3 * DAY - MINUTE);
    expect(await remindersOf(id)).toHaveLength(0);

    const since = (await ticketRow(id)).pending_since!;
    clock.set(new Date(since.getTime() + 3 * DAY + MINUTE));
    // Three nodes sweep at once: row locks and the counter on the ticket keep it to one reminder.
    await Promise.all([sweep(id), sweep(id), sweep(id)]);
    let reminders = await remindersOf(id);
    expect(reminders.map((m) => m.to_address).sort()).toEqual([customer.user.email, cc].sort());
    expect(reminders[0].text_body).toContain(`We are waiting for your reply on request #${id}`);
    expect(reminders[0].text_body).toContain('Which iOS version are your users on?');
    expect(reminders[0].text_body).toContain(`we will mark the request solved on ${new Date(since.getTime() + 14 * DAY).toISOString().slice(0, 10)}`);
    expect((await ticketRow(id)).pending_reminders_sent).toBe(1);

    await at(id, 5 * DAY);
    expect(await remindersOf(id)).toHaveLength(2);
    await at(id, 7 * DAY + MINUTE);
    await Promise.all([sweep(id), sweep(id)]);
    reminders = await remindersOf(id);
    expect(reminders).toHaveLength(4);
    expect((await ticketRow(id)).pending_reminders_sent).toBe(2);
    await at(id, 13 * DAY);
    expect(await remindersOf(id)).toHaveLength(4);
    expect((await ticketRow(id)).status).toBe('pending');

    // Real mail reaches the requester, threaded on the ticket.
    const mail = await env.mail.waitFor((m) => m.to.includes(customer.user.email.toLowerCase()) && m.text.includes('We are waiting for your reply'));
    expect(mail.references).toContain(`<ticket-${id}@sundial.test>`);
    expect(mail.raw.replyTo?.value[0].address).toMatch(new RegExp(`^support\\+${id}-[A-Za-z0-9_-]{12}@sundial\\.test$`));
    const audits = await ruleAudits(id, 'pending-reminder');
    expect(audits.map((a) => a.events[0].value.reminder)).toEqual([1, 2]);
    expect(audits[0]).toMatchObject({ author_id: -1, via: { channel: 'rule' }, events: [{ type: 'Notification', value: { kind: 'pending-reminder', of: 2 } }] });
    expect(audits[0].events[0].value.recipients).toHaveLength(2);
  });

  it('sends one reminder, not a burst, when several thresholds passed at once', async () => {
    const { id } = await pendingRequest();
    await at(id, 8 * DAY);
    expect(await remindersOf(id)).toHaveLength(2); // requester + CC, reminder 2 of 2
    expect((await ruleAudits(id, 'pending-reminder')).map((a) => a.events[0].value.reminder)).toEqual([2]);
  });

  it('sends nothing and never solves while "do not close" is set; clearing it starts the wait again', async () => {
    const { id } = await pendingRequest({ doNotClose: true });
    await at(id, 20 * DAY);
    expect(await remindersOf(id)).toHaveLength(0);
    expect((await ticketRow(id)).status).toBe('pending');

    const cleared = await agent.api.put(`/api/v2/tickets/${id}`, { ticket: { do_not_close: false } });
    expect(cleared.status).toBe(200);
    expect((await ticketRow(id)).pending_since!.getTime()).toBe(clock.now().getTime());
    await at(id, 2 * DAY);
    expect(await remindersOf(id)).toHaveLength(0);
    await at(id, 3 * DAY);
    expect(await remindersOf(id)).toHaveLength(2);
  });

  it('resets the timer when the customer replies and the ticket is set pending again', async () => {
    const { customer, id } = await pendingRequest();
    await at(id, 4 * DAY);
    expect(await remindersOf(id)).toHaveLength(2);

    const reply = await customer.api.put(`/api/v2/requests/${id}`, { request: { comment: { body: 'iOS 17.4 on all devices.' } } });
    expect(reply.body.request.status).toBe('open');
    expect(await ticketRow(id)).toMatchObject({ pending_since: null, pending_reminders_sent: 0 });
    await sweep(id);
    clock.advance(DAY);
    const asked = await agent.api.put(`/api/v2/tickets/${id}`, { ticket: { status: 'pending', comment: { body: 'And which server version?', public: true } } });
    expect(asked.body.ticket.status).toBe('pending');
    const restarted = clock.now().getTime();
    expect((await ticketRow(id)).pending_since!.getTime()).toBe(restarted);

    // 7 days after the first wait began, but only 2 into the new one: nothing.
    clock.set(new Date(restarted + 2 * DAY));
    await sweep(id);
    expect(await remindersOf(id)).toHaveLength(2);
    await at(id, 3 * DAY + MINUTE);
    const reminders = await remindersOf(id);
    expect(reminders).toHaveLength(4);
    expect(reminders[3].text_body).toContain('And which server version?');
  });
});

describe('pending auto-solve', () => {
  it('solves after 14 days as a rule, with a public comment that says why, mailed to the customer', async () => {
    const { customer, id } = await pendingRequest();
    await at(id, 14 * DAY - MINUTE);
    expect((await ticketRow(id)).status).toBe('pending');
    await at(id, 14 * DAY);
    await Promise.all([sweep(id), sweep(id)]);

    const ticket = (await agent.api.get(`/api/v2/tickets/${id}`)).body.ticket;
    expect(ticket.status).toBe('solved');
    expect(ticket.assignee_id).toBe(agent.user.id);
    const row = await ticketRow(id);
    expect(row).toMatchObject({ pending_since: null, pending_reminders_sent: 0 });
    const [audit] = await ruleAudits(id, 'pending-auto-solve');
    expect(audit).toMatchObject({ author_id: -1, via: { channel: 'rule' }, metadata: { custom: { rule: 'pending-auto-solve', after_ms: 14 * DAY } } });
    expect(audit.events).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'Change', field_name: 'status', previous_value: 'pending', value: 'solved' }), expect.objectContaining({ type: 'Comment', public: true })]),
    );
    expect(await ruleAudits(id, 'pending-auto-solve')).toHaveLength(1);

    const comments = (await customer.api.get(`/api/v2/requests/${id}/comments`)).body.comments;
    const last = comments[comments.length - 1];
    expect(last.body).toBe('We have not heard back from you for 14 days, so we are marking this request as solved.\n\nIf you still need help, just reply and we will pick it up again.');
    expect(last.author_id).toBe(agent.user.id);
    const mail = await env.mail.waitFor((m) => m.to.includes(customer.user.email.toLowerCase()) && m.text.includes('We have not heard back from you for 14 days'));
    expect(mail.subject).toContain(`[Request #${id}]`);
    // Jumping straight to day 14 sent the last reminder on the way (one, to requester and CC), not a burst.
    expect(await remindersOf(id)).toHaveLength(2);
  });

  it('does not solve an unassigned ticket: records why once, and solves after it is assigned', async () => {
    const { id } = await pendingRequest({ assign: false });
    await at(id, 15 * DAY);
    await sweep(id);
    const row = await ticketRow(id);
    expect(row.status).toBe('pending');
    expect(row.pending_auto_solve_blocked).toBe('the ticket has no assignee');
    const blocked = await ruleAudits(id, 'pending-auto-solve');
    expect(blocked).toHaveLength(1);
    expect(blocked[0].events[0]).toMatchObject({ type: 'Change', field_name: 'pending_auto_solve_blocked', value: 'the ticket has no assignee' });

    const assigned = await agent.api.put(`/api/v2/tickets/${id}`, { ticket: { assignee_id: agent.user.id } });
    expect(assigned.body.ticket.status).toBe('pending');
    expect((await ticketRow(id)).pending_auto_solve_blocked).toBeNull();
    await sweep(id);
    expect((await ticketRow(id)).status).toBe('solved');
    expect(await ruleAudits(id, 'pending-auto-solve')).toHaveLength(2);
  });

  it('leaves deleted tickets alone', async () => {
    const { id } = await pendingRequest();
    expect((await agent.api.delete(`/api/v2/tickets/${id}`)).status).toBe(204);
    await at(id, 15 * DAY);
    expect(await remindersOf(id)).toHaveLength(0);
    expect((await ticketRow(id)).status).toBe('pending');
  });
});
