/**
 * Search latency at scale: tickets (100k, then 1M) with two comments each (one an internal note),
 * written in bulk SQL from a 2,000-word vocabulary with a Zipf-like skew (a few common words, a long
 * tail of rare ones), then Zendesk-syntax queries timed through the HTTP stack (routing, API-token
 * auth, query parsing, SQL, presenting 100 tickets, JSON) as an agent.
 *
 * Bulk SQL bypasses audits, SLA and facts: search reads only tickets and comments.
 *
 *   npx tsx bench/search.ts [--small 100000] [--large 1000000] [--runs 20] [--keep]
 */
import { sql } from 'kysely';
import type { Db } from '../src/platform/db.js';
import { apiToken, postgresVersion, readOptions, runBench, seconds } from './lib.js';

const opts = readOptions({ small: 100_000, large: 1_000_000, runs: 20 });
const CHUNK = 50_000;
const WORDS = 2000;

/** word_1 … word_2000 drawn with a skew: word_k comes up about 1/k as often as word_1. */
const pick = (r: string) => sql.raw(`'w' || (1 + floor(exp(${r} * ln(${WORDS}))))::int`);
const sentence = (n: number) => sql.raw(`(SELECT string_agg('w' || (1 + floor(exp(random() * ln(${WORDS}))))::int, ' ') FROM generate_series(1, ${n}) WHERE g > 0)`);

async function people(db: Db) {
  await sql`INSERT INTO organizations (name, support_plan, domain_names, updated_at) VALUES ('Search Bench Org', 'enterprise', '{searchbench.test}', now()) ON CONFLICT DO NOTHING`.execute(db);
  await sql`
    INSERT INTO users (name, email, role, verified, organization_id, updated_at)
    SELECT 'Searcher ' || g, 'searcher-' || g || '@searchbench.test', 'end-user', true, (SELECT id FROM organizations WHERE name = 'Search Bench Org'), now()
    FROM generate_series(1, 1000) g ON CONFLICT DO NOTHING`.execute(db);
}

async function fillChunk(db: Db, count: number) {
  await sql`
    WITH ctx AS (SELECT (SELECT id FROM ticket_forms WHERE kind = 'technical') AS form, (SELECT id FROM groups WHERE key = 'technical') AS grp,
                        (SELECT id FROM organizations WHERE name = 'Search Bench Org') AS org,
                        (SELECT array_agg(id) FROM users WHERE email LIKE 'searcher-%') AS people),
         made AS (
           INSERT INTO tickets (form_id, subject, description, priority, status, requester_id, submitter_id, group_id, organization_id, tags, created_at, updated_at)
           SELECT ctx.form, ${sentence(5)}, ${sentence(30)},
                  (ARRAY['low','normal','normal','high','urgent'])[1 + floor(random() * 5)::int],
                  (ARRAY['new','open','pending','solved','closed','closed'])[1 + floor(random() * 6)::int],
                  ctx.people[1 + floor(random() * 1000)::int], ctx.people[1], ctx.grp, ctx.org,
                  ARRAY[${pick('random()')}], now() - random() * interval '365 days', now()
           FROM ctx, generate_series(1, ${count}) g
           RETURNING id, requester_id, created_at),
         audits AS (
           INSERT INTO ticket_audits (ticket_id, author_id, via_channel, created_at)
           SELECT id, requester_id, 'web', created_at FROM made, generate_series(1, 2) n
           RETURNING id, ticket_id, author_id, created_at)
    INSERT INTO ticket_comments (ticket_id, audit_id, author_id, body, html_body, public, via_channel, created_at)
    SELECT a.ticket_id, a.id, a.author_id, b.body, '<p>' || b.body || '</p>', a.id % 2 = 0, 'web', a.created_at
    FROM audits a CROSS JOIN LATERAL (SELECT ${sentence(40)} AS body FROM (SELECT a.id AS g) x) b`.execute(db);
}

async function fillTo(db: Db, total: number) {
  const have = Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM tickets`.execute(db)).rows[0].n);
  const started = performance.now();
  for (let n = have; n < total; ) {
    const size = Math.min(CHUNK, total - n);
    await fillChunk(db, size);
    n += size;
    process.stdout.write(`\r  ${n} tickets, ${2 * n} comments  ${seconds(performance.now() - started)} s`);
  }
  process.stdout.write('\n');
  await sql`VACUUM ANALYZE tickets`.execute(db);
  await sql`VACUUM ANALYZE ticket_comments`.execute(db);
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

await runBench({ keep: opts.keep, listen: false, deadlineMs: 60 * 60_000 }, async ({ node, ctx, databaseLabel }) => {
  console.log(`Database: ${databaseLabel}; PostgreSQL ${await postgresVersion(ctx.db)}; ${opts.runs} timed runs per query after one warm-up`);
  await people(ctx.db);
  const agent = await ctx.db.selectFrom('users').selectAll().where((eb) => eb.or([eb('role', '=', 'admin'), eb('email', '=', 'search-agent@searchbench.test')])).executeTakeFirst() ?? (await ctx.db.insertInto('users').values({ name: 'Search Agent', email: 'search-agent@searchbench.test', role: 'agent', verified: true, updated_at: new Date() }).returningAll().executeTakeFirstOrThrow());
  const authorization = `Basic ${Buffer.from(`${agent.email}/token:${await apiToken(ctx.db, agent)}`).toString('base64')}`;
  const get = async (url: string) => {
    const res = await node.app.inject({ method: 'GET', url, headers: { authorization } });
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
    return JSON.parse(res.body) as { count?: number; results: unknown[] };
  };
  const queries: [string, string][] = [
    ['rare word (w1500)', 'w1500'],
    ['mid word (w120)', 'w120'],
    ['common word (w3), first page of 100', 'w3'],
    ['two words (w40 w77)', 'w40 w77'],
    ['phrase "w2 w5"', '"w2 w5"'],
    ['prefix w19*', 'w19*'],
    ['type:ticket status<solved priority:urgent', 'type:ticket status<solved priority:urgent'],
    ['word + status<solved + tags', 'w300 status<solved tags:w7'],
    ['requester + created>30days', 'requester:searcher-17@searchbench.test created>30days'],
    ['word, order_by:created sort:asc', 'w800 order_by:created sort:asc'],
    ['common word, status:new, sorted by updated', 'w2 status:new order_by:updated_at'],
    ['common word without another (w3 -w2)', 'w3 -w2'],
  ];
  const table: string[] = [];
  for (const size of [...new Set([opts.small, opts.large])]) {
    console.log(`\nFilling to ${size} tickets…`);
    await fillTo(ctx.db, size);
    for (const [label, q] of queries) {
      const url = `/api/v2/search.json?query=${encodeURIComponent(q)}&per_page=100`;
      const first = await get(url);
      const times: number[] = [];
      for (let i = 0; i < opts.runs; i++) {
        const t = performance.now();
        await get(url);
        times.push(performance.now() - t);
      }
      const line = `${String(size).padStart(8)}  ${label.padEnd(44)} matches ${String(first.count).padStart(7)}  p50 ${percentile(times, 0.5).toFixed(0).padStart(4)} ms  p95 ${percentile(times, 0.95).toFixed(0).padStart(4)} ms  max ${Math.max(...times).toFixed(0).padStart(4)} ms`;
      console.log(line);
      table.push(line);
    }
  }
  console.log(`\n${'tickets'.padStart(8)}  ${'query'.padEnd(44)} results and latency through the HTTP stack (100 per page, with count)`);
  for (const line of table) console.log(line);
});
