/**
 * Report latency at scale: a year of tickets (100k, then 1M) written in bulk SQL with their report facts,
 * shaped like a support desk (2,000 organizations of four plans, 60 agents in three regions, skewed
 * categories and priorities, lognormal reply and resolution times, older tickets closed, a live backlog,
 * CSAT on a fifth of solves, escalations on held tickets), then every report endpoint timed through
 * the HTTP stack (routing, API-token auth, JSON) at each size.
 *
 * The facts are generated directly, not replayed from audits: replay cost is what bench/sla.ts measures,
 * and the live path writes one fact row per ticket write (bench/create-tickets.ts shows its cost).
 *
 *   npx tsx bench/reports.ts [--small 100000] [--large 1000000] [--runs 5] [--keep]
 */
import { sql } from 'kysely';
import { FactStore } from '../src/modules/reports/fact-store.js';
import type { Db } from '../src/platform/db.js';
import { apiToken, postgresVersion, readOptions, runBench, seconds } from './lib.js';

const opts = readOptions({ small: 100_000, large: 1_000_000, runs: 5 });
const ORGS = 2000;
const AGENTS = 60;
const CHUNK = 100_000;

/** People: organizations of four plans in several zones, a customer each, agents in the seeded regions. */
async function seedPeople(db: Db) {
  await sql`SELECT setseed(0.42)`.execute(db);
  await sql`
    INSERT INTO organizations (name, support_plan, time_zone, domain_names, updated_at)
    SELECT 'Bench Org ' || g,
           CASE WHEN r < 0.10 THEN 'premier' WHEN r < 0.50 THEN 'enterprise' WHEN r < 0.85 THEN 'professional' ELSE 'free' END,
           (ARRAY['America/New_York','America/Los_Angeles','Europe/Berlin','Europe/London','Asia/Tokyo','Asia/Kolkata','Australia/Sydney'])[1 + g % 7],
           ARRAY['bench-org-' || g || '.test'], now()
    FROM (SELECT g, random() AS r FROM generate_series(1, ${ORGS}) g) s`.execute(db);
  await sql`
    INSERT INTO users (name, email, role, organization_id, verified, updated_at)
    SELECT 'Customer of ' || o.name, 'customer@' || o.domain_names[1], 'end-user', o.id, true, now()
    FROM organizations o WHERE o.name LIKE 'Bench Org %'`.execute(db);
  await sql`
    INSERT INTO users (name, email, role, verified, region_id, updated_at)
    SELECT 'Bench Agent ' || g, 'bench-agent-' || g || '@bench-staff.test', 'agent', true,
           (SELECT id FROM regions ORDER BY position OFFSET g % 3 LIMIT 1), now()
    FROM generate_series(1, ${AGENTS}) g`.execute(db);
  await sql`
    INSERT INTO group_memberships (user_id, group_id, updated_at)
    SELECT u.id, (SELECT id FROM groups WHERE key = CASE WHEN u.id % 6 = 0 THEN 'sales' ELSE 'technical' END), now()
    FROM users u WHERE u.email LIKE 'bench-agent-%'`.execute(db);
}

/**
 * `count` tickets created over the past year, with ratings, escalations and facts, in one chunk.
 * Random but reproducible (setseed); distributions in the comments.
 */
async function fillChunk(db: Db, count: number) {
  const before = Number((await sql<{ id: number }>`SELECT coalesce(max(id), 0) AS id FROM tickets`.execute(db)).rows[0].id);
  await sql`
    WITH orgs AS (SELECT array_agg(o.id ORDER BY o.id) AS ids, array_agg(u.id ORDER BY o.id) AS customers
                  FROM organizations o JOIN users u ON u.organization_id = o.id WHERE o.name LIKE 'Bench Org %'),
         agents AS (SELECT array_agg(u.id ORDER BY u.id) FILTER (WHERE m.group_id = (SELECT id FROM groups WHERE key = 'technical')) AS tech,
                           array_agg(u.id ORDER BY u.id) FILTER (WHERE m.group_id = (SELECT id FROM groups WHERE key = 'sales')) AS sales
                    FROM users u JOIN group_memberships m ON m.user_id = u.id WHERE u.email LIKE 'bench-agent-%'),
         forms AS (SELECT (SELECT id FROM ticket_forms WHERE kind = 'technical') AS tech, (SELECT id FROM ticket_forms WHERE kind = 'sales') AS sales,
                          (SELECT id FROM groups WHERE key = 'technical') AS tech_group, (SELECT id FROM groups WHERE key = 'sales') AS sales_group,
                          (SELECT id FROM ticket_fields WHERE key = 'technical_category') AS tech_field, (SELECT id FROM ticket_fields WHERE key = 'sales_category') AS sales_field),
         cats AS (SELECT (SELECT array_agg(value ORDER BY position) FROM ticket_field_options WHERE field_id = (SELECT tech_field FROM forms)) AS tech,
                         (SELECT array_agg(value ORDER BY position) FROM ticket_field_options WHERE field_id = (SELECT sales_field FROM forms)) AS sales),
         draws AS (
           SELECT g, random() AS r_org, random() AS r_prio, random() AS r_form, random() AS r_cat, random() AS r_agent, random() AS r_status, random() AS r_res, random() AS r_res2,
                  -- uniform over the year, weekend tickets mostly moved to the Friday before
                  now() - random() * interval '365 days' AS t0, random() AS r_weekend
           FROM generate_series(1, ${count}) g),
         shaped AS (
           SELECT d.*, CASE WHEN extract(isodow FROM d.t0) >= 6 AND d.r_weekend < 0.7 THEN d.t0 - interval '2 days' ELSE d.t0 END AS created,
                  1 + floor(power(d.r_org, 1.6) * ${ORGS})::int AS org_idx,
                  d.r_form < 0.85 AS technical,
                  -- lognormal resolution, median 2 days
                  exp(ln(2880) + 1.2 * sqrt(-2 * ln(1 - d.r_res)) * cos(2 * pi() * d.r_res2)) AS resolution
           FROM draws d),
         placed AS (
           SELECT s.*, now() - s.created AS age,
                  CASE WHEN now() - s.created > interval '14 days'
                       THEN CASE WHEN s.r_status < 0.93 THEN 'closed' WHEN s.r_status < 0.95 THEN 'solved' WHEN s.r_status < 0.97 THEN 'hold' WHEN s.r_status < 0.985 THEN 'pending' ELSE 'open' END
                       ELSE CASE WHEN s.r_status < 0.05 THEN 'new' WHEN s.r_status < 0.30 THEN 'open' WHEN s.r_status < 0.45 THEN 'pending' WHEN s.r_status < 0.50 THEN 'hold' WHEN s.r_status < 0.75 THEN 'solved' ELSE 'closed' END
                  END AS status
           FROM shaped s)
    INSERT INTO tickets (form_id, subject, description, priority, status, requester_id, submitter_id, assignee_id, group_id, organization_id, via_channel, custom_fields, created_at, updated_at, solved_at, closed_at)
    SELECT CASE WHEN p.technical THEN f.tech ELSE f.sales END,
           'Bench ticket ' || (${before} + p.g), 'Generated for the reports benchmark.',
           CASE WHEN p.r_prio < 0.05 THEN 'urgent' WHEN p.r_prio < 0.25 THEN 'high' WHEN p.r_prio < 0.75 THEN 'normal' ELSE 'low' END,
           p.status, o.customers[p.org_idx], o.customers[p.org_idx],
           CASE WHEN p.status = 'new' THEN NULL WHEN p.technical THEN a.tech[1 + floor(p.r_agent * cardinality(a.tech))::int] ELSE a.sales[1 + floor(p.r_agent * cardinality(a.sales))::int] END,
           CASE WHEN p.technical THEN f.tech_group ELSE f.sales_group END,
           o.ids[p.org_idx], 'web',
           CASE WHEN p.technical THEN jsonb_build_object(f.tech_field::text, c.tech[1 + floor(power(p.r_cat, 2) * cardinality(c.tech))::int])
                ELSE jsonb_build_object(f.sales_field::text, c.sales[1 + floor(p.r_cat * cardinality(c.sales))::int]) END,
           p.created, p.created,
           CASE WHEN p.status IN ('solved','closed') THEN least(p.created + p.resolution * interval '1 minute', now() - interval '1 hour') END,
           CASE WHEN p.status = 'closed' THEN least(p.created + p.resolution * interval '1 minute' + interval '2 days', now()) END
    FROM placed p, orgs o, agents a, forms f, cats c`.execute(db);
  // A fifth of solves rated, mostly good, a third of them with a comment.
  await sql`
    INSERT INTO satisfaction_ratings (ticket_id, ticket_solved_at, requester_id, assignee_id, group_id, score, comment, offered_at, rated_at, created_at, updated_at)
    SELECT t.id, t.solved_at, t.requester_id, t.assignee_id, t.group_id, CASE WHEN random() < 0.85 THEN 'good' ELSE 'bad' END,
           CASE WHEN random() < 0.33 THEN 'Generated comment ' || t.id END, t.solved_at + interval '1 day', least(t.solved_at + interval '30 hours', now()), t.solved_at, t.solved_at
    FROM tickets t WHERE t.id > ${before} AND t.solved_at IS NOT NULL AND random() < 0.2`.execute(db);
  // Held tickets mostly wait on an engineering escalation at some stage.
  await sql`
    INSERT INTO escalations (ticket_id, classification, summary, stage, created_by, created_at, updated_at)
    SELECT t.id, 'bug', 'Generated escalation',
           (ARRAY['escalated','confirmed_product_issue','action_plan_created','action_plan_executed'])[1 + floor(random() * 4)::int], t.assignee_id, t.created_at, t.created_at
    FROM tickets t WHERE t.id > ${before} AND t.status = 'hold' AND t.assignee_id IS NOT NULL AND random() < 0.7`.execute(db);
  // Facts as the live hooks would write them; targets by priority approximate the seeded policies.
  await sql`
    INSERT INTO ticket_facts (ticket_id, created_at, solved_at, status, plan, priority, form_kind, category, group_id, assignee_id, organization_id,
                              first_reply_minutes, first_reply_calendar_minutes, first_reply_sla, next_reply_minutes, next_reply_achieved, next_reply_breached,
                              updates_achieved, updates_breached, requester_wait_minutes, resolution_minutes, csat_score, csat_rated_at, csat_rating_id, csat_has_comment)
    SELECT x.id, x.created_at, x.solved_at, x.status, x.plan, x.priority, x.kind, x.category, x.group_id, x.assignee_id, x.organization_id,
           x.frt, x.frt * 2.5,
           CASE WHEN x.plan = 'free' THEN NULL WHEN x.frt IS NULL THEN CASE WHEN extract(epoch FROM now() - x.created_at) / 60 > x.target THEN 'breached' END
                WHEN x.frt > x.target THEN 'breached' ELSE 'achieved' END,
           x.nrt, CASE WHEN x.plan = 'free' THEN 0 ELSE cardinality(x.nrt) - x.nrt_late END, CASE WHEN x.plan = 'free' THEN 0 ELSE x.nrt_late END,
           CASE WHEN x.plan = 'free' THEN 0 ELSE floor(random() * 3)::int END, CASE WHEN x.plan <> 'free' AND random() < 0.08 THEN 1 ELSE 0 END,
           CASE WHEN x.solved_at IS NOT NULL THEN x.resolution * (0.4 + 0.5 * random()) END, x.resolution,
           r.score, r.rated_at, r.id, coalesce(r.comment IS NOT NULL, false)
    FROM (
      SELECT t.*, o.support_plan AS plan, f.kind, t.custom_fields ->> (SELECT id::text FROM ticket_fields WHERE key = f.kind || '_category') AS category,
             CASE WHEN t.status = 'new' THEN NULL ELSE exp(ln(100) + 1.0 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())) END AS frt,
             CASE t.priority WHEN 'urgent' THEN 120 WHEN 'high' THEN 240 WHEN 'normal' THEN 480 ELSE 960 END AS target,
             ARRAY(SELECT exp(ln(180) + 0.9 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())) FROM generate_series(1, CASE WHEN t.status = 'new' THEN 0 ELSE floor(random() * random() * 4)::int END) WHERE t.id > 0) AS nrt,
             CASE WHEN random() < 0.1 THEN 1 ELSE 0 END AS nrt_late,
             CASE WHEN t.solved_at IS NOT NULL THEN extract(epoch FROM t.solved_at - t.created_at) / 60 END AS resolution
      FROM tickets t JOIN organizations o ON o.id = t.organization_id JOIN ticket_forms f ON f.id = t.form_id
      WHERE t.id > ${before}
    ) x
    LEFT JOIN LATERAL (SELECT s.id, s.score, s.rated_at, s.comment FROM satisfaction_ratings s WHERE s.ticket_id = x.id ORDER BY s.id DESC LIMIT 1) r ON true`.execute(db);
  // nrt_late applies only where there were next replies.
  await sql`UPDATE ticket_facts SET next_reply_breached = 0, next_reply_achieved = 0 WHERE ticket_id > ${before} AND cardinality(next_reply_minutes) = 0 AND next_reply_breached > 0`.execute(db);
}

async function fillTo(db: Db, total: number) {
  const have = Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM tickets`.execute(db)).rows[0].n);
  const started = performance.now();
  for (let n = have; n < total; ) {
    const size = Math.min(CHUNK, total - n);
    await fillChunk(db, size);
    n += size;
    process.stdout.write(`\r  ${n} tickets with facts  ${seconds(performance.now() - started)} s`);
  }
  process.stdout.write('\n');
  await sql`ANALYZE`.execute(db);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

await runBench({ keep: opts.keep, listen: false, deadlineMs: 40 * 60_000 }, async ({ node, ctx, databaseLabel }) => {
  console.log(`Database: ${databaseLabel}; PostgreSQL ${await postgresVersion(ctx.db)}; ${opts.runs} timed runs per endpoint after one warm-up`);
  await seedPeople(ctx.db);
  const admin = (await ctx.db.selectFrom('users').selectAll().where('email', '=', 'bench-agent-1@bench-staff.test').executeTakeFirstOrThrow());
  const authorization = `Basic ${Buffer.from(`${admin.email}/token:${await apiToken(ctx.db, admin)}`).toString('base64')}`;
  // In-process HTTP: routing, API-token authentication and serialization as a client gets them.
  const api = {
    get: async (url: string) => {
      const res = await node.app.inject({ method: 'GET', url, headers: { authorization } });
      return { status: res.statusCode, body: res.headers['content-type']?.toString().includes('json') ? JSON.parse(res.body) : res.body };
    },
  };
  const org = (await ctx.db.selectFrom('organizations').select('id').where('name', '=', 'Bench Org 1').executeTakeFirstOrThrow()).id;

  const today = new Date().toISOString().slice(0, 10);
  const yearAgo = new Date(Date.now() - 364 * 86_400_000).toISOString().slice(0, 10);
  const year = `from=${yearAgo}&to=${today}`;
  const endpoints: [string, string][] = [
    ...['none', 'priority', 'plan', 'form', 'category', 'group', 'region', 'agent', 'organization', 'day', 'week'].map((g): [string, string] => [`summary group_by=${g}`, `/api/v2/reports/summary?${year}&group_by=${g}`]),
    ['summary plan+priority filter, by agent', `/api/v2/reports/summary?${year}&plan=enterprise&priority=high&group_by=agent`],
    ['summary one organization, by week', `/api/v2/reports/summary?${year}&organization_id=${org}&group_by=week`],
    ['summary last 30 days, by day', '/api/v2/reports/summary?group_by=day'],
    ['summary CSV by agent', `/api/v2/reports/summary?${year}&group_by=agent&format=csv`],
    ['sla_achievement', `/api/v2/reports/sla_achievement?${year}`],
    ['backlog', '/api/v2/reports/backlog'],
    ['on_hold', '/api/v2/reports/on_hold'],
    ['csat (50 comments)', `/api/v2/reports/csat?${year}`],
    ['ticket_score', '/api/v2/reports/ticket_score'],
    ['drill-down page (100 tickets)', `/api/v2/reports/tickets?${year}&metric=first_reply_breached&group_by=priority&key=high&limit=100`],
    ['drill-down backlog cell', '/api/v2/reports/tickets?metric=backlog&status=open&age_bucket=14d%2B'],
  ];
  const results = new Map<string, string[]>();
  const notes: string[] = [];

  for (const size of [opts.small, opts.large]) {
    console.log(`\nFilling to ${size} tickets over the past year…`);
    await fillTo(ctx.db, size);
    const facts = Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM ticket_facts`.execute(ctx.db)).rows[0].n);

    // Cold load of a node's in-memory copy, then what the app's own copy pays to catch up with the bulk load.
    const cold = new FactStore(ctx.db);
    const rss0 = process.memoryUsage().rss;
    let t = performance.now();
    await cold.sync();
    const coldMs = performance.now() - t;
    const rssGrowth = process.memoryUsage().rss - rss0;
    t = performance.now();
    await cold.sync();
    const idleSyncMs = performance.now() - t;
    t = performance.now();
    const first = await api.get(endpoints[0][1]);
    const firstMs = performance.now() - t;
    if (first.status !== 200) throw new Error(`summary failed: ${first.status} ${JSON.stringify(first.body)}`);
    notes.push(
      `${size} tickets (${facts} fact rows): cold load of a node's copy ${seconds(coldMs)} s (RSS +${Math.round(rssGrowth / 2 ** 20)} MB, ` +
        `typed arrays ${Math.round(cold.bytes() / 2 ** 20)} MB: ${Math.round(cold.bytes() / cold.size)} bytes a ticket); ` +
        `sync with nothing new ${idleSyncMs.toFixed(1)} ms; first summary after the bulk load (catching up) ${seconds(firstMs)} s; ` +
        `tickets created in the year: ${first.body.report.totals.tickets_created}`,
    );

    for (const [name, path] of endpoints) {
      const res = await api.get(path);
      if (res.status !== 200) throw new Error(`${name} failed: ${res.status} ${String(JSON.stringify(res.body)).slice(0, 300)}`);
      const times: number[] = [];
      for (let k = 0; k < opts.runs; k++) {
        const t0 = performance.now();
        await api.get(path);
        times.push(performance.now() - t0);
      }
      const cell = `${median(times).toFixed(0).padStart(6)} ms (max ${Math.max(...times).toFixed(0)})`;
      results.set(name, [...(results.get(name) ?? []), cell]);
    }
  }

  const width = Math.max(...endpoints.map(([n]) => n.length));
  const sizes = [opts.small, opts.large].map((n) => `${n.toLocaleString('en')} tickets`.padEnd(22));
  console.log(`\n${'endpoint (median of runs)'.padEnd(width)}  ${sizes.join('  ')}`);
  for (const [name] of endpoints) console.log(`${name.padEnd(width)}  ${(results.get(name) ?? []).map((c) => c.padEnd(22)).join('  ')}`);
  console.log('');
  for (const n of notes) console.log(n);
});
