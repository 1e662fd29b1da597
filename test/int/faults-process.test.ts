import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../src/platform/db.js';
import { freePort } from '../../src/platform/embedded-postgres.js';
import { digest, newSecret } from '../../src/platform/secrets.js';
import { createTestDatabase } from '../harness.js';
import { FaultTally, killChildren, occurrences, spawnSundial, waitForHttp } from './faults-helpers.js';

/**
 * Faults of the whole process (issue 11): SIGKILL in the middle of a burst of writes, and a disk that
 * refuses attachment bytes. Sundial runs as a real child process (`bin/sundial.js serve`).
 */
const tally = new FaultTally('process');
const dbs: Db[] = [];
const dirs: string[] = [];
afterAll(async () => {
  killChildren();
  await Promise.all(dbs.map((d) => d.destroy()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  tally.print();
});

const NO_LIMITS = { API_RATE_LIMIT: '0', API_RATE_LIMIT_TICKET_UPDATES: '0', API_RATE_LIMIT_TICKET_DELETES: '0' };

/** A database of its own with one agent and an API token; returns the Basic auth header. */
async function deployment() {
  const databaseUrl = await createTestDatabase();
  const { db } = createDb(databaseUrl, { max: 2 });
  dbs.push(db);
  const email = `fault-${randomBytes(3).toString('hex')}@sundial-staff.test`;
  const agent = await db.insertInto('users').values({ name: 'Fault Agent', email, role: 'agent', verified: true, updated_at: new Date() }).returning('id').executeTakeFirstOrThrow();
  const token = newSecret();
  await db.insertInto('api_tokens').values({ user_id: agent.id, token_hash: digest(token) }).execute();
  const dataDir = mkdtempSync(join(tmpdir(), 'sundial-faults-'));
  dirs.push(dataDir);
  const port = await freePort();
  const env = { ...NO_LIMITS, DATABASE_URL: databaseUrl, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' };
  return { db, env, port, dataDir, agentId: agent.id, auth: `Basic ${Buffer.from(`${email}/token:${token}`).toString('base64')}` };
}

describe('SIGKILL during a burst of writes', () => {
  it('keeps every acknowledged create and reply exactly once after a restart, and duplicates nothing', async () => {
    const d = await deployment();
    const first = spawnSundial(d.env);
    await waitForHttp(d.port, first);
    const call = (method: string, path: string, body: unknown) =>
      fetch(`http://127.0.0.1:${d.port}${path}`, { method, headers: { authorization: d.auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    // Tickets that the burst replies to, several writers per ticket (they serialize on its row lock).
    const targets: number[] = [];
    for (let i = 0; i < 4; i++) targets.push(((await (await call('POST', '/api/v2/tickets', { ticket: { subject: `reply target ${i}`, comment: { body: 'start' } } })).json()) as { ticket: { id: number } }).ticket.id);

    const run = randomBytes(3).toString('hex');
    const sent: { marker: string; kind: 'create' | 'reply' }[] = [];
    const acked = new Set<string>();
    let stop = false;
    let killed = false;
    const failures: unknown[] = [];
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const marker = `m${run}-${w}-${i}`;
        const kind = i % 2 ? 'reply' : 'create';
        sent.push({ marker, kind });
        try {
          const res =
            kind === 'create'
              ? await call('POST', '/api/v2/tickets', { ticket: { subject: `burst ${marker}`, comment: { body: `body ${marker}` }, priority: 'normal' } })
              : await call('PUT', `/api/v2/tickets/${targets[(w + i) % targets.length]}`, { ticket: { comment: { body: `reply ${marker}`, public: false } } });
          if (res.status >= 200 && res.status < 300) acked.add(marker);
          else throw new Error(`${kind} answered ${res.status}: ${await res.text()}`);
        } catch (e) {
          if (!killed) failures.push(e); // a real failure, not the kill
          return;
        }
      }
    };
    const writers = Array.from({ length: 8 }, (_, w) => writer(w));
    const started = Date.now();
    while (acked.size < 80 && !failures.length && Date.now() - started < 60_000) await new Promise((r) => setTimeout(r, 10));
    killed = true;
    first.child.kill('SIGKILL');
    await first.exited;
    stop = true;
    await Promise.all(writers);
    tally.inject();
    const inFlight = sent.length - acked.size;
    expect(failures, 'errors before the kill').toEqual([]);

    const second = spawnSundial(d.env);
    await waitForHttp(d.port, second);
    // Count what is stored by the marker each request carried.
    const subjects = (await d.db.selectFrom('tickets').select('subject').where('subject', 'like', `burst m${run}-%`).execute()).map((t) => t.subject.slice('burst '.length));
    const replies = (await d.db.selectFrom('ticket_comments').select('body').where('ticket_id', 'in', targets).where('body', 'like', `reply m${run}-%`).execute()).map((c) => c.body.slice('reply '.length));
    const stored = occurrences([...subjects, ...replies]);
    const lost = [...acked].filter((m) => !stored.has(m));
    const duplicated = [...stored].filter(([, n]) => n > 1).map(([m]) => m);
    tally.check(lost.length, duplicated.length);
    tally.note(`SIGKILL: ${sent.length} writes sent, ${acked.size} acknowledged (${sent.filter((s) => s.kind === 'reply' && acked.has(s.marker)).length} replies), ${inFlight} cut off, ${stored.size - acked.size} unacknowledged but committed`);
    expect(lost, 'acknowledged writes missing after restart').toEqual([]);
    expect(duplicated, 'writes stored twice').toEqual([]);
    expect(acked.size).toBeGreaterThanOrEqual(80);
    expect(sent.filter((s) => s.kind === 'reply' && acked.has(s.marker)).length).toBeGreaterThan(20);
    // Nothing stored that was never sent, and every stored ticket is whole (first comment and audit).
    expect([...stored.keys()].every((m) => sent.some((s) => s.marker === m))).toBe(true);
    const broken = await d.db
      .selectFrom('tickets')
      .select('id')
      .where((eb) => eb.or([eb.not(eb.exists(eb.selectFrom('ticket_comments').select('id').whereRef('ticket_comments.ticket_id', '=', 'tickets.id'))), eb.not(eb.exists(eb.selectFrom('ticket_audits').select('id').whereRef('ticket_audits.ticket_id', '=', 'tickets.id')))]))
      .execute();
    expect(broken).toEqual([]);
    // The restarted node serves them: an acknowledged ticket reads back with its one comment.
    const sample = subjects.find((m) => acked.has(m))!;
    const id = (await d.db.selectFrom('tickets').select('id').where('subject', '=', `burst ${sample}`).executeTakeFirstOrThrow()).id;
    const comments = (await (await fetch(`http://127.0.0.1:${d.port}/api/v2/tickets/${id}/comments`, { headers: { authorization: d.auth } })).json()) as { comments: { body: string }[] };
    expect(comments.comments.map((c) => c.body)).toEqual([`body ${sample}`]);
    second.child.kill('SIGTERM');
    expect(await second.exited, second.output()).toBe(0);
  }, 90_000);
});

describe('a full disk under the attachment store', () => {
  it('answers 507 with a clear description, leaves no partial file and records no attachment', async () => {
    const d = await deployment();
    // Files this process writes stop at 256 KB (EFBIG), as on a disk with that much space left.
    const node = spawnSundial(d.env, { fileSizeLimitKb: 256 });
    await waitForHttp(d.port, node);
    const upload = (name: string, bytes: Buffer, token?: string) =>
      fetch(`http://127.0.0.1:${d.port}/api/v2/uploads?filename=${name}${token ? `&token=${token}` : ''}`, {
        method: 'POST',
        headers: { authorization: d.auth, 'content-type': 'application/octet-stream' },
        body: new Uint8Array(bytes),
      });
    const small = await upload('small.txt', Buffer.alloc(10_000, 'a'));
    expect(small.status).toBe(201);
    const { upload: ok } = (await small.json()) as { upload: { token: string } };

    const big = randomBytes(1024 * 1024);
    const before = Date.now();
    const full = await upload('big.bin', big);
    tally.inject();
    expect(full.status).toBe(507);
    expect(Date.now() - before).toBeLessThan(10_000);
    const body = (await full.json()) as { error: string; description: string };
    expect(body.error).toBe('InsufficientStorage');
    expect(body.description).toMatch(/attachment store is full/);
    // Added to an existing upload: refused too, and the upload keeps only what was stored.
    const fullOnToken = await upload('big2.bin', big, ok.token);
    tally.inject();
    expect(fullOnToken.status).toBe(507);

    // A ticket with the upload that worked, sent on the keep-alive connection a refused upload left
    // mid-body (it used to hang there): its comment references only files that exist.
    const created = await fetch(`http://127.0.0.1:${d.port}/api/v2/tickets`, {
      method: 'POST',
      headers: { authorization: d.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ ticket: { subject: 'with attachment', comment: { body: 'see file', uploads: [ok.token] } } }),
      signal: AbortSignal.timeout(8000),
    });
    expect(created.status).toBe(201);

    const files = listFiles(join(d.dataDir, 'attachments'));
    const rows = await d.db.selectFrom('attachments').select(['storage_key', 'size', 'sha256', 'comment_id']).execute();
    // Every file is a complete, recorded attachment; every attachment has its file.
    expect(rows).toHaveLength(1);
    expect(rows[0].comment_id).not.toBeNull();
    expect(files.map((f) => f.name)).toEqual([rows[0].storage_key]);
    expect(statSync(files[0].path).size).toBe(rows[0].size);
    expect(createHash('sha256').update(readFileSync(files[0].path)).digest('hex')).toBe(rows[0].sha256);
    tally.check(0, 0);
    // The node is still up and serves.
    expect((await fetch(`http://127.0.0.1:${d.port}/healthz`)).status).toBe(200);
    node.child.kill('SIGTERM');
    expect(await node.exited, node.output()).toBe(0);
  }, 60_000);
});

function listFiles(dir: string): { name: string; path: string }[] {
  let out: { name: string; path: string }[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    out = e.isDirectory() ? out.concat(listFiles(p)) : out.concat([{ name: e.name, path: p }]);
  }
  return out;
}
