import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/modules/demo/seed-demo.js';
import { createDb, type Db } from '../../src/platform/db.js';
import { migrateToLatest } from '../../src/platform/migrate.js';
import { Api } from '../api.js';
import { logIn } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';
import { currentMigrations, extractAttachments, loadSnapshot, snapshotInfo, snapshotNames } from '../ops/upgrade-snapshot.js';

/**
 * Upgrading a database of an older release, with its data: each snapshot under test/fixtures/upgrade
 * (that release's own migrate, seed-demo and API activity, dumped as plain SQL) is loaded into a new
 * database, migrated by this checkout, and read back through the current API.
 *
 *   r0022-3d93686  the commit before 0026 was added (migrations 0001–0022): runs 0023–0026 on data,
 *                  0026 rebuilding every ticket's search document.
 *   r0026-a3f20ae  the commit before 0025 was added (0001–0024 and 0026, as 0026 landed before 0023–0025):
 *                  the last state a deployment could be in before HEAD, which adds 0025 out of order.
 *
 * At each release, add a snapshot of the one before (run from this checkout; needs pg_dump 15 and the
 * local PostgreSQL, no network), commit the three files it writes, and this test picks them up:
 *
 *   scripts/make-upgrade-snapshot.sh <commit of the previous release> r<last migration>-<short commit>
 *
 * Keep one or two older snapshots too; each is ~200–260 KB.
 */
const dbs: Db[] = [];
const envs: TestEnv[] = [];
afterAll(async () => {
  for (const e of envs) await e.close().catch(() => undefined);
  for (const d of dbs) await d.destroy().catch(() => undefined);
});

/** The rows an older release wrote, read with SQL its schema already had. */
async function oldRows(db: Db) {
  const q = async (text: string) => (await sql.raw<any>(text).execute(db)).rows;
  return {
    tickets: await q(`SELECT id, subject, description, status, priority, requester_id, assignee_id FROM tickets ORDER BY id`),
    comments: await q(`SELECT id, ticket_id, body, public, author_id FROM ticket_comments ORDER BY id`),
    users: await q(`SELECT id, email, name, role FROM users ORDER BY id`),
    attachments: await q(`SELECT id, file_name, size, sha256 FROM attachments WHERE comment_id IS NOT NULL ORDER BY id`),
    ledger: await q(`SELECT ticket_id, count(*)::int AS n FROM ticket_metric_events GROUP BY ticket_id ORDER BY ticket_id`),
  };
}

/** Every page of an offset-paged list. */
async function all(api: Api, path: string, key: string): Promise<any[]> {
  const rows: any[] = [];
  for (let page = 1; ; page++) {
    const res = await api.get(`${path}${path.includes('?') ? '&' : '?'}per_page=100&page=${page}`);
    expect(res.status, path).toBe(200);
    rows.push(...res.body[key]);
    if (!res.body.next_page) return rows;
  }
}

describe.each(snapshotNames())('upgrade from snapshot %s', (name) => {
  it('migrates the old data once and serves all of it through the current API', async () => {
    const info = snapshotInfo(name);
    const m = info.manifest;
    const dbName = `${inject('templateDb').replace('sundial_tpl_', 'sundial_t_')}_upgrade_${randomBytes(3).toString('hex')}`;
    const started = Date.now();
    const url = await loadSnapshot(inject('pgServerUrl'), name, dbName);
    const loaded = Date.now();
    const { db } = createDb(url, { max: 2 });
    dbs.push(db);
    const old = await oldRows(db);
    expect(old.tickets).toHaveLength(info.counts.tickets);
    expect(old.comments).toHaveLength(info.counts.ticket_comments);

    // This checkout's migrations apply exactly those the release did not have, then nothing more.
    const applied = await migrateToLatest(db);
    const migrated = Date.now();
    expect(applied).toEqual(currentMigrations().filter((n) => !info.migrations.includes(n)));
    expect(applied.length).toBeGreaterThan(0);
    const ledger = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db);
    expect(await migrateToLatest(db)).toEqual([]);
    expect((await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db)).rows).toEqual(ledger.rows);
    console.log(`upgrade ${name}: loaded in ${loaded - started} ms, ${applied.join(', ')} in ${migrated - loaded} ms`);

    // Workers off: the snapshot's timers fell due long ago, and jobs firing now would change what is compared.
    const env = await startTestApp({ DATABASE_POOL_SIZE: '3' }, { databaseUrl: url, workers: false });
    envs.push(env);
    await extractAttachments(name, env.dataDir);
    // The old admin's password signs in; then a token, as each password check costs an argon2 hash.
    const token = await Api.basicPassword(env.app, m.admin.email, m.admin.password).post('/api/v2/api_tokens', { token: { description: 'upgrade test' } });
    expect(token.status).toBe(201);
    const admin = Api.basicToken(env.app, m.admin.email, token.body.token.value);

    const tickets = await all(admin, '/api/v2/tickets?sort_by=id', 'tickets');
    expect(tickets.map((t) => ({ id: t.id, subject: t.subject, description: t.description, status: t.status, priority: t.priority, requester_id: t.requester_id, assignee_id: t.assignee_id })).sort((a, b) => a.id - b.id)).toEqual(old.tickets);
    const comments = [];
    for (const t of old.tickets) comments.push(...(await all(admin, `/api/v2/tickets/${t.id}/comments`, 'comments')).map((c) => ({ id: c.id, ticket_id: t.id, body: c.body, public: c.public, author_id: c.author_id })));
    expect(comments.sort((a, b) => a.id - b.id)).toEqual(old.comments);
    const users = await all(admin, '/api/v2/users', 'users');
    expect(users.map((u) => ({ id: u.id, email: u.email, name: u.name, role: u.role })).sort((a, b) => a.id - b.id)).toEqual(old.users);

    // Search finds old tickets by words that only their later comments hold (0026 rebuilt documents).
    for (const { word, ticketId } of m.commentWords) {
      const found = await admin.get(`/api/v2/search?query=${word}`);
      expect(found.body.results.map((r: { id: number }) => r.id), word).toEqual([ticketId]);
    }

    // The SLA ledger and clocks came along.
    expect(old.ledger.length).toBeGreaterThan(0);
    for (const { ticket_id, n } of old.ledger) {
      expect((await admin.get(`/api/v2/tickets/${ticket_id}/metric_events`)).body.ticket_metric_events).toHaveLength(n);
    }
    const withSla = (await admin.get(`/api/v2/tickets/${m.ticketIds[0]}?include=slas`)).body.ticket;
    expect(withSla.slas.policy_metrics.length).toBeGreaterThan(0);
    expect((await admin.get(`/api/v2/tickets/${m.ticketIds[0]}/escalations`)).body.escalations.map((e: { id: number }) => e.id)).toEqual(m.escalationIds);
    for (const id of m.articleIds) expect((await admin.get(`/api/v2/help_center/articles/${id}`)).body.article.title).toMatch(/^Push notifications/);

    // Old attachments download with the bytes the old release stored.
    expect(old.attachments.map((a: { sha256: string }) => a.sha256).sort()).toEqual(m.attachments.map((a) => a.sha256).sort());
    for (const a of old.attachments) {
      const res = await admin.get(`/api/v2/attachments/${a.id}/content`);
      expect(res.status).toBe(200);
      expect(createHash('sha256').update(res.raw.rawPayload).digest('hex')).toBe(a.sha256);
    }

    // Old passwords still sign in: the release's admin, its customer and agent, a demo customer.
    const customer = await logIn(env, m.customers[0].email, m.customers[0].password);
    expect((await customer.get(`/api/v2/requests/${m.ticketIds[0]}`)).status).toBe(200);
    await logIn(env, 'dana.whitfield@northwind.example', DEMO_PASSWORD);
    const agent = Api.basicPassword(env.app, m.agent.email, m.agent.password);
    expect((await agent.get('/api/v2/users/me')).body.user.email).toBe(m.agent.email);

    // An old ticket takes a reply, which search then finds, and a new ticket continues the ids.
    const word = `after${randomBytes(4).toString('hex').replace(/\d/g, 'x')}`;
    expect((await agent.put(`/api/v2/tickets/${m.ticketIds[0]}`, { ticket: { comment: { body: `Upgraded, please retry ${word}.`, public: true } } })).status).toBe(200);
    expect((await admin.get(`/api/v2/search?query=${word}`)).body.results.map((r: { id: number }) => r.id)).toEqual([m.ticketIds[0]]);
    const created = await agent.post('/api/v2/tickets', { ticket: { subject: 'After the upgrade', comment: { body: 'new' }, requester_id: m.customers[0].id } });
    expect(created.status).toBe(201);
    expect(created.body.ticket.id).toBeGreaterThan(Math.max(...old.tickets.map((t: { id: number }) => t.id)));
    // Connections go back now: the server is shared with the other test files.
    await envs.splice(envs.indexOf(env), 1)[0].close();
    await dbs.splice(dbs.indexOf(db), 1)[0].destroy();
  }, 240_000);
});

describe('a database from a newer release', () => {
  it('is refused with a message that names the unknown migration, and nothing is applied', async () => {
    const env = await startTestApp({ DATABASE_POOL_SIZE: '3' }, { workers: false });
    envs.push(env);
    const db = env.ctx.db;
    await sql`INSERT INTO kysely_migration (name, timestamp) VALUES ('9999_from_a_newer_release', ${new Date().toISOString()})`.execute(db);
    const before = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM kysely_migration`.execute(db)).rows[0].n;
    await expect(migrateToLatest(db)).rejects.toThrow(/9999_from_a_newer_release.*newer/);
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM kysely_migration`.execute(db)).rows[0].n).toBe(before);
  });
});
