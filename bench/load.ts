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
import {
  AGENT_SENTENCES, ATTACHMENTS, CUSTOMER_SENTENCES, FIRST_NAMES, INTERNAL_SENTENCES, LAST_NAMES, ORG_KINDS, ORG_WORDS, SALES_SUBJECTS, sqlArray, TECHNICAL_SYMPTOMS, TIME_ZONES,
} from './load-text.js';

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

/** Counts the generator derives from --tickets (agents do not scale: a team stays a team). */
export function shapeFor(tickets: number) {
  const f = tickets / 1_000_000;
  return { tickets, organizations: Math.max(20, Math.round(2000 * f)), endUsers: Math.max(200, Math.round(100_000 * f)), agents: 60 };
}

interface Catalogue {
  forms: { technical: number; sales: number };
  groups: { technical: number; sales: number; engineering: number };
  fields: Record<'technical_category' | 'sales_category' | 'environment' | 'mattermost_version' | 'mattermost_mobile_version' | 'mobile_device', number>;
  options: { technical: { value: string; name: string }[]; sales: { value: string; name: string }[]; environment: string[] };
  regions: { id: number; name: string }[];
}

async function readCatalogue(c: pg.ClientBase): Promise<Catalogue> {
  const one = async <T>(text: string, params: unknown[] = []) => (await c.query(text, params)).rows as T[];
  const forms = await one<{ id: number; kind: 'technical' | 'sales' }>('SELECT id::int, kind FROM ticket_forms');
  const groups = await one<{ id: number; key: string }>("SELECT id::int, key FROM groups WHERE key IN ('technical','sales','engineering')");
  const fields = await one<{ id: number; key: string }>('SELECT id::int, key FROM ticket_fields WHERE key IS NOT NULL');
  const options = async (key: string) =>
    one<{ value: string; name: string }>('SELECT o.value, o.name FROM ticket_field_options o JOIN ticket_fields f ON f.id = o.field_id WHERE f.key = $1 AND o.active ORDER BY o.position', [key]);
  const id = <T extends { id: number }>(rows: T[], pick: (r: T) => boolean, what: string) => rows.find(pick)?.id ?? fail(`${what} is missing: is this a migrated Sundial database?`);
  const field = (key: string) => id(fields, (f) => f.key === key, `ticket field ${key}`);
  return {
    forms: { technical: id(forms, (f) => f.kind === 'technical', 'technical form'), sales: id(forms, (f) => f.kind === 'sales', 'sales form') },
    groups: { technical: id(groups, (g) => g.key === 'technical', 'group technical'), sales: id(groups, (g) => g.key === 'sales', 'group sales'), engineering: id(groups, (g) => g.key === 'engineering', 'group engineering') },
    fields: {
      technical_category: field('technical_category'), sales_category: field('sales_category'), environment: field('environment'),
      mattermost_version: field('mattermost_version'), mattermost_mobile_version: field('mattermost_mobile_version'), mobile_device: field('mobile_device'),
    },
    options: { technical: await options('technical_category'), sales: await options('sales_category'), environment: (await options('environment')).map((o) => o.value) },
    regions: await one<{ id: number; name: string }>('SELECT id::int, name FROM regions ORDER BY position, id'),
  };
}

const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

const fail = (message: string): never => {
  throw new Error(message);
};

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

interface Bases {
  org: number;
  user: number;
  agent: number;
  now: string;
  tag: string;
}

/** Organization number (1…O) of end user number u (1…U): monotonic, so neighbours share one; early organizations are big. */
const orgOf = (u: string, U: number, O: number) => `(1 + floor(${O} * power((${u} - 1)::float8 / ${U}, 1.8)))::int`;
const planOf = (o: string) => `(CASE WHEN ${o} % 20 < 4 THEN 'free' WHEN ${o} % 20 < 11 THEN 'professional' WHEN ${o} % 20 < 18 THEN 'enterprise' ELSE 'premier' END)`;
const zoneOf = (o: string) => `(${sqlArray(TIME_ZONES)})[1 + ${o} % ${TIME_ZONES.length}]`;
const pick = (items: readonly string[], r: string) => `(${sqlArray(items)})[1 + floor(${r} * ${items.length})::int]`;

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

/** The SQL of one chunk: plan the tickets and comments in temp tables, then write every table from them. */
function chunkSql(cat: Catalogue, shape: ReturnType<typeof shapeFor>, b: Bases, count: number, lean: boolean): string[] {
  const U = shape.endUsers;
  const O = shape.organizations;
  const now = `'${b.now}'::timestamptz`;
  const tech = cat.options.technical;
  const sales = cat.options.sales;
  const f = cat.fields;
  const techAgent = (r: string) => `(${b.agent} + floor(${r} * 44))::bigint`;
  const salesAgent = (r: string) => `(${b.agent} + 44 + floor(${r} * 10))::bigint`;
  const sentences = (bank: readonly string[], rs: string[]) => rs.map((r) => pick(bank, r)).join(` || ' ' || `);
  const unlessLean = (...statements: string[]) => (lean ? [] : statements);
  return [
    // 1. Ticket plan: every attribute of `count` tickets, with their ids taken from the sequence.
    `CREATE TEMP TABLE gt ON COMMIT DROP AS
     WITH r AS MATERIALIZED (
       SELECT g, random() AS r_form, random() AS r_status, random() AS r_prio, random() AS r_user, random() AS r_age, random() AS r_cat, random() AS r_env,
              random() AS r_via, random() AS r_nc, random() AS r_agent, random() AS r_solve, random() AS r_cc, random() AS r_s, random() AS r_d1,
              random() AS r_d2, random() AS r_d3, random() AS r_act, random() AS r_ver, random() AS r_dev
       FROM generate_series(1, ${count}) g),
     a AS (
       SELECT r.*, r_form < 0.8 AS technical,
              CASE WHEN r_status < 0.04 THEN 'new' WHEN r_status < 0.12 THEN 'open' WHEN r_status < 0.17 THEN 'pending' WHEN r_status < 0.20 THEN 'hold'
                   WHEN r_status < 0.23 THEN 'solved' ELSE 'closed' END AS status,
              (1 + floor(${U} * power(r_user, 1.4)))::int AS user_no,
              interval '1 hour' * (1 + 320 * power(r_solve, 3)) AS res
       FROM r),
     b AS (
       SELECT a.*, CASE WHEN user_no % 25 = 0 THEN NULL ELSE ${orgOf('user_no', U, O)} END AS org_no,
              CASE status WHEN 'closed' THEN ${now} - interval '20 days' - r_age * interval '710 days'
                          WHEN 'solved' THEN ${now} - r_age * interval '46 hours' - res
                          WHEN 'pending' THEN ${now} - r_act * interval '13 days' - power(r_age, 2) * interval '40 days'
                          ELSE ${now} - power(r_age, 2) * interval '60 days' END AS created_at
       FROM a),
     c AS (
       SELECT b.*, CASE WHEN status IN ('solved','closed') THEN created_at + res END AS solved_at,
              CASE WHEN status = 'closed' THEN created_at + res + interval '48 hours' END AS closed_at,
              CASE WHEN status IN ('solved','closed') THEN created_at + res
                   WHEN status = 'new' THEN created_at
                   WHEN status = 'pending' THEN ${now} - r_act * interval '13 days'
                   ELSE created_at + (${now} - created_at) * r_act END AS conv_end,
              CASE WHEN technical THEN ${pick(tech.map((o) => o.value), 'r_cat')} ELSE ${pick(sales.map((o) => o.value), 'r_cat')} END AS category,
              CASE WHEN technical THEN ${pick(tech.map((o) => o.name), 'r_cat')} ELSE NULL END AS category_name,
              CASE WHEN NOT technical THEN 'normal' WHEN r_prio < 0.05 THEN 'urgent' WHEN r_prio < 0.20 THEN 'high' WHEN r_prio < 0.75 THEN 'normal' ELSE 'low' END AS priority
       FROM b)
     SELECT nextval('tickets_id_seq') AS id, c.*,
            ${b.user - 1} + user_no AS requester_id,
            CASE WHEN org_no IS NULL THEN NULL ELSE ${b.org - 1} + org_no END AS organization_id,
            CASE WHEN org_no IS NULL THEN 'free' ELSE ${planOf('org_no')} END AS plan,
            CASE WHEN org_no IS NULL THEN 'America/Los_Angeles' ELSE ${zoneOf('org_no')} END AS tz,
            CASE WHEN technical THEN ${cat.forms.technical} ELSE ${cat.forms.sales} END AS form_id,
            CASE WHEN technical THEN ${cat.groups.technical} ELSE ${cat.groups.sales} END AS group_id,
            CASE WHEN status = 'new' AND r_agent < 0.95 THEN NULL WHEN technical THEN ${techAgent('r_agent')} ELSE ${salesAgent('r_agent')} END AS assignee_id,
            CASE WHEN r_via < 0.6 THEN 'web' WHEN r_via < 0.9 THEN 'email' ELSE 'api' END AS via,
            CASE WHEN status = 'new' THEN 1 ELSE 2 + floor(r_nc * 7)::int END AS ncomments,
            CASE WHEN r_cc < 0.15 THEN ${b.user} + user_no % ${U} END AS cc_id,
            CASE WHEN technical THEN left(category_name || ': ' || ${pick(TECHNICAL_SYMPTOMS, 'r_s')}, 150) ELSE ${pick(SALES_SUBJECTS, 'r_s')} END AS subject,
            ${sentences(CUSTOMER_SENTENCES, ['r_d1', 'r_d2', 'r_d3'])} || ' Reference ERR-' || (10000 + floor(r_d1 * 90000))::int || '.' AS description,
            CASE WHEN technical THEN
              jsonb_build_object('${f.technical_category}', category, '${f.environment}', ${pick(cat.options.environment, 'r_env')},
                                 '${f.mattermost_version}', (ARRAY['9.11','10.2','10.5','10.8','10.11'])[1 + floor(r_ver * 5)::int] || '.' || floor(r_env * 6)::int)
              || CASE WHEN category = 'mobile' THEN jsonb_build_object('${f.mattermost_mobile_version}', '2.' || (20 + floor(r_ver * 6)::int) || '.0', '${f.mobile_device}', CASE WHEN r_dev < 0.5 THEN 'ios' ELSE 'android' END) ELSE '{}'::jsonb END
            ELSE jsonb_build_object('${f.sales_category}', category) END AS custom_fields,
            CASE WHEN status = 'new' THEN created_at + interval '1 hour' * (CASE priority WHEN 'urgent' THEN 2 WHEN 'high' THEN 4 WHEN 'normal' THEN 8 ELSE 16 END)
                 WHEN status = 'open' THEN conv_end + interval '24 hours' END AS sla_next_breach_at
     FROM c`,
    // 2. Comment plan: the description, then replies, customer answers and internal notes in time order.
    `CREATE TEMP TABLE gc ON COMMIT DROP AS
     WITH x AS MATERIALIZED (
       SELECT t.id AS ticket_id, t.requester_id, t.assignee_id, t.technical, t.created_at AS t0, t.conv_end, t.ncomments, t.via, t.description, n,
              random() AS r_pub, random() AS r_a, random() AS r_b, random() AS r_att, random() AS r_agent
       FROM gt t CROSS JOIN LATERAL generate_series(1, t.ncomments) n)
     SELECT nextval('ticket_comments_id_seq') AS id, nextval('ticket_audits_id_seq') AS audit_id, ticket_id, n, ncomments,
            n = 1 OR r_pub >= 0.4167 AS public,
            n > 1 AND (r_pub < 0.4167 OR n % 2 = 0) AS by_agent,
            CASE WHEN n = 1 THEN requester_id
                 WHEN r_pub < 0.4167 OR n % 2 = 0 THEN coalesce(assignee_id, CASE WHEN technical THEN ${techAgent('r_agent')} ELSE ${salesAgent('r_agent')} END)
                 ELSE requester_id END AS author_id,
            CASE WHEN n = 1 THEN t0 ELSE t0 + (conv_end - t0) * ((n - 1)::float8 / (ncomments - 1)) END AS created_at,
            CASE WHEN n = 1 THEN description
                 WHEN r_pub < 0.4167 THEN ${sentences(INTERNAL_SENTENCES, ['r_a'])}
                 WHEN n % 2 = 0 THEN ${sentences(AGENT_SENTENCES, ['r_a', 'r_b'])}
                 ELSE ${sentences(CUSTOMER_SENTENCES, ['r_a', 'r_b'])} END AS body,
            CASE WHEN n = 1 THEN via WHEN r_pub < 0.4167 OR n % 2 = 0 THEN 'web' ELSE via END AS via_channel,
            r_att < 0.08 AS has_attachment, r_att AS r_file
     FROM x`,
    // 3. Audits that are not a comment's: the solve and, for closed tickets, the auto-close.
    `CREATE TEMP TABLE gx ON COMMIT DROP AS
     SELECT nextval('ticket_audits_id_seq') AS audit_id, id AS ticket_id, 'solve' AS kind, assignee_id AS author_id, 'web' AS via, '{}'::jsonb AS metadata, solved_at AS at
     FROM gt WHERE status IN ('solved','closed')
     UNION ALL
     SELECT nextval('ticket_audits_id_seq'), id, 'close', NULL, 'rule', '{"rule": "auto-close", "after_ms": 172800000}'::jsonb, closed_at FROM gt WHERE status = 'closed'`,
    `INSERT INTO tickets (id, form_id, subject, description, priority, status, requester_id, submitter_id, assignee_id, group_id, organization_id, via_channel,
                          tags, custom_fields, created_at, updated_at, solved_at, closed_at, sla_next_breach_at, sla_breached_since, pending_since, pending_reminders_sent)
     SELECT id, form_id, subject, description, priority, status, requester_id, CASE WHEN via = 'api' THEN coalesce(assignee_id, ${b.agent}) ELSE requester_id END,
            assignee_id, group_id, organization_id, via, ARRAY[category], custom_fields, created_at,
            date_trunc('second', CASE WHEN status = 'closed' THEN closed_at ELSE conv_end END), solved_at, closed_at,
            sla_next_breach_at, CASE WHEN sla_next_breach_at < ${now} THEN sla_next_breach_at END,
            CASE WHEN status = 'pending' THEN conv_end END,
            CASE WHEN status = 'pending' THEN (conv_end < ${now} - interval '3 days')::int + (conv_end < ${now} - interval '7 days')::int ELSE 0 END
     FROM gt ORDER BY id`,
    `INSERT INTO ticket_audits (id, ticket_id, author_id, via_channel, metadata, created_at)
     SELECT c.audit_id, c.ticket_id, c.author_id, c.via_channel,
            CASE WHEN c.n = 1 THEN jsonb_build_object('sla', jsonb_build_object('plan', t.plan, 'time_zone', t.tz)) ELSE '{}'::jsonb END, c.created_at
     FROM gc c JOIN gt t ON t.id = c.ticket_id
     UNION ALL SELECT audit_id, ticket_id, author_id, via, metadata, at FROM gx
     ORDER BY 1`,
    `INSERT INTO ticket_comments (id, ticket_id, audit_id, author_id, body, html_body, public, via_channel, created_at)
     SELECT id, ticket_id, audit_id, author_id, body, '<p>' || body || '</p>', public, via_channel, created_at FROM gc ORDER BY id`,
    ...unlessLean(`INSERT INTO ticket_audit_events (audit_id, type, field_name, value, previous_value, comment_id)
     SELECT c.audit_id, 'Create', e.k, e.v, NULL::jsonb, NULL::bigint
     FROM gc c JOIN gt t ON t.id = c.ticket_id
     CROSS JOIN LATERAL (VALUES ('subject', to_jsonb(t.subject)), ('status', '"new"'::jsonb), ('priority', to_jsonb(t.priority)), ('requester_id', to_jsonb(t.requester_id)),
                                ('group_id', to_jsonb(t.group_id)), ('organization_id', to_jsonb(t.organization_id)), ('ticket_form_id', to_jsonb(t.form_id))) e(k, v)
     WHERE c.n = 1 AND e.v <> 'null'::jsonb
     UNION ALL SELECT c.audit_id, 'Create', e.key, e.value, NULL, NULL FROM gc c JOIN gt t ON t.id = c.ticket_id CROSS JOIN LATERAL jsonb_each(t.custom_fields) e WHERE c.n = 1
     UNION ALL SELECT audit_id, 'Comment', NULL, NULL, NULL, id FROM gc
     UNION ALL SELECT c.audit_id, 'Change', 'status', '"open"', '"new"', NULL FROM gc c WHERE c.n = 2
     UNION ALL SELECT c.audit_id, 'Change', 'assignee_id', to_jsonb(t.assignee_id), 'null', NULL FROM gc c JOIN gt t ON t.id = c.ticket_id WHERE c.n = 2 AND t.assignee_id IS NOT NULL
     UNION ALL SELECT c.audit_id, 'Change', 'status', to_jsonb(t.status), '"open"', NULL FROM gc c JOIN gt t ON t.id = c.ticket_id WHERE c.n = c.ncomments AND c.n > 1 AND t.status IN ('pending','hold')
     UNION ALL SELECT audit_id, 'Change', 'status', CASE kind WHEN 'solve' THEN '"solved"'::jsonb ELSE '"closed"' END, CASE kind WHEN 'solve' THEN '"open"'::jsonb ELSE '"solved"' END, NULL FROM gx`),
    ...unlessLean(`INSERT INTO attachments (ticket_id, comment_id, uploader_id, file_name, content_type, size, sha256, storage_key, created_at)
     SELECT ticket_id, id, author_id, (${sqlArray(ATTACHMENTS.map((a) => a[0]))})[1 + floor(r_file * 12.5 * ${ATTACHMENTS.length})::int % ${ATTACHMENTS.length}],
            (${sqlArray(ATTACHMENTS.map((a) => a[1]))})[1 + floor(r_file * 12.5 * ${ATTACHMENTS.length})::int % ${ATTACHMENTS.length}],
            (2000 + r_file * 60000000)::bigint, md5(id::text) || md5(ticket_id::text), 'bench/' || id, created_at
     FROM gc WHERE has_attachment`),
    `INSERT INTO ticket_collaborators (ticket_id, user_id, created_at) SELECT id, cc_id, created_at FROM gt WHERE cc_id IS NOT NULL AND cc_id <> requester_id`,
    // 4. SLA ledger, as the engine writes it for a ticket's life (targets from the plan's policy).
    ...unlessLean(`INSERT INTO ticket_metric_events (ticket_id, metric, instance_id, type, time, sla, recorded_at)
     SELECT t.id, m.metric, 1, m.type, m.time, m.sla, m.time
     FROM gt t
     LEFT JOIN (SELECT ticket_id, min(created_at) AS at FROM gc WHERE by_agent AND public GROUP BY ticket_id) fr ON fr.ticket_id = t.id
     LEFT JOIN (SELECT p.plan, m.priority, m.metric, jsonb_build_object('target', m.target_minutes, 'policy_id', p.id, 'business_hours', m.business_hours) AS sla
                FROM sla_policy_metrics m JOIN sla_policies p ON p.id = m.policy_id) fp ON fp.plan = t.plan AND fp.priority = t.priority AND fp.metric = 'first_reply_time'
     LEFT JOIN (SELECT p.plan, m.priority, m.metric, jsonb_build_object('target', m.target_minutes, 'policy_id', p.id, 'business_hours', m.business_hours) AS sla
                FROM sla_policy_metrics m JOIN sla_policies p ON p.id = m.policy_id) pu ON pu.plan = t.plan AND pu.priority = t.priority AND pu.metric = 'pausable_update_time'
     CROSS JOIN LATERAL (VALUES
       ('first_reply_time', 'activate', t.created_at, NULL::jsonb), ('first_reply_time', 'apply_sla', t.created_at, fp.sla),
       ('requester_wait_time', 'activate', t.created_at, NULL), ('requester_wait_time', 'apply_sla', t.created_at, NULL),
       ('agent_work_time', 'activate', t.created_at, NULL), ('agent_work_time', 'apply_sla', t.created_at, NULL),
       ('total_resolution_time', 'activate', t.created_at, NULL), ('total_resolution_time', 'apply_sla', t.created_at, NULL),
       ('first_reply_time', 'fulfill', fr.at, NULL),
       ('pausable_update_time', 'activate', fr.at, NULL), ('pausable_update_time', 'apply_sla', fr.at, pu.sla),
       ('requester_wait_time', 'fulfill', t.solved_at, NULL), ('agent_work_time', 'fulfill', t.solved_at, NULL),
       ('total_resolution_time', 'fulfill', t.solved_at, NULL), ('pausable_update_time', 'fulfill', CASE WHEN fr.at IS NOT NULL THEN t.solved_at END, NULL)
     ) m(metric, type, time, sla)
     WHERE m.time IS NOT NULL
     ORDER BY t.id`),
    // 5. Report facts as the 0016 backfill writes them; the replay of reply clocks is left to the sweep / `reports recompute`.
    ...unlessLean(`INSERT INTO ticket_facts (ticket_id, created_at, solved_at, status, plan, priority, form_kind, category, group_id, assignee_id, organization_id, resolution_minutes, replayed)
     SELECT id, created_at, solved_at, status, plan, priority, CASE WHEN technical THEN 'technical' ELSE 'sales' END, category, group_id, assignee_id, organization_id,
            CASE WHEN solved_at IS NOT NULL THEN extract(epoch FROM solved_at - created_at)::float8 / 60 END, false
     FROM gt`),
  ];
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
