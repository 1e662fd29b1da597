import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/platform/db.js';
import { digest, newSecret } from '../../src/platform/secrets.js';
import { freePort } from '../../src/platform/embedded-postgres.js';
import { createTestDatabase } from '../harness.js';

const children: ChildProcess[] = [];
afterAll(() => children.forEach((c) => c.exitCode === null && c.kill('SIGKILL')));

/** Runs the real CLI (`bin/sundial.js`) as a separate process, the way an operator does. */
function sundial(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['bin/sundial.js', ...args], { env: { ...process.env, LOG_LEVEL: 'warn', SMTP_INBOUND_PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitForHttp(port: number, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Sundial did not answer on ${port}`);
}

describe('process lifecycle', () => {
  it('loses no ticket whose 201 was sent when killed with SIGKILL mid-load, and restarts', async () => {
    const databaseUrl = await createTestDatabase();
    const { db } = createDb(databaseUrl, { max: 2 });
    const agent = await db
      .insertInto('users')
      .values({ name: 'Load Agent', email: 'load@sundial-staff.test', role: 'agent', verified: true, updated_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const token = newSecret();
    await db.insertInto('api_tokens').values({ user_id: agent.id, token_hash: digest(token) }).execute();
    const auth = `Basic ${Buffer.from(`load@sundial-staff.test/token:${token}`).toString('base64')}`;
    const dataDir = mkdtempSync(join(tmpdir(), 'sundial-kill-'));
    const port = await freePort();
    const env = { DATABASE_URL: databaseUrl, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' };

    const first = sundial(['serve'], env);
    await waitForHttp(port);
    const acknowledged: number[] = [];
    let stop = false;
    const writer = async (n: number) => {
      for (let i = 0; !stop; i++) {
        try {
          const res = await fetch(`http://127.0.0.1:${port}/api/v2/tickets.json`, {
            method: 'POST',
            headers: { authorization: auth, 'content-type': 'application/json' },
            body: JSON.stringify({ ticket: { subject: `load ${n}-${i}`, comment: { body: `body ${n}-${i}` }, priority: 'normal' } }),
          });
          if (res.status === 201) acknowledged.push(((await res.json()) as { ticket: { id: number } }).ticket.id);
        } catch {
          return; // the server is gone
        }
      }
    };
    const writers = [1, 2, 3, 4].map(writer);
    while (acknowledged.length < 40) await new Promise((r) => setTimeout(r, 20));
    first.child.kill('SIGKILL');
    await first.exited;
    stop = true;
    await Promise.all(writers);

    const second = sundial(['serve'], env);
    await waitForHttp(port);
    for (const id of acknowledged) {
      const res = await fetch(`http://127.0.0.1:${port}/api/v2/tickets/${id}.json`, { headers: { authorization: auth } });
      expect(res.status, `ticket ${id}`).toBe(200);
      const comments = (await (await fetch(`http://127.0.0.1:${port}/api/v2/tickets/${id}/comments.json`, { headers: { authorization: auth } })).json()) as { comments: unknown[] };
      expect(comments.comments).toHaveLength(1);
    }
    // Every ticket that exists is whole: a ticket never lacks its first comment or audit.
    const orphans = await db
      .selectFrom('tickets')
      .select('id')
      .where((eb) => eb.or([eb.not(eb.exists(eb.selectFrom('ticket_comments').select('id').whereRef('ticket_comments.ticket_id', '=', 'tickets.id'))), eb.not(eb.exists(eb.selectFrom('ticket_audits').select('id').whereRef('ticket_audits.ticket_id', '=', 'tickets.id')))]))
      .execute();
    expect(orphans).toEqual([]);
    second.child.kill('SIGTERM');
    expect(await second.exited, second.output()).toBe(0);
    await db.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  }, 180_000);

  it('runs on its embedded PostgreSQL, refuses a second node on the same data directory, and survives SIGKILL', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sundial-embedded-'));
    const port = await freePort();
    const env = { DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' };
    const first = sundial(['serve'], env);
    await waitForHttp(port, 120_000);
    // The banner follows the first answer by a query; wait for it rather than race it.
    await expect.poll(() => first.output(), { timeout: 10_000 }).toContain('Sundial is running');

    const second = sundial(['serve'], { ...env, PORT: String(await freePort()) });
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(/already using the data directory/);

    // CLI commands reach the running server's database instead of starting another one.
    const admin = sundial(['create-admin', '--email', 'boss@example.com', '--password', 'long-enough-pass', '--name', 'Boss'], env);
    expect(await admin.exited).toBe(0);
    const me = await fetch(`http://127.0.0.1:${port}/api/v2/users/me.json`, { headers: { authorization: `Basic ${Buffer.from('boss@example.com:long-enough-pass').toString('base64')}` } });
    expect(((await me.json()) as { user: { role: string } }).user.role).toBe('admin');

    first.child.kill('SIGKILL');
    await first.exited;
    const third = sundial(['serve'], env);
    await waitForHttp(port, 120_000);
    const again = await fetch(`http://127.0.0.1:${port}/api/v2/users/me.json`, { headers: { authorization: `Basic ${Buffer.from('boss@example.com:long-enough-pass').toString('base64')}` } });
    expect(((await again.json()) as { user: { email: string } }).user.email).toBe('boss@example.com');
    third.child.kill('SIGTERM');
    expect(await third.exited, third.output()).toBe(0);
    expect(third.output()).toContain('shutting down');
    rmSync(dataDir, { recursive: true, force: true });
  }, 300_000);

  it('refuses bad configuration with a message that says what to set', async () => {
    const run = sundial(['migrate'], { AUTO_CLOSE_AFTER: 'soon', DATABASE_URL: 'mysql://x' });
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(/AUTO_CLOSE_AFTER must be a duration such as 5s/);
    expect(run.output()).toMatch(/DATABASE_URL must be a postgres: or postgresql: URL/);
  });
});
