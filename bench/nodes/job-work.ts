/**
 * Work that makes every kind of background job run on three nodes at once, through the balancer (so the
 * requests, and the jobs they enqueue, spread over all nodes):
 *
 * - SLA tickets: urgent requests by customers of Enterprise organizations, whose first-reply target is cut
 *   to 1 calendar minute for the run: a warning mail to the assignee at 75 % and a breach at 100 %, both
 *   from sla.breach-check jobs.
 * - Premier tickets: urgent requests by customers of Premier organizations: a page (paging.deliver),
 *   acknowledged twice at the same moment through two different nodes (one acknowledge must go out).
 * - All of them: "received" mail on creation, then solved with a public reply (solved mail, page resolve,
 *   satisfaction survey after CSAT_AFTER) and closed after AUTO_CLOSE_AFTER (tickets.auto-close, and the
 *   minute sweep racing it).
 *
 * The counting itself is in receivers.ts (mail, pages) and countTicketJobs below (closes, breaches, acks).
 */
import type pg from 'pg';
import { technicalFields, tokenFor, type Mixes, type Person } from './workload-mix.js';

export const SHORT_TIMERS = { AUTO_CLOSE_AFTER: '40s', CSAT_AFTER: '15s' };

export interface JobWork {
  slaTickets: number[];
  premierTickets: number[];
  pageIds: number[];
  /** Answers to the concurrent double acknowledgements: how many said "already acknowledged". */
  acks: { first: number; already: number; failed: number };
  failures: string[];
  restoreSla: () => Promise<void>;
}

async function api(base: string, auth: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: auth, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

/** Runs `task` over `items` on `lanes` concurrent lanes, collecting failures instead of stopping. */
async function lanes<T>(items: T[], count: number, failures: string[], task: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: count }, async () => {
      while (next < items.length) {
        const i = next++;
        await task(items[i], i).catch((e: Error) => failures.push(e.message));
      }
    }),
  );
}

async function waitFor(db: pg.Client, what: string, timeoutMs: number, done: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`${what}: not done within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Customers of organizations on `plan`, each with an API token. */
async function customersOf(db: pg.Client, plan: string, count: number): Promise<Person[]> {
  const { rows } = await db.query(
    `SELECT u.id::int, u.email FROM users u JOIN organizations o ON o.id = u.organization_id
     WHERE o.support_plan = $1 AND u.role = 'end-user' AND u.active ORDER BY u.id LIMIT $2`,
    [plan, count],
  );
  const people: Person[] = [];
  for (const u of rows) people.push(await tokenFor(db, u)); // one pg.Client: one query at a time
  return people;
}

export async function runJobWork(o: { db: pg.Client; balancer: string; nodes: string[]; mixes: Mixes; slaCount: number; premierCount: number; log: (m: string) => void }): Promise<JobWork> {
  const { db, mixes, balancer } = o;
  const failures: string[] = [];
  const agent = mixes.agent;
  // One calendar minute for Enterprise urgent first replies (restored at the end of the run).
  const old = await db.query(
    "SELECT m.id, m.target_minutes, m.business_hours FROM sla_policy_metrics m JOIN sla_policies p ON p.id = m.policy_id WHERE p.plan = 'enterprise' AND m.priority = 'urgent' AND m.metric = 'first_reply_time'",
  );
  if (!old.rows.length) throw new Error('No Enterprise urgent first-reply target to shorten: is this a seeded Sundial database?');
  await db.query('UPDATE sla_policy_metrics SET target_minutes = 1, business_hours = false WHERE id = ANY($1)', [old.rows.map((r) => r.id)]);
  const restoreSla = async () => {
    for (const r of old.rows) await db.query('UPDATE sla_policy_metrics SET target_minutes = $2, business_hours = $3 WHERE id = $1', [r.id, r.target_minutes, r.business_hours]);
  };

  const request = async (customer: Person, i: number, kind: string) => {
    const body = {
      request: {
        subject: `Nodes ${kind} ${i}: production is down`,
        priority: 'urgent',
        ticket_form_id: mixes.formId,
        custom_fields: technicalFields(mixes.fields, i),
        comment: { body: `Production is down since the upgrade (${kind} ${i}).` },
      },
    };
    return (await api(balancer, customer.auth, 'POST', '/api/v2/requests.json', body)).request.id as number;
  };
  const enterprise = await customersOf(db, 'enterprise', 10);
  const premier = await customersOf(db, 'premier', 10);
  const slaTickets: number[] = [];
  const premierTickets: number[] = [];
  await lanes(Array.from({ length: o.slaCount }, (_, i) => i), 4, failures, async (i) => void slaTickets.push(await request(enterprise[i % enterprise.length], i, 'sla')));
  await lanes(Array.from({ length: o.premierCount }, (_, i) => i), 4, failures, async (i) => void premierTickets.push(await request(premier[i % premier.length], i, 'premier')));
  const all = [...slaTickets, ...premierTickets];
  o.log(`  created ${slaTickets.length} Enterprise and ${premierTickets.length} Premier urgent requests as customers`);

  // The assignee receives the SLA warning; solving needs one too. Assigning is not a reply: the clock runs on.
  await lanes(all, 4, failures, (id) => api(balancer, agent.auth, 'PUT', `/api/v2/tickets/${id}.json`, { ticket: { assignee_id: agent.id } }));

  const pageIds = (await db.query('SELECT id::int FROM pages WHERE ticket_id = ANY($1) ORDER BY id', [premierTickets])).rows.map((r) => r.id as number);
  const acks = { first: 0, already: 0, failed: 0 };
  // Two agents' clicks at once, on two different nodes.
  await lanes(pageIds, 4, failures, async (id) => {
    const answers = await Promise.allSettled(o.nodes.slice(0, 2).map((node) => api(node, agent.auth, 'POST', `/api/v2/pages/${id}/acknowledge.json`, {})));
    for (const a of answers) {
      if (a.status === 'rejected') acks.failed++;
      else if (a.value.already_acknowledged) acks.already++;
      else acks.first++;
    }
  });
  o.log(`  ${pageIds.length} pages acknowledged twice at once on two nodes: ${acks.first} first, ${acks.already} "already", ${acks.failed} failed`);

  await waitFor(db, 'SLA breaches', 240_000, async () => {
    const { rows } = await db.query("SELECT count(DISTINCT ticket_id)::int AS n FROM ticket_metric_events WHERE ticket_id = ANY($1) AND type = 'breach' AND metric = 'first_reply_time'", [slaTickets]);
    return rows[0].n >= slaTickets.length;
  }).catch((e: Error) => failures.push(e.message));
  o.log('  first-reply breaches recorded; solving every ticket with a public reply');

  await lanes(all, 4, failures, (id) => api(balancer, agent.auth, 'PUT', `/api/v2/tickets/${id}.json`, { ticket: { status: 'solved', comment: { body: 'Fixed by the hot patch; closing.', public: true } } }));
  await waitFor(db, 'auto-close', 240_000, async () => {
    const { rows } = await db.query("SELECT count(*)::int AS n FROM tickets WHERE id = ANY($1) AND status = 'closed'", [all]);
    return rows[0].n >= all.length;
  }).catch((e: Error) => failures.push(e.message));
  o.log('  every ticket closed by the auto-close job');
  return { slaTickets, premierTickets, pageIds, acks, failures, restoreSla };
}

export interface PerTicketCount {
  what: string;
  tickets: number;
  exactlyOnce: number;
  none: number;
  twiceOrMore: number;
}

/** Rows per ticket (or page) that must be exactly one each: closes, breaches, warnings, acknowledgements. */
export async function countTicketJobs(db: pg.Client, w: JobWork): Promise<PerTicketCount[]> {
  const per = async (what: string, ids: number[], countSql: string): Promise<PerTicketCount> => {
    const { rows } = await db.query<{ n: number }>(`SELECT (${countSql})::int AS n FROM unnest($1::bigint[]) AS x(id)`, [ids]);
    return { what, tickets: ids.length, exactlyOnce: rows.filter((r) => r.n === 1).length, none: rows.filter((r) => r.n === 0).length, twiceOrMore: rows.filter((r) => r.n > 1).length };
  };
  const all = [...w.slaTickets, ...w.premierTickets];
  return [
    await per('auto-close audits per ticket', all, "SELECT count(*) FROM ticket_audits a WHERE a.ticket_id = x.id AND a.metadata->>'rule' = 'auto-close'"),
    await per('first-reply breach records per SLA ticket', w.slaTickets, "SELECT count(*) FROM ticket_metric_events e WHERE e.ticket_id = x.id AND e.type = 'breach' AND e.metric = 'first_reply_time'"),
    await per('first-reply warnings per SLA ticket', w.slaTickets, "SELECT count(*) FROM sla_warnings s WHERE s.ticket_id = x.id AND s.metric = 'first_reply_time'"),
    await per('pages per Premier ticket', w.premierTickets, 'SELECT count(*) FROM pages p WHERE p.ticket_id = x.id'),
    await per('acknowledged audit events per page', w.pageIds, `SELECT count(*) FROM pages p JOIN ticket_audits a ON a.ticket_id = p.ticket_id JOIN ticket_audit_events e ON e.audit_id = a.id
       WHERE p.id = x.id AND a.metadata->>'page_id' = x.id::text AND e.type = 'Page' AND e.field_name = 'acknowledged'`),
  ];
}
