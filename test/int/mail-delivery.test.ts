import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../api.js';
import { createAgent, createCustomer } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';

let env: TestEnv;
beforeAll(async () => {
  env = await startTestApp();
});
afterAll(() => env?.close());

describe('outbound mail', () => {
  it('survives a failing SMTP server: the mail is retried and delivered exactly once', async () => {
    const customer = await createCustomer(env, null);
    env.mail.failing = true;
    await new Api(env.app).post('/api/portal/password-reset', { email: customer.user.email });
    const deadline = Date.now() + 20_000;
    let row;
    do {
      await new Promise((r) => setTimeout(r, 200));
      row = await env.ctx.db.selectFrom('mail_outbox').selectAll().where('to_address', '=', customer.user.email).executeTakeFirst();
    } while ((!row || row.attempts < 1) && Date.now() < deadline);
    expect(row).toMatchObject({ sent_at: null });
    expect(row!.attempts).toBeGreaterThanOrEqual(1);
    expect(row!.last_error).toMatch(/451|Temporary failure/);

    env.mail.failing = false;
    const mail = await env.mail.waitFor((m) => m.to.includes(customer.user.email), 45_000);
    expect(mail.subject).toMatch(/Reset/);
    expect(mail.messageId).toBe(row!.message_id);
    await new Promise((r) => setTimeout(r, 1500));
    expect(env.mail.to(customer.user.email)).toHaveLength(1);
    const sent = await env.ctx.db.selectFrom('mail_outbox').selectAll().where('id', '=', row!.id).executeTakeFirstOrThrow();
    expect(sent.sent_at).not.toBeNull();
    expect(sent.last_error).toBeNull();
  });

  it('queues no mail and keeps no ticket when a late step of the write fails', async () => {
    const agent = await createAgent(env);
    const count = async (table: 'mail_outbox' | 'tickets' | 'ticket_comments') =>
      Number((await env.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = [await count('mail_outbox'), await count('tickets'), await count('ticket_comments')];
    // The ticket row and its first comment are written before the unknown CC is found: all rolled back.
    const res = await agent.api.post('/api/v2/tickets', { ticket: { subject: 'x', comment: { body: 'y' }, requester: { email: 'new.person@example.com' }, collaborator_ids: [987654] } });
    expect(res.status).toBe(422);
    expect(res.body.details.email_ccs[0].description).toMatch(/987654/);
    expect([await count('mail_outbox'), await count('tickets'), await count('ticket_comments')]).toEqual(before);
    expect(await env.ctx.db.selectFrom('users').select('id').where('email', '=', 'new.person@example.com').executeTakeFirst()).toBeUndefined();
  });
});
