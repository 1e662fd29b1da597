/**
 * Query plans at scale (issue 10): no view, list or search query may read `tickets` or `ticket_comments`
 * with a sequential scan. The database is filled by the benchmark generator (bench/load.ts, lean mode:
 * tickets, comments, audits, CCs) and VACUUM ANALYZEd, so the planner costs plans as it would on a real
 * desk; the SQL is the real one, captured from the pg driver while the HTTP routes run, then EXPLAINed
 * with the same parameters.
 */
import { createRequire } from 'node:module';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillDatabase } from '../../bench/load.js';
import { apiToken } from '../../bench/lib.js';
import type { Actor } from '../../src/modules/accounts/actor.js';
import { encodeCursor } from '../../src/platform/pagination.js';
import { VIEWS, type ViewDefinition } from '../../src/modules/views/view-definitions.js';
import { pickAgent } from '../../src/modules/shifts/routing.js';
import { startTestApp, type TestEnv } from '../harness.js';

/** Enough rows that index and sequential plans are costed apart (~30 MB of tickets, ~150k comments). */
const TICKETS = 30_000;
const WATCHED = ['tickets', 'ticket_comments'];

/** How the driver turns a value into a parameter's text, for EXECUTE's literal arguments. */
const { prepareValue } = createRequire(import.meta.url)('pg/lib/utils.js') as { prepareValue(value: unknown): unknown };

interface Captured {
  text: string;
  values: unknown[];
  /** Sent as a named (prepared) statement. */
  prepared: boolean;
}

// The driver's query entry point, wrapped while a scenario runs: every pool client is a pg.Client.
const captured: Captured[] = [];
let capturing = false;
const originalQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  if (capturing && typeof args[0] === 'string') captured.push({ text: args[0], values: Array.isArray(args[1]) ? args[1] : [], prepared: false });
  // A named statement (prepared-statements.ts) comes as a config object.
  const config = args[0] as { name?: string; text?: string; values?: unknown[] };
  if (capturing && typeof config?.text === 'string') captured.push({ text: config.text, values: config.values ?? [], prepared: !!config.name });
  return (originalQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof pg.Client.prototype.query;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  'Plan Rows'?: number;
  Plans?: PlanNode[];
}

const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];
const describeNode = (n: PlanNode) => `${n['Node Type']}${n['Relation Name'] ? ` on ${n['Relation Name']}` : ''}${n['Index Name'] ? ` using ${n['Index Name']}` : ''}`;

let env: TestEnv;
let explainer: pg.Client;
let agentAuth: string;
let customerAuth: string;
const ids = { agent: 0, customer: 0, customerOrg: 0, requester: 0, ccUser: 0, ticket: 0, midTicket: 0, agentEmail: '', customerEmail: '', orgName: '' };

beforeAll(async () => {
  env = await startTestApp({}, { workers: false });
  const started = performance.now();
  await fillDatabase(env.databaseUrl, { tickets: TICKETS, lanes: 2, chunk: 5000, lean: true });
  explainer = new pg.Client({ connectionString: env.databaseUrl });
  await explainer.connect();
  // Once more now that every fill transaction is long committed: marks more pages all-visible.
  await explainer.query('VACUUM tickets');
  console.log(`query-plans: filled ${TICKETS} tickets in ${((performance.now() - started) / 1000).toFixed(0)} s`);

  const db = env.ctx.db;
  // An agent with assigned tickets, and a customer of an organization that shares tickets, with CCs.
  const agent = await db.selectFrom('users').selectAll().where('role', '=', 'agent').where('email', 'like', 'agent%').orderBy('id').offset(2).limit(1).executeTakeFirstOrThrow();
  const customer = await db
    .selectFrom('users')
    .innerJoin('organizations', 'organizations.id', 'users.organization_id')
    .selectAll('users')
    .select('organizations.name as org_name')
    .where('organizations.shared_tickets', '=', true)
    .where('users.role', '=', 'end-user')
    .where((eb) => eb.exists(eb.selectFrom('tickets').select('tickets.id').whereRef('tickets.requester_id', '=', 'users.id')))
    .orderBy('users.id')
    .limit(1)
    .executeTakeFirstOrThrow();
  const cc = await db.selectFrom('ticket_collaborators').select(['user_id', 'ticket_id']).orderBy('ticket_id').limit(1).executeTakeFirstOrThrow();
  const ticket = await db.selectFrom('tickets').select('id').where('requester_id', '=', customer.id).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
  const mid = await db.selectFrom('tickets').select('id').orderBy('id').offset(Math.floor(TICKETS / 2)).limit(1).executeTakeFirstOrThrow();
  Object.assign(ids, { agent: agent.id, agentEmail: agent.email, customer: customer.id, customerEmail: customer.email, customerOrg: customer.organization_id!, orgName: customer.org_name, requester: customer.id, ccUser: cc.user_id, ticket: ticket.id, midTicket: mid.id });
  const basic = (email: string, token: string) => `Basic ${Buffer.from(`${email}/token:${token}`).toString('base64')}`;
  agentAuth = basic(agent.email, await apiToken(db, agent));
  customerAuth = basic(customer.email, await apiToken(db, customer));
}, 300_000);

afterAll(async () => {
  pg.Client.prototype.query = originalQuery;
  await explainer?.end();
  await env?.close();
});

const customPlan = async (q: Captured) => (await explainer.query(`EXPLAIN (FORMAT JSON) ${q.text}`, q.values)).rows[0]['QUERY PLAN'][0].Plan as PlanNode;

/** A prepared read may run on a plan made without its parameters' values (after five runs): explain that one. */
async function genericPlan(q: Captured): Promise<PlanNode> {
  await explainer.query(`PREPARE generic AS ${q.text}`);
  try {
    await explainer.query('SET plan_cache_mode = force_generic_plan');
    const args = q.values.map((v) => (v === null || v === undefined ? 'NULL' : explainer.escapeLiteral(String(prepareValue(v)))));
    return (await explainer.query(`EXPLAIN (FORMAT JSON) EXECUTE generic(${args.join(', ')})`)).rows[0]['QUERY PLAN'][0].Plan as PlanNode;
  } finally {
    await explainer.query('RESET plan_cache_mode');
    await explainer.query('DEALLOCATE generic');
  }
}

/** Runs one GET as `auth`, returns the plans of the SELECTs it sent that read a watched table. */
async function plansOf(url: string, auth: string): Promise<{ sql: string; nodes: PlanNode[] }[]> {
  captured.length = 0;
  capturing = true;
  let res;
  try {
    res = await env.app.inject({ method: 'GET', url, headers: { authorization: auth } });
  } finally {
    capturing = false;
  }
  expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
  const reads = captured.filter((q) => /^\s*(select|with)\b/i.test(q.text) && WATCHED.some((t) => q.text.includes(`"${t}"`)));
  const out = [];
  for (const q of reads) {
    out.push({ sql: q.text, nodes: nodes(q.prepared ? await genericPlan(q) : await customPlan(q)) });
  }
  return out;
}

/**
 * "My open" is one agent's open tickets: with few of them the planner may read the cursor's side of them
 * from tickets_my_open_idx (bounded by the cursor) and sort that, which is bounded by one agent's open
 * tickets, not by the desk; with many it reads the index in order (1M tickets: 0.1 ms a page).
 */
const SORTS_ONE_AGENTS = new Set([2]);

/** A page's worth of rows: a Sort over more than this sorted the whole list to show one page. */
const SMALL_SORT = 1000;

/**
 * Fails with every offending SQL and its plan when any of `urls` reads a watched table sequentially or
 * (with `noBigSort`) sorts more than a few pages of rows.
 */
async function expectNoSeqScan(auth: string, ...urls: string[]) {
  await expectPlans(auth, { noBigSort: false }, ...urls);
}

async function expectPlans(auth: string, rules: { noBigSort: boolean }, ...urls: string[]) {
  const bad: string[] = [];
  for (const url of urls) {
    const plans = await plansOf(url, auth);
    expect(plans.length, `${url} sent no query on tickets or comments`).toBeGreaterThan(0);
    const summary = plans.map((p) => p.nodes.filter((n) => n['Relation Name'] || n['Index Name'] || n['Node Type'] === 'Sort').map(describeNode).join(', ')).join(' | ');
    console.log(`${url}\n    ${summary}`);
    for (const p of plans) {
      const seq = p.nodes.some((n) => n['Node Type'] === 'Seq Scan' && WATCHED.includes(n['Relation Name'] ?? ''));
      const bigSort = rules.noBigSort && p.nodes.some((n) => n['Node Type'] === 'Sort' && (n['Plan Rows'] ?? 0) > SMALL_SORT);
      if (seq || bigSort) bad.push(`${url}\n  ${p.sql}\n  → ${p.nodes.map((n) => `${describeNode(n)} (${n['Plan Rows']} rows)`).join(' / ')}`);
    }
  }
  expect(bad).toEqual([]);
}

/** The cursor of the ticket 90 % down `view` in its own order, as the API would hand it out. */
async function deepCursor(view: ViewDefinition): Promise<{ cursor: string; nullSort: boolean }> {
  const { by, order } = view.sort;
  const actor = { user: { id: ids.agent } } as Actor;
  const query = env.ctx.db.selectFrom('tickets').where('tickets.deleted_at', 'is', null).where((eb) => view.filter(eb, actor));
  const { n } = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const row = await query
    .select(['tickets.id', sql<string | null>`to_char(${sql.ref(`tickets.${by}`)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('v')])
    .orderBy(sql`${sql.ref(`tickets.${by}`)} ${sql.raw(order)} NULLS LAST`)
    .orderBy('tickets.id', order)
    .offset(Math.floor(Number(n) * 0.9))
    .limit(1)
    .executeTakeFirstOrThrow();
  return { cursor: encodeCursor({ id: row.id, sort: `${order === 'desc' ? '-' : ''}${by}`, value: row.v }), nullSort: row.v === null };
}

const cursor = (id: number) => Buffer.from(JSON.stringify({ id })).toString('base64url');

describe('agent views use indexes on a large desk', () => {
  for (const view of VIEWS) {
    it(`view ${view.id} "${view.title}": first page, a deep page and its count`, async () => {
      await expectNoSeqScan(agentAuth, `/api/v2/views/${view.id}/tickets?per_page=100`, `/api/v2/views/${view.id}/tickets?per_page=25&page=20`);
    });
    it(`view ${view.id} "${view.title}": cursor pages, the first and the ones after and before a ticket 90 % down, read only a page from an index`, async () => {
      const { cursor, nullSort } = await deepCursor(view);
      const after = `/api/v2/views/${view.id}/tickets?page[size]=100&page[after]=${cursor}`;
      const before = `/api/v2/views/${view.id}/tickets?page[size]=100&page[before]=${cursor}`;
      await expectPlans(agentAuth, { noBigSort: true }, `/api/v2/views/${view.id}/tickets?page[size]=100`, after, before);
      // The cursor must bound the index scan (Index Cond), not filter rows read from the start of the view,
      // and the index must give the page's order: a Sort there read every row from the cursor to that end
      // of the view (however few the planner expected: noBigSort goes by its estimate).
      const bound = nullSort ? /IS NULL.*id [<>] /s : /ROW\(/;
      for (const url of [after, before]) {
        const page = (await plansOf(url, agentAuth)).filter((p) => p.sql.includes('"sort_value"')).flatMap((p) => p.nodes);
        expect(page.filter((n) => bound.test(n['Index Cond'] ?? '')).map(describeNode), url).not.toEqual([]);
        if (!SORTS_ONE_AGENTS.has(view.id)) expect(page.filter((n) => n['Node Type'] === 'Sort').map(describeNode), url).toEqual([]);
      }
    });
  }
  it('count_many of every view', async () => {
    await expectNoSeqScan(agentAuth, `/api/v2/views/count_many?ids=${VIEWS.map((v) => v.id).join(',')}`);
  });
});

describe('agent lists use indexes', () => {
  const cases = () => [
    `/api/v2/tickets?page[size]=100`,
    `/api/v2/tickets?page[size]=100&page[after]=${cursor(ids.midTicket)}`,
    `/api/v2/tickets?page[size]=100&sort=-id&page[after]=${cursor(ids.midTicket)}`,
    `/api/v2/users/${ids.requester}/tickets/requested`,
    `/api/v2/users/${ids.ccUser}/tickets/ccd`,
    `/api/v2/users/${ids.agent}/tickets/assigned`,
    `/api/v2/organizations/${ids.customerOrg}/tickets`,
    `/api/v2/tickets/${ids.ticket}?include=users,groups,organizations`,
    `/api/v2/tickets/${ids.ticket}/comments?include=users`,
    `/api/v2/tickets/${ids.ticket}/audits`,
    `/api/v2/tickets/show_many?ids=${ids.ticket},${ids.midTicket}`,
  ];
  it('tickets (cursor), user and organization tickets, one ticket with comments and audits', async () => {
    await expectNoSeqScan(agentAuth, ...cases());
  });

  it('the count of every live ticket (offset pages, /tickets/count) is an index-only scan', async (t) => {
    // Counting every live ticket is cheap only as an index-only scan, which the planner picks when the
    // visibility map is current. VACUUM cannot mark pages all-visible while another database of the same
    // server runs a long transaction (a parallel test file, a benchmark fill): then this check is skipped.
    const vm = await explainer.query("SELECT relpages, relallvisible FROM pg_class WHERE relname = 'tickets'");
    const { relpages, relallvisible } = vm.rows[0] as { relpages: number; relallvisible: number };
    if (relallvisible < 0.9 * relpages) t.skip(`visibility map ${relallvisible}/${relpages} pages: VACUUM was held back by another transaction`);
    await expectNoSeqScan(agentAuth, `/api/v2/tickets?per_page=100&page=3`, `/api/v2/tickets/count`);
  });
});

describe("customers' requests use indexes", () => {
  it('my requests, open, solved, CCd, organization, search, one request with comments', async () => {
    await expectNoSeqScan(
      customerAuth,
      '/api/v2/requests',
      '/api/v2/requests?page[size]=25',
      '/api/v2/requests/open',
      '/api/v2/requests/solved',
      '/api/v2/requests/ccd',
      '/api/v2/requests/organization',
      `/api/v2/organizations/${ids.customerOrg}/requests`,
      `/api/v2/users/${ids.customer}/requests`,
      '/api/v2/requests/search?query=upgrade',
      `/api/v2/requests/${ids.ticket}`,
      `/api/v2/requests/${ids.ticket}/comments`,
    );
  });
});

describe('search field filters use indexes', () => {
  it('status, priority, assignee, requester, organization and date filters', async () => {
    const queries = [
      'type:ticket status:pending',
      'type:ticket status<solved priority:urgent',
      `assignee:${ids.agentEmail} status:open`,
      `requester:${ids.customerEmail}`,
      `organization:"${ids.orgName}"`,
      'type:ticket status:hold created>7days',
    ];
    await expectNoSeqScan(agentAuth, ...queries.map((q) => `/api/v2/search?query=${encodeURIComponent(q)}&per_page=25`));
  });
});

describe('free words in search', () => {
  it('find people through trigram indexes, not by reading every user', async () => {
    const { n } = await env.ctx.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    captured.length = 0;
    capturing = true;
    try {
      const res = await env.app.inject({ method: 'GET', url: '/api/v2/search?query=websocket&per_page=25', headers: { authorization: agentAuth } });
      expect(res.statusCode).toBe(200);
    } finally {
      capturing = false;
    }
    const [people] = captured.filter((q) => /^\s*select/i.test(q.text) && q.text.includes('from "users"'));
    const plan = nodes(await customPlan(people));
    console.log(`people search over ${n} users\n    ${plan.map(describeNode).join(', ')}`);
    expect(plan.some((p) => p['Node Type'] === 'Seq Scan')).toBe(false);
    expect(plan.filter((p) => p['Index Name']?.endsWith('_trgm_idx')).map((p) => p['Index Name'])).toEqual(['users_name_trgm_idx', 'users_email_trgm_idx']);
  });
});

describe('routing', () => {
  it("least_open counts each candidate agent's workload from an index alone", async () => {
    const regions = await env.ctx.db.selectFrom('regions').select('id').execute();
    captured.length = 0;
    capturing = true;
    let picked;
    try {
      picked = await pickAgent(env.ctx.db, { regionIds: regions.map((r) => r.id), groupId: null, strategy: 'least_open' });
    } finally {
      capturing = false;
    }
    expect(picked).not.toBeNull();
    const [pick] = captured.filter((q) => q.text.includes('"users"'));
    const plan = nodes(pick.prepared ? await genericPlan(pick) : await customPlan(pick));
    console.log(`routing pick\n    ${plan.map(describeNode).join(', ')}`);
    const onTickets = plan.filter((n) => n['Relation Name'] === 'tickets' || n['Index Name']?.startsWith('tickets_'));
    expect([...new Set(onTickets.map((n) => n['Index Name']).filter(Boolean))]).toEqual(['tickets_agent_workload_idx']);
    // Without the heap only with a current visibility map (see the count test above).
    const vm = (await explainer.query("SELECT relpages, relallvisible FROM pg_class WHERE relname = 'tickets'")).rows[0] as { relpages: number; relallvisible: number };
    if (vm.relallvisible >= 0.9 * vm.relpages) expect(onTickets.map(describeNode)).toEqual(['Index Only Scan on tickets using tickets_agent_workload_idx']);
  });
});
