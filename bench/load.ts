/**
 * Data generator for the performance benchmark (issue 10): fills a database through Sundial's own schema
 * with the shape of a real follow-the-sun desk, in bulk SQL (INSERT … SELECT generate_series, chunked,
 * on one or two connections), with a progress bar.
 *
 *   npx sundial bench load --tickets 1000000 [--lanes 2] [--chunk 5000] [--force]
 *   npm run bench:load -- --tickets 100000
 *
 * Target: DATABASE_URL, or the embedded PostgreSQL under DATA_DIR (started, or the running server's).
 * It refuses a database that already holds organizations, users or tickets unless --force is given;
 * with --force it adds to what is there (names and emails then carry a run tag so they never clash).
 *
 * Shape at --tickets N (everything but the agents scales with N / 1,000,000):
 * - 2,000 organizations over all four support plans (free 20 %, professional 35 %, enterprise 35 %,
 *   premier 10 %) and 24 time zones; a third share their tickets; organization sizes are skewed.
 * - 100,000 verified end users (4 % without an organization); requesters are skewed (some file a lot).
 * - 60 agents (2 of them admins) spread over the three regions (APAC, EMEA, AMER) with their time zones:
 *   44 in Technical Support (6 of them also Sustained Engineering), 10 in Sales, 6 in Sustained Engineering.
 * - N tickets over both forms (80 % Technical Support, 20 % Sales Support) with the forms' categories,
 *   environments, versions (mobile version and device when the category is Mobile) as custom fields;
 *   priorities urgent 5 % / high 15 % / normal 55 % / low 25 % (Sales: normal, the form has no priority);
 *   status new 4 %, open 8 %, pending 5 %, on-hold 3 % (20 % unsolved), solved 3 %, closed 77 %;
 *   created over two years (unsolved ones mostly in the last weeks); 15 % have a CC.
 * - ~5 comments per ticket (new tickets have only their description), a third of all comments internal
 *   notes; one audit per comment with its Create/Comment/Change events, plus solve and auto-close audits;
 *   attachment metadata on 8 % of comments.
 * - The SLA ledger (ticket_metric_events) as the engine writes it: activate/apply_sla at creation
 *   (targets of the organization plan's policy), fulfil of the first reply, pausable updates, fulfil at solve.
 *
 * Invariants this generator bypasses (it writes rows directly, not through the use cases):
 * - Report facts: each ticket gets the facts row the 0016 migration's SQL backfill would write
 *   (dimensions, resolution time) with `replayed = false`; the reply clocks come from the
 *   reports.facts-sweep job (2,000 tickets per 5 minutes) or at once from `npx sundial reports recompute`.
 * - SLA: the ledger rows are plausible but not a replay of the engine over the business-hours calendars;
 *   `tickets.sla_next_breach_at` / `sla_breached_since` are set from simple per-priority targets, and no
 *   sla.breach-check jobs are queued. `npx sundial sla recompute` rebuilds the ledger from history.
 * - No jobs are queued (no mail, auto-close, CSAT, routing, triggers): solved tickets are all solved in the
 *   last 46 hours so the auto-close sweep does not close them at once; pending tickets waited at most 13 days
 *   and carry the reminders already due, so the pending sweep has little to do.
 * - No mail_outbox rows, satisfaction ratings, escalations, pages or handovers; no live notifications.
 * - Attachments are metadata only (no upload rows, no files under DATA_DIR/attachments): downloading one fails.
 * - Audit events carry the Create, Comment and status/assignee Change events, not every field change.
 * - The search index (ticket_search, comment_search) is kept by the database triggers of migration 0022,
 *   so it is exact; that is also the slowest part of the fill.
 * - Ids come from the tables' own sequences (nextval), so later writes through Sundial continue after them.
 * - Users have no passwords (the workload authenticates with API tokens); emails are @*.example.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/server.js';
import { chunkSql, literal, orgOf, pick, planOf, readCatalogue, shapeFor, zoneOf, type Bases, type Catalogue } from './load-sql.js';
import { FIRST_NAMES, LAST_NAMES, ORG_KINDS, ORG_WORDS } from './load-text.js';

export interface LoadOptions {
  tickets: number;
  /** Concurrent connections filling chunks (each a PostgreSQL backend, i.e. up to one core each). */
  lanes?: number;
  /** Tickets per transaction. */
  chunk?: number;
  /** Fill a database that already has data. */
  force?: boolean;
  /** Tickets, comments, their audits and CCs only (no audit events, attachments, SLA ledger, facts): for plan tests. */
  lean?: boolean;
  /** Progress output (a bar on a terminal); silent when absent. */
  progress?: (line: string, done: boolean) => void;
}

export interface LoadReport {
  organizations: number;
  endUsers: number;
  agents: number;
  tickets: number;
  comments: number;
  internalNotes: number;
  audits: number;
  auditEvents: number;
  attachments: number;
  metricEvents: number;
  fillSeconds: number;
  analyzeSeconds: number;
}

/** What is in the database already: a generator must not silently mix into real data. */
export async function existingData(c: pg.ClientBase): Promise<{ organizations: number; users: number; tickets: number }> {
  const r = await c.query('SELECT (SELECT count(*) FROM organizations)::int AS organizations, (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM tickets)::int AS tickets');
  return r.rows[0];
}

/** Inserts `count` rows with one INSERT … SELECT and checks they got consecutive ids (formulas map row number → id). */
async function insertConsecutive(c: pg.ClientBase, what: string, count: number, insertSql: string): Promise<number> {
  const r = await c.query(`WITH ins AS (${insertSql} RETURNING id) SELECT min(id)::bigint AS lo, max(id)::bigint AS hi, count(*)::int AS n FROM ins`);
  const { lo, hi, n } = r.rows[0] as { lo: string; hi: string; n: number };
  if (n !== count || Number(hi) - Number(lo) + 1 !== count) throw new Error(`${what}: ids are not consecutive (another writer on this database?); nothing depends on them yet, run again`);
  return Number(lo);
}

async function fillPeople(c: pg.ClientBase, cat: Catalogue, shape: ReturnType<typeof shapeFor>, tag: string): Promise<Omit<Bases, 'now' | 'tag'>> {
  const O = shape.organizations;
  const U = shape.endUsers;
  const suffix = tag ? ` ${tag}` : '';
  const dom = (n: string) => `'org' || ${n} || '${tag ? `-${tag}` : ''}.example'`;
  const org = await insertConsecutive(
    c,
    'organizations',
    O,
    `INSERT INTO organizations (name, support_plan, time_zone, domain_names, shared_tickets, shared_comments, details, tags, created_at, updated_at)
     SELECT ${pick(ORG_WORDS, `((g * 7) % ${ORG_WORDS.length})::float8 / ${ORG_WORDS.length}`)} || ' ' || ${pick(ORG_KINDS, `((g * 5) % ${ORG_KINDS.length})::float8 / ${ORG_KINDS.length}`)} || ' ' || g || '${suffix}',
            ${planOf('g')}, ${zoneOf('g')}, ARRAY[${dom('g')}], g % 3 = 0, g % 6 = 0, 'Generated by bench/load.ts', ARRAY[${planOf('g')}],
            now() - interval '3 years' + g * interval '10 minutes', now()
     FROM generate_series(1, ${O}) g ORDER BY g`,
  );
  const user = await insertConsecutive(
    c,
    'end users',
    U,
    `INSERT INTO users (name, email, role, organization_id, verified, ticket_restriction, created_at, updated_at)
     SELECT ${pick(FIRST_NAMES, `(g % 25)::float8 / 25`)} || ' ' || ${pick(LAST_NAMES, `((g / 25) % 25)::float8 / 25`)},
            'user' || g || '@' || CASE WHEN g % 25 = 0 THEN 'mail${tag ? `-${tag}` : ''}.example' ELSE ${dom(orgOf('g', U, O))} END,
            'end-user', CASE WHEN g % 25 = 0 THEN NULL ELSE ${org - 1} + ${orgOf('g', U, O)} END, true,
            CASE WHEN g % 10 = 0 THEN 'organization' ELSE 'requested' END, now() - interval '2 years' + g * interval '1 minute', now()
     FROM generate_series(1, ${U}) g ORDER BY g`,
  );
  // Agents: numbers 1-44 Technical Support (39-44 also Sustained Engineering), 45-54 Sales, 55-60 Sustained Engineering.
  const regionIds = cat.regions.map((r) => r.id);
  const zones: Record<string, string[]> = { APAC: ['Asia/Tokyo', 'Asia/Singapore', 'Australia/Sydney', 'Asia/Kolkata'], EMEA: ['Europe/Berlin', 'Europe/London', 'Africa/Johannesburg', 'Europe/Warsaw'], AMER: ['America/New_York', 'America/Chicago', 'America/Los_Angeles', 'America/Sao_Paulo'] };
  const zoneList = cat.regions.map((r) => zones[r.name] ?? ['UTC']);
  const agent = await insertConsecutive(
    c,
    'agents',
    shape.agents,
    `INSERT INTO users (name, email, role, verified, region_id, time_zone, default_group_id, created_at, updated_at)
     SELECT ${pick(FIRST_NAMES, `((g * 3) % 25)::float8 / 25`)} || ' Agent' || g, 'agent' || g || '@staff${tag ? `-${tag}` : ''}.example',
            CASE WHEN g <= 2 THEN 'admin' ELSE 'agent' END, true, (ARRAY[${regionIds.join(',')}]::bigint[])[1 + g % ${regionIds.length}],
            (ARRAY[${zoneList.map((z) => `'${z[0]}'`).join(',')}])[1 + g % ${regionIds.length}],
            CASE WHEN g <= 44 THEN ${cat.groups.technical} WHEN g <= 54 THEN ${cat.groups.sales} ELSE ${cat.groups.engineering} END,
            now() - interval '3 years', now()
     FROM generate_series(1, ${shape.agents}) g ORDER BY g`,
  );
  await c.query(
    `INSERT INTO group_memberships (user_id, group_id, is_default)
     SELECT ${agent - 1} + g, ${cat.groups.technical}, true FROM generate_series(1, 44) g
     UNION ALL SELECT ${agent - 1} + g, ${cat.groups.sales}, true FROM generate_series(45, 54) g
     UNION ALL SELECT ${agent - 1} + g, ${cat.groups.engineering}, g > 54 FROM generate_series(39, 60) g WHERE g <= 44 OR g > 54
     ON CONFLICT DO NOTHING`,
  );
  return { org, user, agent };
}


const BAR = 30;
function bar(done: number, total: number, startedMs: number, extra: string): string {
  const frac = total ? done / total : 1;
  const s = (performance.now() - startedMs) / 1000;
  const eta = frac > 0 ? (s / frac) * (1 - frac) : 0;
  const full = Math.round(frac * BAR);
  return `[${'#'.repeat(full)}${'.'.repeat(BAR - full)}] ${String(Math.floor(frac * 100)).padStart(3)}%  ${done}/${total} tickets  ${extra}  ${s.toFixed(0)} s${frac < 1 ? `, ~${eta.toFixed(0)} s left` : ''}`;
}

/** Fills the database at `url`; see the file header for the shape and what is bypassed. */
export async function fillDatabase(url: string, o: LoadOptions): Promise<LoadReport> {
  const lanes = Math.max(1, o.lanes ?? 2);
  const chunk = Math.max(100, o.chunk ?? 5000);
  const shape = shapeFor(o.tickets);
  const say = o.progress ?? (() => {});
  const main = new pg.Client({ connectionString: url });
  await main.connect();
  const clients: pg.Client[] = [main];
  try {
    const existing = await existingData(main);
    const empty = existing.organizations + existing.users + existing.tickets === 0;
    if (!empty && !o.force) {
      throw new Error(
        `The database already holds ${existing.organizations} organizations, ${existing.users} users and ${existing.tickets} tickets: ` +
          'refusing to add generated data to it. Point DATABASE_URL at an empty database, or pass --force to add to this one anyway.',
      );
    }
    const tag = empty ? '' : Date.now().toString(36);
    const cat = await readCatalogue(main);
    const started = performance.now();
    say(`Filling ${shape.organizations} organizations, ${shape.endUsers} end users, ${shape.agents} agents…`, true);
    const people = await fillPeople(main, cat, shape, tag);
    const now = (await main.query('SELECT now() AS now')).rows[0].now as Date;
    const bases: Bases = { ...people, now: now.toISOString(), tag };

    for (let i = 1; i < lanes; i++) {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      clients.push(c);
    }
    const chunks = Math.ceil(o.tickets / chunk);
    let next = 0;
    let done = 0;
    let comments = 0;
    const fillStarted = performance.now();
    const lane = async (c: pg.Client) => {
      // Bulk load: no fsync wait per commit (a crash loses the last chunks, never consistency).
      await c.query('SET synchronous_commit = off');
      while (next < chunks) {
        const k = next++;
        const size = Math.min(chunk, o.tickets - k * chunk);
        await c.query('BEGIN');
        try {
          // A seed per chunk: the same --tickets and --chunk give the same data.
          await c.query(`SELECT setseed(${((k % 2000) / 1000 - 1).toFixed(4)})`);
          for (const statement of chunkSql(cat, shape, bases, size, o.lean === true)) await c.query(statement);
          const n = (await c.query('SELECT count(*)::int AS n FROM gc')).rows[0].n as number;
          await c.query('COMMIT');
          done += size;
          comments += n;
          say(bar(done, o.tickets, fillStarted, `${comments} comments`), false);
        } catch (e) {
          await c.query('ROLLBACK').catch(() => {});
          next = chunks;
          throw e;
        }
      }
    };
    await Promise.all(clients.map(lane));
    say(bar(done, o.tickets, fillStarted, `${comments} comments`), true);
    const fillSeconds = (performance.now() - started) / 1000;

    say('VACUUM ANALYZE (statistics for the planner, visibility map for index-only scans)…', true);
    const analyzeStarted = performance.now();
    for (const table of ['organizations', 'users', 'group_memberships', 'tickets', 'ticket_collaborators', 'ticket_audits', 'ticket_comments', 'ticket_audit_events', 'attachments', 'ticket_metric_events', 'ticket_facts', 'ticket_search', 'comment_search']) {
      await main.query(`VACUUM (ANALYZE) ${table}`);
    }
    const analyzeSeconds = (performance.now() - analyzeStarted) / 1000;
    // Remembered on the database itself, for the benchmark report (bench/workload.ts).
    const note = `filled by bench/load.ts --tickets ${o.tickets} in ${fillSeconds.toFixed(0)} s (+ ${analyzeSeconds.toFixed(0)} s VACUUM ANALYZE) on ${lanes} connections, ${new Date().toISOString().slice(0, 10)}`;
    await main.query(`DO $$ BEGIN EXECUTE format('COMMENT ON DATABASE %I IS %L', current_database(), ${literal(note)}); END $$`);

    const count = async (sql: string) => Number((await main.query(sql)).rows[0].n);
    return {
      organizations: shape.organizations,
      endUsers: shape.endUsers,
      agents: shape.agents,
      tickets: await count('SELECT count(*) AS n FROM tickets'),
      comments: await count('SELECT count(*) AS n FROM ticket_comments'),
      internalNotes: await count('SELECT count(*) AS n FROM ticket_comments WHERE NOT public'),
      audits: await count('SELECT count(*) AS n FROM ticket_audits'),
      auditEvents: await count("SELECT reltuples::bigint AS n FROM pg_class WHERE relname = 'ticket_audit_events'"),
      attachments: await count('SELECT count(*) AS n FROM attachments'),
      metricEvents: await count("SELECT reltuples::bigint AS n FROM pg_class WHERE relname = 'ticket_metric_events'"),
      fillSeconds,
      analyzeSeconds,
    };
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => {})));
  }
}

export function describeReport(r: LoadReport): string {
  return [
    `Filled in ${r.fillSeconds.toFixed(0)} s (+ ${r.analyzeSeconds.toFixed(0)} s VACUUM ANALYZE):`,
    `  ${r.organizations} organizations, ${r.endUsers} end users, ${r.agents} agents`,
    `  ${r.tickets} tickets in the database, ${r.comments} comments (${r.internalNotes} internal, ${((100 * r.internalNotes) / Math.max(1, r.comments)).toFixed(0)} %)`,
    `  ${r.audits} audits, ~${r.auditEvents} audit events, ${r.attachments} attachments (metadata), ~${r.metricEvents} SLA ledger events`,
    '  Report facts are not replayed yet: run `npx sundial reports recompute` for exact report figures (see bench/load.ts).',
  ].join('\n');
}

/** `--tickets N [--lanes L] [--chunk C] [--force]` from argv. */
export function parseLoadArgs(args: string[]): LoadOptions {
  const { values } = parseArgs({ args, options: { tickets: { type: 'string' }, lanes: { type: 'string' }, chunk: { type: 'string' }, force: { type: 'boolean', default: false } } });
  const int = (v: string | undefined, name: string, fallback: number) => {
    const n = v === undefined ? fallback : Number(v);
    if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer (got "${v}")`);
    return n;
  };
  return { tickets: int(values.tickets, 'tickets', 1_000_000), lanes: int(values.lanes, 'lanes', 2), chunk: int(values.chunk, 'chunk', 5000), force: values.force === true };
}

/** A progress printer: a bar redrawn in place on a terminal, a line per 10 % otherwise. */
export function progressPrinter(): (line: string, done: boolean) => void {
  let lastTenth = -1;
  let lastLine = '';
  return (line, done) => {
    if (process.stderr.isTTY) return void process.stderr.write(`\r${line}${done ? '\n' : ''}`);
    const pct = /(\d+)%/.exec(line);
    const tenth = pct ? Math.floor(Number(pct[1]) / 10) : -2;
    if ((done || tenth !== lastTenth) && line !== lastLine) console.error(line);
    lastTenth = tenth;
    lastLine = line;
  };
}

/** CLI: the target is DATABASE_URL or the embedded PostgreSQL (migrated first, as every command does). */
export async function runLoadCommand(args: string[]): Promise<void> {
  const options = { ...parseLoadArgs(args), progress: progressPrinter() };
  const database = await openDatabase(loadConfig(), { attachToRunning: true });
  try {
    console.log(describeReport(await fillDatabase(database.url, options)));
  } finally {
    await database.close();
  }
}

if (process.argv[1]?.replace(/\\/g, '/').endsWith('bench/load.ts')) {
  await runLoadCommand(process.argv.slice(2)).catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
