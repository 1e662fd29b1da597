import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb, isDatabaseUnavailable } from '../../src/platform/db.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/platform/embedded-postgres.js';
import { Api } from '../api.js';
import { createAgent } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';
import { FaultTally, occurrences, until } from './faults-helpers.js';

/**
 * PostgreSQL that hangs instead of going away (issue 11): its processes are stopped with SIGSTOP, so
 * connections open and queries are sent but nothing ever answers, as with a stuck disk or a network
 * that drops packets. This file runs its own embedded PostgreSQL to freeze.
 */
const tally = new FaultTally('hung database');
const dir = mkdtempSync(join(tmpdir(), 'sundial-faults-hung-'));
let pg: EmbeddedDatabase | null = null;
let env: TestEnv | null = null;
let frozen: number[] = [];
afterAll(async () => {
  signal(frozen, 'SIGCONT');
  await env?.close();
  await pg?.stop();
  rmSync(dir, { recursive: true, force: true });
  tally.print();
});

/** The postmaster and every backend it forked. */
function postgresProcesses(): number[] {
  const postmaster = Number(readFileSync(join(dir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        // Field 4 of /proc/PID/stat is the parent pid; the command name (field 2) may hold spaces, hence the ')'.
        return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(')')[1].trim().split(' ')[1]) === postmaster;
      } catch {
        return false;
      }
    })
    .map(Number);
  return [postmaster, ...children];
}

function signal(pids: number[], sig: NodeJS.Signals) {
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      /* already gone */
    }
  }
}

describe('PostgreSQL hung while Sundial serves', () => {
  it('cancels a statement that runs past DATABASE_STATEMENT_TIMEOUT and calls it unavailable', async () => {
    pg = await startEmbeddedPostgres(dir);
    const { db } = createDb(pg.url, { max: 1, statementTimeoutMs: 300 });
    const t0 = Date.now();
    const err = await sql`SELECT pg_sleep(3)`.execute(db).catch((e: unknown) => e);
    const ms = Date.now() - t0;
    await db.destroy();
    expect((err as { code?: string }).code).toBe('57014');
    expect(isDatabaseUnavailable(err)).toBe(true);
    expect(ms).toBeLessThan(2000);
  });

  it('answers 503 within the timeouts while nothing answers, writes each request at most once, and recovers by itself', async () => {
    env = await startTestApp({ AUTO_CLOSE_AFTER: '4s', DATABASE_STATEMENT_TIMEOUT: '1s', DATABASE_CONNECT_TIMEOUT: '1s' }, { databaseUrl: pg!.url });
    const agent = await createAgent(env);
    const before = (await agent.api.post('/api/v2/tickets', { ticket: { subject: 'written before the hang', comment: { body: 'x' }, assignee_id: agent.user.id } })).body.ticket;
    // A timer due during the hang: the auto-close of a solved ticket.
    expect((await agent.api.put(`/api/v2/tickets/${before.id}`, { ticket: { status: 'solved' } })).status).toBe(200);

    frozen = postgresProcesses();
    signal(frozen, 'SIGSTOP');
    tally.inject();
    const hangStart = Date.now();
    const answers: { status: number; ms: number }[] = [];
    const markers: string[] = [];
    for (let i = 0; Date.now() - hangStart < 8000; i++) {
      const marker = `hung write ${i}`;
      markers.push(marker);
      for (const send of [
        () => agent.api.get(`/api/v2/tickets/${before.id}`),
        () => agent.api.post('/api/v2/tickets', { ticket: { subject: marker, comment: { body: 'x' } } }),
        () => new Api(env!.app).get('/healthz'),
      ]) {
        const t0 = Date.now();
        const res = await send();
        answers.push({ status: res.status, ms: Date.now() - t0 });
      }
    }
    const slowest = Math.max(...answers.map((a) => a.ms));
    expect(answers.filter((a) => a.status !== 503), 'every request while PostgreSQL hangs').toEqual([]);
    // A pooled connection is abandoned after the statement timeout plus as much again; a new one after the connect timeout.
    expect(slowest, 'no request hangs').toBeLessThan(3000);

    signal(frozen, 'SIGCONT');
    frozen = [];
    const back = Date.now();
    const recovered = await until(async () => (await agent.api.get(`/api/v2/tickets/${before.id}`)).status === 200, 30_000, 100);
    const recoveryMs = Date.now() - back;
    expect(recovered, 'requests succeed again without restarting Sundial').toBe(true);
    expect((await agent.api.post('/api/v2/tickets', { ticket: { subject: 'after the hang', comment: { body: 'x' } } })).status).toBe(201);

    // A write answered 503 may still commit when its COMMIT reached the server before it froze (the
    // client cannot know): it must then be whole and there once. None was acknowledged, so none is lost.
    const applied = await env.ctx.db
      .selectFrom('tickets')
      .leftJoin('ticket_comments', 'ticket_comments.ticket_id', 'tickets.id')
      .select(['tickets.subject', 'ticket_comments.id as comment_id'])
      .where('tickets.subject', 'in', markers)
      .execute();
    const duplicates = [...occurrences(applied.map((a) => a.subject)).values()].filter((n) => n > 1).length;
    expect(applied.filter((a) => a.comment_id === null), 'no ticket without its comment').toEqual([]);
    const closed = await until(async () => (await agent.api.get(`/api/v2/tickets/${before.id}`)).body.ticket.status === 'closed', 30_000, 250);
    const ruleAudits = (await agent.api.get(`/api/v2/tickets/${before.id}/audits`)).body.audits.filter((a: { via: { channel: string } }) => a.via.channel === 'rule');
    tally.check(closed ? 0 : 1, duplicates + Math.max(0, ruleAudits.length - 1));
    tally.note(
      `PostgreSQL hung ${((back - hangStart) / 1000).toFixed(1)} s: ${answers.length} requests, all 503 (slowest ${slowest} ms), ${applied.length} of ${markers.length} refused writes committed anyway; served again ${recoveryMs} ms after it resumed`,
    );
    expect(duplicates).toBe(0);
    expect(closed, 'the auto-close job due during the hang ran').toBe(true);
    expect(ruleAudits).toHaveLength(1);
  }, 120_000);
});
