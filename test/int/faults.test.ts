import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../api.js';
import { createAgent, createCustomer } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';
import { FaultTally, FaultyRelay, occurrences, sleep, until } from './faults-helpers.js';

/**
 * Faults around a running node (issue 11): the SMTP server stuck and then down, an unwritable
 * attachment store, a job handler that keeps throwing, and agents or nodes racing each other.
 * Mail goes through a relay the tests take down; the SMTP catcher behind it counts what arrives.
 */
const tally = new FaultTally('node');
let relay: FaultyRelay;
let env: TestEnv;
beforeAll(async () => {
  relay = await new FaultyRelay().start();
  env = await startTestApp({ SMTP_URL: `smtp://127.0.0.1:${relay.port}`, AUTO_CLOSE_AFTER: '2s' });
  relay.targetPort = env.mail.port;
});
afterAll(async () => {
  await env?.close();
  await relay?.down();
  tally.print();
});

const outbox = (ids: number[]) => env.ctx.db.selectFrom('mail_outbox').selectAll().where('id', 'in', ids).execute();
const resetMailIds = async (emails: string[]) =>
  (await env.ctx.db.selectFrom('mail_outbox').select('id').where('to_address', 'in', emails).where('kind', 'like', '%reset%').execute()).map((r) => r.id);

describe('SMTP server stuck, then down, then back', () => {
  it('keeps other queues running while mail is stuck, queues mail while SMTP refuses, then delivers each exactly once', async () => {
    const agent = await createAgent(env);
    // 1. Stuck: the server accepts and never greets. The mail worker waits on it...
    relay.mode = 'hang';
    tally.inject();
    const stuck = await createCustomer(env, null);
    await new Api(env.app).post('/api/portal/password-reset', { email: stuck.user.email });
    const active = sql<{ n: number }>`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'mail.send' AND state = 'active'`;
    expect(await until(async () => (await active.execute(env.ctx.db)).rows[0].n > 0, 10_000), 'the mail job is running (stuck)').toBe(true);
    // ...while other queues go on: a solved ticket is closed by its timer job (AUTO_CLOSE_AFTER 2s).
    const t = (await agent.api.post('/api/v2/tickets', { ticket: { subject: 'closes while mail is stuck', comment: { body: 'x' }, assignee_id: agent.user.id, status: 'solved' } })).body.ticket;
    const closed = await until(async () => (await agent.api.get(`/api/v2/tickets/${t.id}`)).body.ticket.status === 'closed', 15_000, 200);
    expect(closed, 'auto-close ran although mail.send was stuck').toBe(true);
    expect(env.mail.to(stuck.user.email)).toHaveLength(0);

    // 2. Down: connections refused (the stuck one is cut). Notifications written now are queued.
    await relay.down();
    tally.inject();
    const customers = await Promise.all(Array.from({ length: 12 }, () => createCustomer(env, null)));
    await Promise.all(customers.map((c) => new Api(env.app).post('/api/portal/password-reset', { email: c.user.email })));
    const ticket = (await agent.api.post('/api/v2/tickets', { ticket: { subject: 'Replies during SMTP outage', comment: { body: 'start' }, requester_id: customers[0].user.id } })).body.ticket;
    const replies = Array.from({ length: 6 }, (_, i) => `Outage reply ${i} on #${ticket.id}`);
    for (const body of replies) expect((await agent.api.put(`/api/v2/tickets/${ticket.id}`, { ticket: { comment: { body } } })).status).toBe(200);
    const ids = [...(await resetMailIds([stuck.user.email, ...customers.map((c) => c.user.email)])), ...(await env.ctx.db.selectFrom('mail_outbox').select('id').where('ticket_id', '=', ticket.id).execute()).map((r) => r.id)];
    expect(ids.length).toBeGreaterThanOrEqual(1 + 12 + 1 + 6);
    const allTried = await until(async () => (await outbox(ids)).every((m) => m.attempts >= 1), 20_000, 200);
    expect(allTried, 'every queued mail was tried during the outage').toBe(true);
    const during = await outbox(ids);
    expect(during.every((m) => m.sent_at === null)).toBe(true);
    expect(during.map((m) => m.last_error).join('\n')).toMatch(/ECONNREFUSED|Connection closed|Greeting never received|Unexpected socket close/);
    expect(env.mail.messages.filter((m) => during.some((d) => d.message_id === m.messageId))).toHaveLength(0);

    // 3. Back: each mail arrives once, with the Message-ID it was queued with.
    const downFor = Date.now();
    await relay.up();
    const delivered = await until(async () => (await outbox(ids)).every((m) => m.sent_at !== null), 45_000, 250);
    tally.note(`SMTP: ${ids.length} mails queued during a stuck-then-refusing server, all delivered ${((Date.now() - downFor) / 1000).toFixed(1)} s after it came back`);
    await sleep(1500); // a late duplicate would arrive now
    const rows = await outbox(ids);
    const caught = occurrences(env.mail.messages.map((m) => m.messageId));
    const lost = rows.filter((r) => !caught.has(r.message_id)).length;
    const twice = rows.filter((r) => (caught.get(r.message_id) ?? 0) > 1).length;
    tally.check(lost, twice);
    expect(delivered).toBe(true);
    expect(lost).toBe(0);
    expect(twice).toBe(0);
    for (const c of [stuck, ...customers]) expect(env.mail.to(c.user.email).filter((m) => /reset/i.test(m.subject)), c.user.email).toHaveLength(1);
    const gotReplies = env.mail.to(customers[0].user.email).map((m) => replies.find((r) => m.text.includes(r))).filter(Boolean);
    expect(gotReplies.sort()).toEqual([...replies].sort());
    // They were really retried, not just sent late.
    expect(rows.every((r) => r.attempts >= 2 && r.last_error === null)).toBe(true);
  }, 90_000);
});

describe('an unwritable attachment store', () => {
  it('answers 503 with a clear description, keeps no file and no attachment row, and works again once fixed', async () => {
    const agent = await createAgent(env);
    const store = join(env.dataDir, 'attachments');
    const rows = async () => Number((await env.ctx.db.selectFrom('attachments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await rows();
    // A file where the store's directory should be: every mkdir under it fails (works as root, unlike chmod).
    rmSync(store, { recursive: true, force: true });
    writeFileSync(store, 'not a directory');
    tally.inject();
    const res = await agent.api.upload('log.txt', 'x'.repeat(5000));
    expect(res.status).toBe(503);
    expect(res.body.error).toBe('ServiceUnavailable');
    expect(res.body.description).toMatch(/attachment store cannot be written \((ENOTDIR|EEXIST)\)/);
    expect(res.headers['retry-after']).toBe('60');
    expect(await rows()).toBe(before);
    // A ticket cannot reference what was never stored.
    rmSync(store, { force: true });
    mkdirSync(store);
    const ok = await agent.api.upload('log.txt', 'y'.repeat(5000));
    expect(ok.status).toBe(201);
    expect(await rows()).toBe(before + 1);
    tally.check(0, 0);
  });
});

describe('a job handler that throws', () => {
  it('is retried with backoff, then listed as failed with its reason for admins, and fails no healthy job of its batch', async () => {
    const admin = await createAgent(env, { admin: true });
    const agent = await createAgent(env);
    // A mail nodemailer refuses before connecting (no recipient): deliverMail throws every time.
    const poison = await env.ctx.db
      .insertInto('mail_outbox')
      .values({ to_address: '', subject: 'poison', text_body: 'x', message_id: `<poison-${Date.now()}@sundial.test>`, kind: 'fault-test', references_ids: [] })
      .returning('id')
      .executeTakeFirstOrThrow();
    // Enqueued on the real queue; only its retry policy is shortened (mail.send keeps trying for hours).
    const boss = new PgBoss({ connectionString: env.databaseUrl, schema: 'pgboss', supervise: false, schedule: false, migrate: false, max: 1 });
    boss.on('error', () => undefined);
    await boss.start();
    const healthy = await Promise.all(Array.from({ length: 5 }, () => createCustomer(env, null)));
    const jobId = await boss.send('mail.send', { mailId: poison.id }, { retryLimit: 2, retryDelay: 1, retryBackoff: true });
    await Promise.all(healthy.map((c) => new Api(env.app).post('/api/portal/password-reset', { email: c.user.email })));
    await boss.stop({ graceful: false, wait: true });
    tally.inject();

    // Watch the tries happen.
    const tries: number[] = [];
    const deadline = Date.now() + 30_000;
    while (tries.length < 3 && Date.now() < deadline) {
      const row = await env.ctx.db.selectFrom('mail_outbox').select(['attempts', 'last_error']).where('id', '=', poison.id).executeTakeFirstOrThrow();
      while (tries.length < row.attempts) tries.push(Date.now());
      await sleep(50);
    }
    expect(tries).toHaveLength(3); // the first try and retryLimit 2
    const gaps = [tries[1] - tries[0], tries[2] - tries[1]];
    tally.note(`failing job: tries ${gaps.map((g) => `${(g / 1000).toFixed(1)} s`).join(', ')} apart (retryDelay 1 s, doubling with jitter)`);
    // pg-boss backoff: delay × 2^n / 2 × (1 + random): ≥ 1 s, then ≥ 2 s (a constant delay would give ~1 s twice).
    expect(gaps[0]).toBeGreaterThanOrEqual(900);
    expect(gaps[1]).toBeGreaterThanOrEqual(1900);

    const failed = await until(async () => {
      const res = await admin.api.get('/api/v2/admin/jobs/failed?queue=mail.send');
      return res.body.failed_jobs.find((j: { id: string }) => j.id === jobId);
    }, 10_000, 200);
    expect(failed).toMatchObject({ queue: 'mail.send', data: { mailId: poison.id }, tries: 3, retry_limit: 2 });
    expect(failed.reason).toMatch(/No recipients defined/);
    expect(Date.parse(failed.failed_at)).toBeGreaterThanOrEqual(Date.parse(failed.created_at));
    // Healthy mails of the same queue were delivered once and are not listed as failed.
    for (const c of healthy) await env.mail.waitFor((m) => m.to.includes(c.user.email), 20_000);
    const listed = (await admin.api.get('/api/v2/admin/jobs/failed')).body.failed_jobs as { data: { mailId?: number } }[];
    const healthyIds = await resetMailIds(healthy.map((c) => c.user.email));
    expect(listed.filter((j) => healthyIds.includes(j.data.mailId ?? -1))).toEqual([]);
    for (const c of healthy) expect(env.mail.to(c.user.email)).toHaveLength(1);
    // Admins only.
    expect((await agent.api.get('/api/v2/admin/jobs/failed')).status).toBe(403);
    expect((await admin.api.get('/api/v2/admin/jobs/failed?limit=0')).status).toBe(400);
    tally.check(0, 0);
  }, 60_000);
});

describe('racing writers', () => {
  it('gives one of two agents racing with safe_update a 409 UpdateConflict, every time, and loses no concurrent reply', async () => {
    const a = await createAgent(env);
    const b = await createAgent(env);
    const t = (await a.api.post('/api/v2/tickets', { ticket: { subject: 'race', comment: { body: 'x' } } })).body.ticket;
    let conflicts = 0;
    for (let round = 0; round < 8; round++) {
      const stamp = (await a.api.get(`/api/v2/tickets/${t.id}`)).body.ticket.updated_at;
      const [ra, rb] = await Promise.all(
        [a, b].map((who, i) => who.api.put(`/api/v2/tickets/${t.id}`, { ticket: { subject: `round ${round} by ${i}`, safe_update: true, updated_stamp: stamp } })),
      );
      tally.inject();
      const statuses = [ra.status, rb.status].sort();
      expect(statuses, `round ${round}`).toEqual([200, 409]);
      const loser = ra.status === 409 ? ra : rb;
      expect(loser.body).toMatchObject({ error: 'UpdateConflict' });
      const winner = ra.status === 200 ? 0 : 1;
      expect((await a.api.get(`/api/v2/tickets/${t.id}`)).body.ticket.subject).toBe(`round ${round} by ${winner}`);
      conflicts++;
    }
    // Without safe_update, concurrent replies serialize on the ticket's row: all of them are kept.
    const bodies = Array.from({ length: 10 }, (_, i) => `concurrent reply ${i}`);
    const answers = await Promise.all(bodies.map((body, i) => (i % 2 ? a : b).api.put(`/api/v2/tickets/${t.id}`, { ticket: { comment: { body, public: false } } })));
    expect(answers.map((r) => r.status)).toEqual(bodies.map(() => 200));
    const stored = occurrences((await a.api.get(`/api/v2/tickets/${t.id}/comments`)).body.comments.map((c: { body: string }) => c.body));
    const lost = bodies.filter((x) => !stored.has(x)).length;
    const twice = bodies.filter((x) => (stored.get(x) ?? 0) > 1).length;
    tally.check(lost, twice);
    expect([lost, twice]).toEqual([0, 0]);
    tally.note(`races: ${conflicts} safe_update races, ${conflicts} conflicts answered 409`);
  });

  it('runs each mail and each timer exactly once with three nodes on one database', async () => {
    const smtp = { SMTP_URL: `smtp://127.0.0.1:${relay.port}`, AUTO_CLOSE_AFTER: '2s' };
    const others = [await startTestApp(smtp, { databaseUrl: env.databaseUrl }), await startTestApp(smtp, { databaseUrl: env.databaseUrl })];
    try {
      const nodes = [env, ...others];
      tally.inject();
      const customers = await Promise.all(Array.from({ length: 15 }, () => createCustomer(env, null)));
      await Promise.all(customers.map((c, i) => new Api(nodes[i % 3].app).post('/api/portal/password-reset', { email: c.user.email })));
      const agent = await createAgent(env);
      const apis = nodes.map((n) => Api.basicToken(n.app, agent.user.email, agent.token));
      const tickets = await Promise.all(Array.from({ length: 9 }, (_, i) => apis[i % 3].post('/api/v2/tickets', { ticket: { subject: `three nodes ${i}`, comment: { body: 'x' }, assignee_id: agent.user.id } })));
      await Promise.all(tickets.map((t, i) => apis[(i + 1) % 3].put(`/api/v2/tickets/${t.body.ticket.id}`, { ticket: { status: 'solved' } })));
      for (const c of customers) await env.mail.waitFor((m) => m.to.includes(c.user.email), 30_000);
      const allClosed = await until(async () => (await Promise.all(tickets.map(async (t) => (await apis[0].get(`/api/v2/tickets/${t.body.ticket.id}`)).body.ticket.status))).every((s) => s === 'closed'), 30_000, 250);
      expect(allClosed).toBe(true);
      await sleep(2000); // a second run would show by now
      let extra = 0;
      for (const c of customers) extra += env.mail.to(c.user.email).length - 1;
      for (const t of tickets) {
        const audits = (await apis[2].get(`/api/v2/tickets/${t.body.ticket.id}/audits`)).body.audits;
        extra += audits.filter((x: { via: { channel: string } }) => x.via.channel === 'rule').length - 1;
      }
      tally.check(0, extra);
      expect(extra).toBe(0);
      tally.note(`three nodes: ${customers.length} mails and ${tickets.length} auto-close timers, each ran once`);
    } finally {
      for (const n of others) await n.close();
    }
  }, 60_000);
});
