import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/platform/embedded-postgres.js';
import { Api } from '../api.js';
import { createAgent } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';
import { FaultTally, sleep, until } from './faults-helpers.js';

/**
 * PostgreSQL going away under a serving node (issue 11). The shared test server cannot be stopped, so
 * this file runs its own embedded PostgreSQL on a fixed port and stops and starts it.
 */
const tally = new FaultTally('database');
const dir = mkdtempSync(join(tmpdir(), 'sundial-faults-pg-'));
let pg: EmbeddedDatabase | null = null;
let env: TestEnv | null = null;
afterAll(async () => {
  await env?.close();
  await pg?.stop();
  rmSync(dir, { recursive: true, force: true });
  tally.print();
});

describe('PostgreSQL down while Sundial serves', () => {
  it('answers 503 with Retry-After at once during the outage, applies nothing, recovers by itself and loses no job', async () => {
    const port = await freePort();
    pg = await startEmbeddedPostgres(dir, undefined, { port });
    env = await startTestApp({ AUTO_CLOSE_AFTER: '4s' }, { databaseUrl: pg.url });
    const agent = await createAgent(env);
    // A timer job enqueued before the outage and due during it: the auto-close of a solved ticket.
    const solved = (await agent.api.post('/api/v2/tickets', { ticket: { subject: 'closes after the outage', comment: { body: 'x' }, assignee_id: agent.user.id } })).body.ticket;
    expect((await agent.api.put(`/api/v2/tickets/${solved.id}`, { ticket: { status: 'solved' } })).status).toBe(200);

    await pg.stop();
    pg = null;
    tally.inject();
    const outageStart = Date.now();
    const answers: { status: number; ms: number; retryAfter?: string; error?: string }[] = [];
    const markers: string[] = [];
    for (let i = 0; Date.now() - outageStart < 6000; i++) {
      const marker = `outage write ${i}`;
      markers.push(marker);
      for (const send of [
        () => agent.api.get(`/api/v2/tickets/${solved.id}`),
        () => agent.api.post('/api/v2/tickets', { ticket: { subject: marker, comment: { body: 'x' } } }),
        () => new Api(env!.app).get('/healthz'),
      ]) {
        const t0 = Date.now();
        const res = await send();
        answers.push({ status: res.status, ms: Date.now() - t0, retryAfter: res.headers['retry-after'] as string | undefined, error: res.body?.error });
      }
      await sleep(200);
    }
    const slowest = Math.max(...answers.map((a) => a.ms));
    expect(answers.filter((a) => a.status !== 503), 'every request during the outage').toEqual([]);
    expect(answers.every((a) => a.retryAfter === '5')).toBe(true);
    expect(answers.filter((a) => a.error !== undefined).every((a) => a.error === 'ServiceUnavailable')).toBe(true);
    expect(slowest, 'fails fast, does not hang').toBeLessThan(1000);

    pg = await startEmbeddedPostgres(dir, undefined, { port });
    const back = Date.now();
    const recovered = await until(async () => (await agent.api.get(`/api/v2/tickets/${solved.id}`)).status === 200, 30_000, 100);
    const recoveryMs = Date.now() - back;
    expect(recovered, 'requests succeed again without restarting Sundial').toBe(true);
    const created = await agent.api.post('/api/v2/tickets', { ticket: { subject: 'after the outage', comment: { body: 'x' } } });
    expect(created.status).toBe(201);
    // Nothing answered 503 was applied.
    const applied = await env.ctx.db.selectFrom('tickets').select('subject').where('subject', 'in', markers).execute();
    // The timer job that fell due during the outage runs once PostgreSQL is back.
    const closed = await until(async () => (await agent.api.get(`/api/v2/tickets/${solved.id}`)).body.ticket.status === 'closed', 30_000, 250);
    const closedAfter = Date.now() - back;
    const ruleAudits = (await agent.api.get(`/api/v2/tickets/${solved.id}/audits`)).body.audits.filter((a: { via: { channel: string } }) => a.via.channel === 'rule');
    tally.check(closed ? 0 : 1, applied.length + Math.max(0, ruleAudits.length - 1));
    tally.note(
      `PostgreSQL down ${((back - outageStart) / 1000).toFixed(1)} s: ${answers.length} requests, all 503 (slowest ${slowest} ms); served again ${recoveryMs} ms after it was back; the overdue auto-close ran ${(closedAfter / 1000).toFixed(1)} s after`,
    );
    expect(applied).toEqual([]);
    expect(closed, 'the auto-close job enqueued before the outage ran').toBe(true);
    expect(ruleAudits).toHaveLength(1);
  }, 90_000);
});
