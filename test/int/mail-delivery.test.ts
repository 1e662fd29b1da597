import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../api.js';
import { createAgent, createCustomer } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';
import { deliverMail } from '../../src/modules/mail/outbox.js';
import { createMailTransport } from '../../src/platform/mail-transport.js';

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

  it('delivers a burst of notifications written during an SMTP outage once each after it recovers', async () => {
    const agent = await createAgent(env);
    const customer = await createCustomer(env, null);
    const cc = await createCustomer(env, null);
    const created = await agent.api.post('/api/v2/tickets', { ticket: { subject: 'Outage burst', comment: { body: 'start' }, requester_id: customer.user.id, collaborator_ids: [cc.user.id] } });
    const id = created.body.ticket.id;
    await env.mail.waitFor((m) => m.to.includes(customer.user.email) && m.subject.includes(`#${id}]`));
    env.mail.failing = true;
    const bodies = Array.from({ length: 10 }, (_, i) => `Burst reply ${i + 1} on #${id}`);
    await Promise.all(bodies.map((body) => agent.api.put(`/api/v2/tickets/${id}`, { ticket: { comment: { body } } })));
    const burst = () => env.ctx.db.selectFrom('mail_outbox').selectAll().where('ticket_id', '=', id).where('kind', '=', 'agent-reply').execute();
    const deadline = Date.now() + 20_000;
    while ((await burst()).filter((m) => m.attempts >= 1).length < 20 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect((await burst()).every((m) => m.sent_at === null && m.attempts >= 1)).toBe(true);

    env.mail.failing = false;
    const arrived = () => env.mail.messages.filter((m) => bodies.some((b) => m.text.includes(b)));
    const until = Date.now() + 90_000;
    while (arrived().length < 20 && Date.now() < until) await new Promise((r) => setTimeout(r, 250));
    await new Promise((r) => setTimeout(r, 1500));
    for (const who of [customer, cc]) {
      const got = arrived().filter((m) => m.to.includes(who.user.email)).map((m) => bodies.find((b) => m.text.includes(b)));
      expect(got.sort()).toEqual([...bodies].sort());
    }
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

  it('retries, rather than finishes, a mail another worker is still sending', async () => {
    const customer = await createCustomer(env, null);
    const row = await env.ctx.db
      .insertInto('mail_outbox')
      .values({ to_address: customer.user.email, subject: 'Locked elsewhere', text_body: 'x', html_body: null, message_id: `<locked-${Date.now()}@sundial.test>`, kind: 'test' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const transport = createMailTransport(env.mail.url, env.dataDir);
    const from = env.ctx.config.mailFrom;
    // Another worker's send in flight: its transaction holds the row.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const other = env.ctx.db.transaction().execute(async (tx) => {
      await tx.selectFrom('mail_outbox').select('id').where('id', '=', row.id).forUpdate().execute();
      locked();
      await held;
    });
    await isLocked;
    await expect(deliverMail(env.ctx.db, transport, from, row.id)).rejects.toThrow(/another worker/);
    // That send failed (its transaction ends without marking the mail sent): the retry sends it, once.
    release();
    await other;
    await deliverMail(env.ctx.db, transport, from, row.id);
    await env.mail.waitFor((m) => m.to.includes(customer.user.email) && m.subject === 'Locked elsewhere', 10_000);
    await deliverMail(env.ctx.db, transport, from, row.id);
    await new Promise((r) => setTimeout(r, 500));
    expect(env.mail.messages.filter((m) => m.subject === 'Locked elsewhere')).toHaveLength(1);
  });
});
