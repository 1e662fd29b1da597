import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { importZendesk } from '../../src/modules/export/zendesk-import.js';
import { ManualClock } from '../../src/platform/clock.js';
import type { Db } from '../../src/platform/db.js';
import type { Api } from '../api.js';
import { createAgent, createCustomer, createOrganization, technicalRequest, uniq, type Actor } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';

// The incremental API holds back the last minute; these nodes' rule clocks run ahead so the API shows
// what a test has just written.
const ahead = () => ({ clock: new ManualClock(new Date(Date.now() + 10 * 60_000)) });
const FIXTURE = fileURLToPath(new URL('../fixtures/zendesk-export', import.meta.url));
const tmp: string[] = [];
const tempDir = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  tmp.push(d);
  return d;
};
afterAll(() => tmp.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The real CLI (`bin/sundial.js`) as an operator runs it, against one test node's database and DATA_DIR. */
function sundial(env: TestEnv, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['bin/sundial.js', ...args], {
    env: { ...process.env, DATABASE_URL: env.databaseUrl, DATA_DIR: env.dataDir, PUBLIC_URL: env.config.publicUrl, LOG_LEVEL: 'warn', SMTP_INBOUND_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const blobBytes = async (env: TestEnv, key: string) => {
  const chunks: Buffer[] = [];
  for await (const c of env.ctx.blobs.get(key)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};
const ok = async <T>(p: Promise<{ status: number; body: T }>, status = 200) => {
  const res = await p;
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body;
};

/** Every record of a cursor export, from the beginning. */
async function exportAll(api: Api, path: string, key: string): Promise<any[]> {
  const out: any[] = [];
  let url = `/api/v2/incremental/${path}.json?start_time=0`;
  for (;;) {
    const body: any = await ok(api.get(url));
    out.push(...body[key]);
    if (body.end_of_stream) return out;
    url = body.after_url.replace(/^http:\/\/[^/]+/, '');
  }
}

/** Row counts and a digest of what an import writes, to show a re-run changes nothing. */
async function snapshot(db: Db) {
  const tables = ['organizations', 'groups', 'users', 'group_memberships', 'tickets', 'ticket_collaborators', 'ticket_audits', 'ticket_audit_events', 'ticket_comments', 'attachments', 'satisfaction_ratings', 'ticket_metric_events', 'sla_warnings', 'zendesk_import_items', 'mail_outbox'];
  const out: Record<string, unknown> = {};
  for (const t of tables) out[t] = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(t)}`.execute(db)).rows[0].n);
  out.tickets_digest = (await sql<{ d: string }>`SELECT md5(string_agg(t::text, '|' ORDER BY id)) AS d FROM tickets t`.execute(db)).rows[0].d;
  out.comments_digest = (await sql<{ d: string }>`SELECT md5(string_agg(c::text, '|' ORDER BY id)) AS d FROM ticket_comments c`.execute(db)).rows[0].d;
  return out;
}

describe('round trip: export one Sundial, import into an empty one', () => {
  let source: TestEnv;
  let target: TestEnv;
  let admin: Actor & { token: string };
  let customer: Actor;
  let dir: string;
  const made: Record<string, number> = {};
  const files: Record<string, Buffer> = { 'trace.log': randomBytes(3000), 'diagram.png': randomBytes(70_000), 'notes.txt': Buffer.from('first line\nsecond line\n') };

  beforeAll(async () => {
    [source, target] = await Promise.all([startTestApp({}, ahead()), startTestApp({}, ahead())]);
    admin = await createAgent(source, { admin: true, groups: ['technical'] });
    const other = await createAgent(source, { groups: ['technical'] });
    const org = await createOrganization(source, { plan: 'premier', sharedTickets: true });
    customer = await createCustomer(source, org);
    const upload = async (name: string) => ((await ok(admin.api.upload(name, files[name]), 201)) as any).upload.token as string;

    // A customer request with a CC, answered publicly with a file, an internal note with an image,
    // the customer's reply, tags, solved and rated.
    const cc = `cc-${uniq()}@${org.domain}`;
    const a: any = await ok(customer.api.post('/api/v2/requests', await technicalRequest(customer.api, { subject: 'Push stopped after upgrade', email_ccs: [cc] })), 201);
    made.a = a.request.id;
    await ok(admin.api.put(`/api/v2/tickets/${made.a}`, { ticket: { assignee_id: admin.user.id, status: 'pending', comment: { body: 'Please try this build; the log is attached.', public: true, uploads: [await upload('trace.log')] } } }));
    await ok(admin.api.put(`/api/v2/tickets/${made.a}`, { ticket: { comment: { body: 'Internal: same trace as MM-123.', public: false, uploads: [await upload('diagram.png')] } } }));
    await ok(customer.api.put(`/api/v2/requests/${made.a}`, { request: { comment: { body: 'That build fixed it, thanks!' } } }));
    await ok(admin.api.put(`/api/v2/tickets/${made.a}`, { ticket: { tags: ['push', 'vip'], status: 'solved', comment: { body: 'Glad to hear it.', public: true } } }));
    await ok(customer.api.post(`/api/v2/tickets/${made.a}/satisfaction_rating`, { satisfaction_rating: { score: 'good', comment: 'Quick and friendly' } }));

    // An agent's ticket with an HTML comment, priority, type, a second agent, an attachment on the first comment.
    const b: any = await ok(
      admin.api.post('/api/v2/tickets', {
        ticket: {
          subject: 'Outage in EU', priority: 'urgent', type: 'incident', requester_id: customer.user.id, assignee_id: other.user.id, status: 'open',
          comment: { html_body: '<p>See <a href="https://status.example.com">status</a> and <b>logs</b>.</p>', uploads: [await upload('notes.txt')] },
        },
      }),
      201,
    );
    made.b = b.ticket.id;
    await ok(admin.api.put(`/api/v2/tickets/${made.b}`, { ticket: { status: 'hold', comment: { body: 'Waiting on the hosting provider.', public: false } } }));

    // A deleted ticket.
    const c: any = await ok(admin.api.post('/api/v2/tickets', { ticket: { subject: 'Spam', comment: { body: 'Buy now' }, requester: { email: `spam-${uniq()}@example.com` } } }), 201);
    made.c = c.ticket.id;
    expect((await admin.api.delete(`/api/v2/tickets/${made.c}`)).status).toBe(204);
    dir = tempDir('sundial-zd-export-');
  });
  afterAll(async () => {
    await Promise.all([source?.close(), target?.close()]);
  });

  it('exports with `sundial export zendesk`, in the incremental API shapes', async () => {
    const out = await sundial(source, ['export', 'zendesk', dir]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/Exported to .*: \d+ organizations, \d+ users, .*3 tickets/);
    for (const f of ['organizations.jsonl', 'users.jsonl', 'groups.jsonl', 'group_memberships.jsonl', 'tickets.jsonl', 'ticket_comments.jsonl', 'satisfaction_ratings.jsonl', 'manifest.json']) expect(existsSync(join(dir, f)), f).toBe(true);
    const tickets = readFileSync(join(dir, 'tickets.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(tickets.find((t) => t.id === made.c).status).toBe('deleted');
    // Same objects as the API's incremental export.
    const api = await exportAll(admin.api, 'tickets/cursor', 'tickets');
    expect(tickets.find((t) => t.id === made.a)).toEqual({ ...api.find((t) => t.id === made.a), url: `http://sundial.test/api/v2/tickets/${made.a}.json` });
    expect(readdirSync(join(dir, 'attachments')).sort()).toHaveLength(3);
  });

  it('imports into an empty Sundial with `sundial import zendesk`, reporting broken records without stopping', async () => {
    // Records the import cannot take: a comment whose author is not in the export, a ticket whose
    // requester is not, a rating of that ticket, and a line that is not JSON.
    appendFileSync(join(dir, 'ticket_comments.jsonl'), `${JSON.stringify({ ticket_id: made.a, comments: [{ id: 9_000_001, author_id: 424242, body: 'Ghost', public: true, created_at: '2024-01-01T00:00:00Z', attachments: [] }] })}\n{"ticket_id": oops\n`);
    appendFileSync(join(dir, 'tickets.jsonl'), `${JSON.stringify({ id: 9_000_002, subject: 'Orphan', status: 'open', requester_id: 424242, created_at: '2024-01-01T00:00:00Z', updated_at: '2024-01-01T00:00:00Z' })}\n`);
    appendFileSync(join(dir, 'satisfaction_ratings.jsonl'), `${JSON.stringify({ id: 9_000_003, ticket_id: 9_000_002, score: 'bad' })}\n`);

    const out = await sundial(target, ['import', 'zendesk', dir]);
    expect(out.code, out.stderr + out.stdout).toBe(0);
    expect(out.stderr).toContain('100% tickets');
    expect(out.stdout).toContain('Import finished');
    expect(out.stdout).toMatch(/ticket\s+3 created/);
    const report = JSON.parse(readFileSync(join(dir, 'import-report.json'), 'utf8'));
    const reasons = report.problems.map((p: { reason: string }) => p.reason);
    expect(reasons).toEqual(expect.arrayContaining([
      expect.stringMatching(/comment 9000001 of ticket \d+: its author 424242 was not imported/),
      'its requester 424242 was not imported',
      'its ticket 9000002 was not imported',
      expect.stringMatching(/not valid JSON/),
    ]));
    expect(report.counts.ticket).toMatchObject({ created: 3, skipped: 1 });
    expect(report.counts.comment.skipped).toBe(1);
    expect(await target.ctx.db.selectFrom('tickets').select('id').where('id', '=', 9_000_002).executeTakeFirst()).toBeUndefined();
    // Nobody was mailed about anything.
    expect((await target.ctx.db.selectFrom('mail_outbox').select('id').execute()).length).toBe(0);
  });

  it('agrees with the source ticket by ticket, comment by comment, attachment by attachment', async () => {
    const checker = await createAgent(target, { admin: true });
    // Ids handed out after the import continue past the imported ones.
    expect(checker.user.id).toBeGreaterThan(Math.max(...(await source.ctx.db.selectFrom('users').select('id').execute()).map((u) => u.id)));
    const drop = <T extends Record<string, unknown>>(o: T, keys: string[]) => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));

    const before = await exportAll(admin.api, 'tickets/cursor', 'tickets');
    const after = await exportAll(checker.api, 'tickets/cursor', 'tickets');
    expect(after.map((t) => t.id).sort()).toEqual(before.map((t) => t.id).sort());
    for (const t of before) {
      // SLA figures come from the imported (minimal) history, not the original one.
      expect(drop(after.find((x) => x.id === t.id), ['sla_next_breach_at', 'sla_breached_since']), `ticket ${t.id}`).toEqual(drop(t, ['sla_next_breach_at', 'sla_breached_since']));
    }
    const a = after.find((t) => t.id === made.a);
    expect(a).toMatchObject({ status: 'solved', tags: ['push', 'vip'], satisfaction_rating: { score: 'good', comment: 'Quick and friendly' } });
    expect(a.email_cc_ids).toHaveLength(1);
    expect(a.custom_fields.length).toBeGreaterThan(0);

    for (const id of [made.a, made.b]) {
      const mine = (await ok(admin.api.get(`/api/v2/tickets/${id}/comments`)) as any).comments;
      const theirs = (await ok(checker.api.get(`/api/v2/tickets/${id}/comments`)) as any).comments;
      expect(theirs, `comments of ${id}`).toEqual(mine);
    }
    const privateNote = (await ok(checker.api.get(`/api/v2/tickets/${made.a}/comments`)) as any).comments.find((c: { public: boolean }) => !c.public);
    expect(privateNote.body).toBe('Internal: same trace as MM-123.');
    // The deleted ticket's comments are not served by the API; compare the rows.
    // (Timestamps travel with seconds precision, as Zendesk's do.)
    const rows = async (env: TestEnv) =>
      (await env.ctx.db.selectFrom('ticket_comments').select(['id', 'author_id', 'body', 'html_body', 'public', 'created_at']).where('ticket_id', '=', made.c).orderBy('id').execute()).map((r) => ({
        ...r,
        created_at: Math.floor(r.created_at.getTime() / 1000),
      }));
    expect(await rows(target)).toEqual(await rows(source));

    const sourceAttachments = await source.ctx.db.selectFrom('attachments').selectAll().where('comment_id', 'is not', null).orderBy('id').execute();
    expect(sourceAttachments).toHaveLength(3);
    for (const s of sourceAttachments) {
      const t = await target.ctx.db.selectFrom('attachments').selectAll().where('id', '=', s.id).executeTakeFirstOrThrow();
      expect([t.ticket_id, t.comment_id, t.file_name, t.content_type, t.size, t.sha256, t.uploader_id]).toEqual([s.ticket_id, s.comment_id, s.file_name, s.content_type, s.size, s.sha256, s.uploader_id]);
      const bytes = await blobBytes(target, t.storage_key);
      expect(sha256(bytes)).toBe(sha256(await blobBytes(source, s.storage_key)));
      expect(sha256(bytes)).toBe(sha256(files[s.file_name]));
      // And as a client downloads it.
      const res = await checker.api.get(`/api/v2/attachments/${s.id}/content`);
      expect(sha256(res.raw.rawPayload)).toBe(s.sha256);
    }

    const people = (await exportAll(admin.api, 'users/cursor', 'users')).map((u) => drop(u, ['region_id', 'away']));
    const imported = (await exportAll(checker.api, 'users/cursor', 'users')).map((u) => drop(u, ['region_id', 'away']));
    for (const u of people) expect(imported.find((x) => x.id === u.id), `user ${u.id}`).toEqual(u);
    const orgs = (env: TestEnv, api: Api) => ok(api.get('/api/v2/incremental/organizations.json?start_time=0')).then((b: any) => b.organizations);
    expect(await orgs(target, checker.api)).toEqual(await orgs(source, admin.api));
    const seconds = (d: Date | null) => (d ? Math.floor(d.getTime() / 1000) : null);
    const ratings = async (env: TestEnv) =>
      (await env.ctx.db.selectFrom('satisfaction_ratings').select(['id', 'ticket_id', 'ticket_solved_at', 'requester_id', 'assignee_id', 'score', 'comment', 'rated_at']).orderBy('id').execute()).map((r) => ({
        ...r,
        ticket_solved_at: seconds(r.ticket_solved_at),
        rated_at: seconds(r.rated_at),
      }));
    expect(await ratings(target)).toEqual(await ratings(source));
    const memberships = (env: TestEnv) => env.ctx.db.selectFrom('group_memberships').select(['user_id', 'group_id']).where('user_id', '!=', checker.user.id).orderBy('user_id').orderBy('group_id').execute();
    expect(await memberships(target)).toEqual(await memberships(source));

    // Imported tickets live on: the premier, urgent one has its SLA ledger rebuilt from the imported history.
    const ledger = await target.ctx.db.selectFrom('ticket_metric_events').select(['metric', 'type']).where('ticket_id', '=', made.b).execute();
    expect(ledger).toEqual(expect.arrayContaining([expect.objectContaining({ metric: 'first_reply_time', type: 'apply_sla' })]));
    // Its audits are consistent: creation first, then one per comment, in time order.
    const audits = await target.ctx.db.selectFrom('ticket_audits').select(['id', 'created_at']).where('ticket_id', '=', made.a).orderBy('id').execute();
    expect(audits.map((x) => x.created_at.getTime())).toEqual([...audits.map((x) => x.created_at.getTime())].sort((x, y) => x - y));
    const audit = (await ok(checker.api.get(`/api/v2/tickets/${made.a}/audits`)) as any).audits[0];
    expect(audit.events).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'Create', field_name: 'status', value: 'new' }), expect.objectContaining({ type: 'Comment' })]));
  });

  it('changes nothing when run again', async () => {
    const before = await snapshot(target.ctx.db);
    const blobs = readdirSync(join(target.dataDir, 'attachments'), { recursive: true }).length;
    const out = await sundial(target, ['import', 'zendesk', dir, '--report', join(dir, 'second-report.json')]);
    expect(out.code, out.stderr + out.stdout).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'second-report.json'), 'utf8'));
    expect(report.counts.ticket).toMatchObject({ created: 0, unchanged: 3 });
    expect(report.counts.user.created).toBe(0);
    expect(await snapshot(target.ctx.db)).toEqual(before);
    expect(readdirSync(join(target.dataDir, 'attachments'), { recursive: true }).length).toBe(blobs);
  });
});

describe('a Zendesk export in Zendesk’s own shapes', () => {
  let env: TestEnv;
  let report: any;
  const HANK = 19442893058200;
  const AGNES = 19442893058201;
  const PHONE = 19442893058203;
  const ORG = 19442893058196;
  const TIER2 = 360001234567;

  beforeAll(async () => {
    env = await startTestApp({}, ahead());
    const reportPath = join(tempDir('sundial-zd-report-'), 'report.json');
    const phases = new Set<string>();
    await importZendesk(env.ctx, { dir: FIXTURE, reportPath, progress: (phase) => phases.add(phase) });
    expect([...phases]).toEqual(expect.arrayContaining(['organizations', 'users', 'tickets', 'SLA']));
    report = JSON.parse(readFileSync(reportPath, 'utf8'));
  });
  afterAll(() => env?.close());

  it('keeps Zendesk ids of organizations, groups, users, tickets, comments and attachments', async () => {
    const db = env.ctx.db;
    expect(await db.selectFrom('organizations').select(['id', 'name', 'external_id', 'tags']).where('id', '=', ORG).executeTakeFirst()).toEqual({ id: ORG, name: 'Globex Corporation', external_id: 'globex-1', tags: ['enterprise'] });
    expect(await db.selectFrom('groups').select(['id', 'name']).where('id', '=', TIER2).executeTakeFirst()).toEqual({ id: TIER2, name: 'Tier 2' });
    const hank = await db.selectFrom('users').selectAll().where('id', '=', HANK).executeTakeFirstOrThrow();
    // The newest copy wins, whatever its position in the file.
    expect(hank).toMatchObject({ name: 'Hank Scorpio', email: 'hank@globex.example', organization_id: ORG, time_zone: 'America/New_York', role: 'end-user', tags: ['vip'] });
    expect(await db.selectFrom('users').select(['role', 'default_group_id']).where('id', '=', AGNES).executeTakeFirst()).toEqual({ role: 'agent', default_group_id: TIER2 });
    expect(await db.selectFrom('group_memberships').select('group_id').where('user_id', '=', AGNES).execute()).toEqual([{ group_id: TIER2 }]);
    expect((await db.selectFrom('users').select('email').where('id', '=', PHONE).executeTakeFirstOrThrow()).email).toBe(`zendesk-user-${PHONE}@users.invalid`);

    const fire = await db.selectFrom('tickets').selectAll().where('id', '=', 35436).executeTakeFirstOrThrow();
    expect(fire).toMatchObject({ requester_id: HANK, assignee_id: AGNES, group_id: TIER2, organization_id: ORG, priority: 'high', type: 'incident', via_channel: 'email', tags: ['printer', 'fire'] });
    // Solved in March 2024, long past AUTO_CLOSE_AFTER: imported closed, as auto-close would have.
    expect(fire.status).toBe('closed');
    const comments = await db.selectFrom('ticket_comments').select(['id', 'audit_id', 'author_id', 'public', 'body']).where('ticket_id', '=', 35436).orderBy('id').execute();
    expect(comments).toEqual([
      { id: 5001, audit_id: 7001, author_id: HANK, public: true, body: "It's on fire" },
      { id: 5002, audit_id: 7002, author_id: AGNES, public: false, body: 'Internal: call facilities' },
      { id: 5003, audit_id: 7003, author_id: AGNES, public: true, body: 'Please stand back, the manual is attached.' },
    ]);
    const attachments = await db.selectFrom('attachments').selectAll().where('ticket_id', '=', 35436).orderBy('id').execute();
    expect(attachments.map((a) => [a.id, a.comment_id, a.file_name, a.content_type])).toEqual([
      [9001, 5001, 'fire.png', 'image/png'],
      [9002, 5003, 'manual.txt', 'text/plain'],
    ]);
    expect(sha256(await blobBytes(env, attachments[0].storage_key))).toBe(sha256(readFileSync(join(FIXTURE, 'attachments/9001/fire.png'))));
    expect(sha256(await blobBytes(env, attachments[1].storage_key))).toBe(sha256(readFileSync(join(FIXTURE, 'attachments/files/manual.txt'))));
    expect(await db.selectFrom('ticket_collaborators').select('user_id').where('ticket_id', '=', 35436).execute()).toEqual([{ user_id: PHONE }]);
    expect(await db.selectFrom('satisfaction_ratings').select(['id', 'score', 'comment', 'assignee_id']).where('ticket_id', '=', 35436).execute()).toEqual([{ id: 1234, score: 'good', comment: 'Thanks!', assignee_id: AGNES }]);
  });

  it('takes comments from ticket events, keeps deleted tickets deleted, and reports what it could not import', async () => {
    const db = env.ctx.db;
    const keyboard = await db.selectFrom('ticket_comments').select(['id', 'audit_id', 'public', 'body', 'via_channel']).where('ticket_id', '=', 35437).orderBy('id').execute();
    expect(keyboard).toEqual([
      { id: 6001, audit_id: 8001, public: true, body: 'My keyboard is broken', via_channel: 'web' },
      { id: 6002, audit_id: 8003, public: false, body: 'Ordered one from IT', via_channel: 'web' },
    ]);
    expect((await db.selectFrom('tickets').select('deleted_at').where('id', '=', 35438).executeTakeFirstOrThrow()).deleted_at).not.toBeNull();
    const reasons = report.problems.map((p: { kind: string; id: number | null; reason: string }) => `${p.kind} ${p.id}: ${p.reason}`);
    expect(reasons).toEqual(expect.arrayContaining([
      'comment 6003: comment 6003 of ticket 35437: its author 999 was not imported',
      'ticket 35439: its requester 777 was not imported',
      'satisfaction_rating 1235: its ticket 40000 was not imported',
      `user ${PHONE}: no usable email; stored as zendesk-user-${PHONE}@users.invalid`,
    ]));
    expect(report.notes).toEqual(expect.arrayContaining([
      'Ticket form 360000123 does not exist in Sundial: 1 tickets use the default form.',
      'Ticket field 27642 does not exist in Sundial: its values on 1 tickets were not imported.',
      '1 tickets solved longer than AUTO_CLOSE_AFTER ago were imported closed (no mail was sent).',
    ]));
    expect(report.counts.ticket).toMatchObject({ created: 3, skipped: 1 });
  });

  it('continues ids past the imported ones and serves imported tickets through the API', async () => {
    const agent = await createAgent(env, { admin: true });
    expect(agent.user.id).toBeGreaterThan(PHONE);
    const created: any = await ok(agent.api.post('/api/v2/tickets', { ticket: { subject: 'New after import', comment: { body: 'x' }, requester_id: HANK } }), 201);
    expect(created.ticket.id).toBeGreaterThan(35439);
    const shown: any = await ok(agent.api.get('/api/v2/tickets/35437.json?include=users'));
    expect(shown.ticket).toMatchObject({ id: 35437, status: 'open', requester_id: PHONE, assignee_id: AGNES });
    const comments: any = await ok(agent.api.get('/api/v2/tickets/35436/comments.json'));
    expect(comments.comments[0].attachments[0]).toMatchObject({ id: 9001, file_name: 'fire.png', size: readFileSync(join(FIXTURE, 'attachments/9001/fire.png')).length });
    const exported = await exportAll(agent.api, 'tickets/cursor', 'tickets');
    expect(exported.find((t) => t.id === 35438)).toMatchObject({ status: 'deleted' });
  });
});

describe('an interrupted import', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestApp({}, ahead());
  });
  afterAll(() => env?.close());

  it('resumes where it stopped: finished tickets are kept, the rest (and their SLA ledgers) come on the next run', async () => {
    const reportDir = tempDir('sundial-zd-resume-');
    // Stop the first run right after its first ticket committed, as a crash or Ctrl-C would.
    const stop = (phase: string, done: number) => {
      if (phase === 'tickets' && done === 1) throw new Error('interrupted');
    };
    await expect(importZendesk(env.ctx, { dir: FIXTURE, reportPath: join(reportDir, 'first.json'), progress: stop, concurrency: 1 })).rejects.toThrow('interrupted');
    const first = await env.ctx.db.selectFrom('zendesk_import_items').select(['source_id', 'sla_pending']).where('kind', '=', 'ticket').execute();
    expect(first).toHaveLength(1);
    expect(first[0].sla_pending).toBe(true);

    const { report } = await importZendesk(env.ctx, { dir: FIXTURE, reportPath: join(reportDir, 'second.json') });
    expect(report.counts.ticket).toMatchObject({ created: 2, unchanged: 1, skipped: 1 });
    expect(report.counts.user).toMatchObject({ created: 0, unchanged: 4 });
    expect((await env.ctx.db.selectFrom('tickets').select('id').orderBy('id').execute()).map((t) => t.id)).toEqual([35436, 35437, 35438]);
    expect(await env.ctx.db.selectFrom('zendesk_import_items').select('source_id').where('sla_pending', '=', true).execute()).toEqual([]);
    expect((await env.ctx.db.selectFrom('ticket_comments').select('id').where('ticket_id', 'in', [35436, 35437]).execute()).length).toBe(5);
  });
});
