import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { checkBreach } from '../../src/modules/sla/engine.js';
import { FactStore } from '../../src/modules/reports/fact-store.js';
import type { GroupBy } from '../../src/modules/reports/scope.js';
import { summarize } from '../../src/modules/reports/summary.js';
import { computeTicketFact, factDifferences, storedTicketFact } from '../../src/modules/reports/facts.js';
import { recomputeFacts } from '../../src/modules/reports/recompute-facts.js';
import { createAgent, createCustomer, createOrganization, formsOf, technicalRequest, type Actor } from '../factories.js';
import { startTestApp, type TestEnv } from '../harness.js';

let env: TestEnv;
let agent: Actor & { token: string };
beforeAll(async () => {
  env = await startTestApp();
  agent = await createAgent(env, { name: 'Report Agent', groups: ['technical'] });
});
afterAll(() => env?.close());

type Customer = Actor;
type Org = Awaited<ReturnType<typeof createOrganization>>;

/** A Technical Support ticket an agent files for the customer, assigned to `assignee` (never queued for routing). */
async function fileTicket(customer: Customer, priority: string, assignee: Actor = agent, extra: Record<string, unknown> = {}): Promise<number> {
  const { request } = await technicalRequest(agent.api, { priority });
  const res = await agent.api.post('/api/v2/tickets', { ticket: { ...request, requester_id: customer.user.id, assignee_id: assignee.user.id, ...extra } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.ticket.id;
}
const reply = async (id: number, changes: Record<string, unknown> = {}) =>
  expect((await agent.api.put(`/api/v2/tickets/${id}`, { ticket: { comment: { body: 'An answer', public: true }, ...changes } })).status).toBe(200);
const setStatus = async (id: number, status: string) => expect((await agent.api.put(`/api/v2/tickets/${id}`, { ticket: { status } })).status).toBe(200);
const customerReply = async (customer: Customer, id: number) => expect((await customer.api.put(`/api/v2/requests/${id}`, { request: { comment: { body: 'More details' } } })).status).toBe(200);
const rate = async (customer: Customer, id: number, score: 'good' | 'bad', comment: string | null) =>
  expect((await customer.api.post(`/api/v2/tickets/${id}/satisfaction_rating`, { satisfaction_rating: { score, comment } })).status).toBe(200);

/**
 * Moves a ticket's whole history into the past: audit k happened at times[k] (the steps above each
 * write exactly one audit), the ticket row and rating follow, and the breach job replays it, writing
 * ledger and facts through the live hooks.
 */
async function placeHistory(id: number, times: string[], o: { solvedAt?: string; ratedAt?: string } = {}) {
  const db = env.ctx.db;
  const audits = await db.selectFrom('ticket_audits').select(['id', 'via_channel']).where('ticket_id', '=', id).orderBy('id').execute();
  // Audits written by rules (a Premier page) happen with the step before them.
  const steps = audits.filter((a, k) => k === 0 || a.via_channel !== 'rule');
  expect(steps.length).toBe(times.length);
  let k = -1;
  for (const a of audits) {
    if (steps.includes(a)) k++;
    await db.updateTable('ticket_audits').set({ created_at: new Date(times[k]) }).where('id', '=', a.id).execute();
  }
  await db.updateTable('tickets').set({ created_at: new Date(times[0]), ...(o.solvedAt ? { solved_at: new Date(o.solvedAt) } : {}) }).where('id', '=', id).execute();
  if (o.ratedAt) await db.updateTable('satisfaction_ratings').set({ rated_at: new Date(o.ratedAt) }).where('ticket_id', '=', id).execute();
  await db.deleteFrom('ticket_metric_events').where('ticket_id', '=', id).execute();
  await checkBreach(env.ctx, id);
}

const summary = async (params: Record<string, string | number>) => {
  const res = await agent.api.get(`/api/v2/reports/summary?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.report;
};
const drill = async (params: Record<string, string | number>) => {
  const res = await agent.api.get(`/api/v2/reports/tickets?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { tickets: { id: number }[]; count: number; next_page: string | null };
};

/** Figures a drill-down metric lists the tickets of. */
const FIGURE_OF: Record<string, (row: any) => number> = {
  created: (r) => r.tickets_created,
  solved: (r) => r.tickets_solved,
  first_reply: (r) => r.first_reply.count,
  first_reply_achieved: (r) => r.first_reply.achieved,
  first_reply_breached: (r) => r.first_reply.breached,
  first_reply_over_8h: (r) => r.first_reply.over_8h,
  next_reply: (r) => r.next_reply.tickets,
  next_reply_breached: (r) => r.next_reply.tickets_breached,
  regular_updates_missed: (r) => r.regular_updates.tickets_missed,
  requester_wait_over_7d: (r) => r.requester_wait.over_7d,
  requester_wait_over_14d: (r) => r.requester_wait.over_14d,
  resolution_over_7d: (r) => r.resolution.over_7d,
  resolution_over_14d: (r) => r.resolution.over_14d,
  csat_good: (r) => r.csat.good,
  csat_bad: (r) => r.csat.bad,
};

describe('reports on hand-built histories (Professional, business hours 09–17 UTC)', () => {
  let org: Org;
  let customer: Customer;
  const t: Record<string, number> = {};
  const march = { from: '2025-03-01', to: '2025-03-31' };

  beforeAll(async () => {
    org = await createOrganization(env, { plan: 'professional', timeZone: 'UTC' });
    customer = await createCustomer(env, org);

    // T1 normal: created Mon 16:00; reply and pending Tue 10:00 (first reply 1 + 1 business hours);
    // customer answers Thu 12:00 (open again), agent Thu 15:00 (next reply 3 h); solved Fri 10:00.
    t.t1 = await fileTicket(customer, 'normal');
    await reply(t.t1, { status: 'pending' });
    await customerReply(customer, t.t1);
    await reply(t.t1);
    await setStatus(t.t1, 'solved');
    await placeHistory(t.t1, ['2025-03-03T16:00:00Z', '2025-03-04T10:00:00Z', '2025-03-06T12:00:00Z', '2025-03-06T15:00:00Z', '2025-03-07T10:00:00Z'], { solvedAt: '2025-03-07T10:00:00Z' });

    // T2 normal: created Tue 09:00, first reply Thu 10:00 (8 + 8 + 1 business hours: breached), still open.
    t.t2 = await fileTicket(customer, 'normal');
    await reply(t.t2);
    await placeHistory(t.t2, ['2025-03-04T09:00:00Z', '2025-03-06T10:00:00Z']);

    // T3 urgent: created Saturday 10:00, answered and solved Monday 09:30 (30 business minutes), rated good.
    t.t3 = await fileTicket(customer, 'urgent');
    await reply(t.t3, { status: 'solved' });
    await rate(customer, t.t3, 'good', 'Quick and precise');
    await placeHistory(t.t3, ['2025-03-08T10:00:00Z', '2025-03-10T09:30:00Z', '2025-03-11T08:00:00Z'], { solvedAt: '2025-03-10T09:30:00Z', ratedAt: '2025-03-11T08:00:00Z' });

    // T4 low: created Wed 12:00, never answered (2 business days: breached Fri 12:00), solved 14 days 1 hour later, rated bad.
    t.t4 = await fileTicket(customer, 'low');
    await setStatus(t.t4, 'solved');
    await rate(customer, t.t4, 'bad', 'Too slow');
    await placeHistory(t.t4, ['2025-03-05T12:00:00Z', '2025-03-19T13:00:00Z', '2025-03-20T09:00:00Z'], { solvedAt: '2025-03-19T13:00:00Z', ratedAt: '2025-03-20T09:00:00Z' });
  });

  it('computes every figure of the period', async () => {
    const report = await summary({ ...march, organization_id: org.id });
    expect(report).toMatchObject({ from: '2025-03-01', to: '2025-03-31', group_by: 'none', rows: [], filters: { organization_id: org.id } });
    expect(report.units).toMatchObject({ first_reply: 'business_minutes', resolution: 'calendar_minutes' });
    expect(report.totals).toEqual({
      key: null,
      label: 'Total',
      tickets_created: 4,
      tickets_solved: 3,
      // answered: T1 120, T2 1020, T3 30; targets: T1, T3 achieved, T2, T4 breached
      first_reply: { count: 3, median_minutes: 120, p90_minutes: 840, within_sla_pct: 50, with_target: 4, achieved: 2, breached: 2, over_8h: 1, over_8h_pct: 33.3 },
      next_reply: { count: 1, median_minutes: 180, p90_minutes: 180, within_sla_pct: 100, with_target: 1, achieved: 1, breached: 0, tickets: 1, tickets_breached: 0 },
      // T1's update came in time (the pending days do not count); T2 has waited for one since March 2025
      regular_updates: { count: 2, achieved: 1, missed: 1, achieved_pct: 50, tickets_missed: 1 },
      // T1 waited 18 h + 22 h (not while pending), T3 47.5 h, T4 14 days 1 hour
      requester_wait: { count: 3, median_minutes: 2850, p90_minutes: 16746, over_7d: 1, over_14d: 1, over_7d_pct: 33.3, over_14d_pct: 33.3 },
      resolution: { count: 3, median_minutes: 5400, p90_minutes: 17256, over_7d: 1, over_14d: 1, over_7d_pct: 33.3, over_14d_pct: 33.3 },
      csat: { good: 1, bad: 1, responses: 2, score_pct: 50 },
    });
  });

  it('attributes by created, solved and rated day, and splits by priority, day and week', async () => {
    const byPriority = await summary({ ...march, organization_id: org.id, group_by: 'priority' });
    expect(byPriority.rows.map((r: any) => [r.key, r.label, r.tickets_created, r.tickets_solved])).toEqual([
      ['urgent', 'Urgent', 1, 1],
      ['normal', 'Normal', 2, 1],
      ['low', 'Low', 1, 1],
    ]);
    const normal = byPriority.rows[1];
    expect(normal.first_reply).toMatchObject({ count: 2, median_minutes: 570, within_sla_pct: 50 });
    expect(normal.resolution).toMatchObject({ count: 1, median_minutes: 5400 });

    const byDay = await summary({ ...march, organization_id: org.id, group_by: 'day' });
    expect(byDay.rows).toHaveLength(31);
    const day = (d: string) => byDay.rows.find((r: any) => r.key === d);
    expect(day('2025-03-03')).toMatchObject({ label: '2025-03-03', tickets_created: 1, tickets_solved: 0 });
    expect(day('2025-03-07')).toMatchObject({ tickets_created: 0, tickets_solved: 1, resolution: { median_minutes: 5400 } });
    expect(day('2025-03-20').csat).toEqual({ good: 0, bad: 1, responses: 1, score_pct: 0 });
    expect(day('2025-03-15').tickets_created).toBe(0);

    const byWeek = await summary({ ...march, organization_id: org.id, group_by: 'week' });
    expect(byWeek.rows.map((r: any) => [r.key, r.tickets_created, r.tickets_solved])).toEqual([
      ['2025-02-24', 0, 0],
      ['2025-03-03', 4, 1],
      ['2025-03-10', 0, 1],
      ['2025-03-17', 0, 1],
      ['2025-03-24', 0, 0],
      ['2025-03-31', 0, 0],
    ]);
    expect(byWeek.rows[1].label).toBe('Week of 2025-03-03');

    // The period bounds are inclusive UTC days: T1 (created 03-03) alone in 03-03..03-03.
    expect((await summary({ from: '2025-03-03', to: '2025-03-03', organization_id: org.id })).totals.tickets_created).toBe(1);
  });

  it('filters by every dimension', async () => {
    const created = async (f: Record<string, string | number>) => (await summary({ ...march, organization_id: org.id, ...f })).totals.tickets_created;
    expect(await created({ priority: 'normal' })).toBe(2);
    expect(await created({ plan: 'professional' })).toBe(4);
    expect(await created({ plan: 'premier' })).toBe(0);
    expect(await created({ form: 'technical' })).toBe(4);
    expect(await created({ form: 'sales' })).toBe(0);
    const forms = await formsOf(agent.api);
    expect(await created({ form: forms.technical.id })).toBe(4);
    expect(await created({ category: 'notifications_status' })).toBe(4);
    expect(await created({ category: 'mobile' })).toBe(0);
    expect(await created({ assignee_id: agent.user.id })).toBe(4);
    const group = (await env.ctx.db.selectFrom('tickets').select('group_id').where('id', '=', t.t1).executeTakeFirstOrThrow()).group_id!;
    expect(await created({ group_id: group })).toBe(4);
    expect(await created({ group_id: group + 1000 })).toBe(0);
  });

  it('lists the tickets behind every figure, their number equal to the figure', async () => {
    for (const groupBy of ['none', 'priority', 'day'] as GroupBy[]) {
      const report = await summary({ ...march, organization_id: org.id, group_by: groupBy });
      const rows = groupBy === 'none' ? [report.totals] : report.rows.filter((r: any) => r.tickets_created || r.tickets_solved || r.csat.responses);
      for (const row of rows) {
        for (const [metric, figure] of Object.entries(FIGURE_OF)) {
          const params: Record<string, string | number> = { ...march, organization_id: org.id, metric, limit: 1000 };
          if (groupBy !== 'none') Object.assign(params, { group_by: groupBy, key: row.key ?? 'null' });
          const page = await drill(params);
          expect(page.count, `${metric} ${groupBy} ${row.key}`).toBe(figure(row));
          expect(page.tickets).toHaveLength(page.count);
        }
      }
    }
    expect((await drill({ ...march, organization_id: org.id, metric: 'first_reply_breached' })).tickets.map((x) => x.id)).toEqual([t.t4, t.t2]);
    const solvedFriday = await drill({ ...march, organization_id: org.id, metric: 'solved', group_by: 'day', key: '2025-03-07' });
    expect(solvedFriday.tickets).toEqual([
      expect.objectContaining({ id: t.t1, status: 'solved', priority: 'normal', organization_name: org.name, assignee_name: 'Report Agent', created_at: '2025-03-03T16:00:00Z', solved_at: '2025-03-07T10:00:00Z', first_reply_minutes: 120, resolution_minutes: 5400 }),
    ]);
  });

  it('pages drill-downs with a cursor', async () => {
    const seen: number[] = [];
    let page = await drill({ ...march, organization_id: org.id, metric: 'created', limit: 3 });
    expect(page.count).toBe(4);
    seen.push(...page.tickets.map((x) => x.id));
    expect(page.next_page).toContain('cursor=');
    const next = new URL(page.next_page!);
    page = (await agent.api.get(`${next.pathname}${next.search}`)).body;
    seen.push(...page.tickets.map((x) => x.id));
    expect(page.next_page).toBeNull();
    expect(seen).toEqual([t.t4, t.t3, t.t2, t.t1].sort((a, b) => b - a));
  });

  it('reports SLA achievement per metric × priority × plan', async () => {
    const res = await agent.api.get(`/api/v2/reports/sla_achievement?from=2025-03-01&to=2025-03-31&organization_id=${org.id}`);
    const cell = (metric: string, priority: string, plan: string) => res.body.sla_achievement.find((c: any) => c.metric === metric && c.priority === priority && c.plan === plan);
    expect(res.body.sla_achievement).toHaveLength(3 * 4 * 4);
    expect(cell('first_reply_time', 'normal', 'professional')).toMatchObject({ measured: 2, achieved: 1, achieved_pct: 50 });
    expect(cell('first_reply_time', 'urgent', 'professional')).toMatchObject({ measured: 1, achieved: 1, achieved_pct: 100 });
    expect(cell('first_reply_time', 'low', 'professional')).toMatchObject({ measured: 1, achieved: 0, achieved_pct: 0 });
    expect(cell('next_reply_time', 'normal', 'professional')).toMatchObject({ measured: 1, achieved: 1 });
    expect(cell('pausable_update_time', 'normal', 'professional')).toMatchObject({ measured: 2, achieved: 1, achieved_pct: 50 });
    expect(cell('first_reply_time', 'normal', 'premier')).toMatchObject({ measured: 0, achieved_pct: null });
  });

  it('reports satisfaction with its comments, newest first', async () => {
    const res = await agent.api.get(`/api/v2/reports/csat?from=2025-03-01&to=2025-03-31&organization_id=${org.id}`);
    expect(res.body.csat).toMatchObject({ good: 1, bad: 1, responses: 2, score_pct: 50 });
    expect(res.body.csat.comments).toEqual([
      { ticket_id: t.t4, score: 'bad', comment: 'Too slow', rated_at: '2025-03-20T09:00:00Z' },
      { ticket_id: t.t3, score: 'good', comment: 'Quick and precise', rated_at: '2025-03-11T08:00:00Z' },
    ]);
  });

  it('shows the backlog by status and age, and drills into a cell', async () => {
    const res = await agent.api.get(`/api/v2/reports/backlog?organization_id=${org.id}`);
    expect(res.body.backlog).toHaveLength(20);
    expect(res.body.backlog.filter((c: any) => c.count)).toEqual([{ status: 'open', age_bucket: '14d+', count: 1 }]);
    const cell = await drill({ organization_id: org.id, metric: 'backlog', status: 'open', age_bucket: '14d+' });
    expect(cell).toMatchObject({ count: 1, tickets: [expect.objectContaining({ id: t.t2 })] });
  });

  it('exports every report as CSV with a header row', async () => {
    const res = await agent.api.get(`/api/v2/reports/summary?from=2025-03-01&to=2025-03-31&organization_id=${org.id}&group_by=priority&format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="sundial-summary-by-priority-2025-03-01-to-2025-03-31.csv"');
    const lines = String(res.body).trim().split('\r\n');
    const header = lines[0].split(',');
    expect(header.slice(0, 8)).toEqual(['key', 'label', 'tickets_created', 'tickets_solved', 'first_reply_count', 'first_reply_median_minutes', 'first_reply_p90_minutes', 'first_reply_within_sla_pct']);
    expect(lines).toHaveLength(1 + 3 + 1);
    expect(lines[2].split(',').slice(0, 6)).toEqual(['normal', 'Normal', '2', '1', '2', '570']);
    expect(lines[4].split(',').slice(0, 4)).toEqual(['total', 'Total', '4', '3']);
    for (const path of ['sla_achievement', 'backlog', 'on_hold', 'csat', 'ticket_score', 'tickets?metric=created']) {
      const csv = await agent.api.get(`/api/v2/reports/${path}${path.includes('?') ? '&' : '?'}from=2025-03-01&to=2025-03-31&organization_id=${org.id}&format=csv`);
      expect(csv.status, path).toBe(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="sundial-[a-z-]+.*\.csv"$/);
      expect(String(csv.body).split('\r\n')[0].length).toBeGreaterThan(0);
    }
    const comments = await agent.api.get(`/api/v2/reports/csat?from=2025-03-01&to=2025-03-31&organization_id=${org.id}&format=csv`);
    expect(String(comments.body)).toBe(`ticket_id,score,comment,rated_at\r\n${t.t4},bad,Too slow,2025-03-20T09:00:00Z\r\n${t.t3},good,Quick and precise,2025-03-11T08:00:00Z\r\n`);
    const tickets = await agent.api.get(`/api/v2/reports/tickets?metric=created&from=2025-03-01&to=2025-03-31&organization_id=${org.id}&format=csv`);
    expect(String(tickets.body).trim().split('\r\n')).toHaveLength(5);
  });

  it('stops counting a deleted ticket', async () => {
    const extra = await fileTicket(customer, 'high');
    await placeHistory(extra, ['2025-03-12T10:00:00Z']);
    expect((await summary({ ...march, organization_id: org.id })).totals.tickets_created).toBe(5);
    expect((await agent.api.delete(`/api/v2/tickets/${extra}`)).status).toBe(204);
    expect((await summary({ ...march, organization_id: org.id })).totals.tickets_created).toBe(4);
  });
});

describe('business hours with Premier weekend cover', () => {
  it('counts a Saturday answer to a Premier urgent request in business minutes and within its calendar target', async () => {
    const org = await createOrganization(env, { plan: 'premier', timeZone: 'UTC' });
    const customer = await createCustomer(env, org);
    const id = await fileTicket(customer, 'urgent');
    await reply(id);
    // Saturday 2025-03-08 18:00 UTC is 10:00 in Los Angeles, inside the Friday 17:00 → Monday 09:00 cover.
    await placeHistory(id, ['2025-03-08T18:00:00Z', '2025-03-08T18:45:00Z']);
    const report = await summary({ from: '2025-03-08', to: '2025-03-08', organization_id: org.id });
    expect(report.totals.first_reply).toMatchObject({ count: 1, median_minutes: 45, within_sla_pct: 100 });
    const fact = await storedTicketFact(env.ctx.db, id);
    expect(fact).toMatchObject({ plan: 'premier', first_reply_minutes: 45, first_reply_calendar_minutes: 45, first_reply_sla: 'achieved' });
  });
});

describe('regions, agents and organizations', () => {
  it('groups by the assignee region, the agent and the organization', async () => {
    const region = await env.ctx.db.insertInto('regions').values({ name: `Region ${Date.now()}`, shift_start: 0, shift_end: 480, updated_at: new Date() }).returning('id').executeTakeFirstOrThrow();
    const emea = await createAgent(env, { name: 'Region Agent', groups: ['technical'] });
    await env.ctx.db.updateTable('users').set({ region_id: region.id }).where('id', '=', emea.user.id).execute();
    const org = await createOrganization(env, { plan: 'enterprise', timeZone: 'UTC' });
    const customer = await createCustomer(env, org);
    const a = await fileTicket(customer, 'normal', emea);
    const b = await fileTicket(customer, 'high', emea);
    const c = await fileTicket(customer, 'high');
    for (const [k, id] of [a, b, c].entries()) await placeHistory(id, [`2025-04-0${k + 1}T10:00:00Z`]);
    const period = { from: '2025-04-01', to: '2025-04-30', organization_id: org.id };
    const byRegion = await summary({ ...period, group_by: 'region' });
    expect(byRegion.rows.map((r: any) => [r.key, r.label, r.tickets_created])).toEqual([
      [region.id, expect.stringMatching(/^Region /), 2],
      [null, 'No region', 1],
    ]);
    const byAgent = await summary({ ...period, group_by: 'agent' });
    expect(byAgent.rows.map((r: any) => [r.key, r.label, r.tickets_created])).toEqual([
      [emea.user.id, 'Region Agent', 2],
      [agent.user.id, 'Report Agent', 1],
    ]);
    const byOrg = await summary({ ...period, group_by: 'organization' });
    expect(byOrg.rows.map((r: any) => [r.key, r.label, r.tickets_created])).toEqual([[org.id, org.name, 3]]);
    expect((await summary({ ...period, region_id: region.id })).totals.tickets_created).toBe(2);
    const drilled = await drill({ ...period, metric: 'created', group_by: 'region', key: 'null' });
    expect(drilled.tickets.map((x) => x.id)).toEqual([c]);
    const byPlan = await summary({ ...period, group_by: 'plan' });
    expect(byPlan.rows.map((r: any) => [r.key, r.label])).toEqual([['enterprise', 'Enterprise']]);
    const byForm = await summary({ ...period, group_by: 'form' });
    expect(byForm.rows.map((r: any) => [r.key, r.label])).toEqual([['technical', 'Technical Support']]);
    const byCategory = await summary({ ...period, group_by: 'category' });
    expect(byCategory.rows.map((r: any) => [r.key, r.label])).toEqual([['notifications_status', 'Notifications & Status']]);
  });
});

describe('on hold and ticket score', () => {
  it('counts on-hold tickets by escalation stage', async () => {
    const org = await createOrganization(env, { plan: 'enterprise', timeZone: 'UTC' });
    const customer = await createCustomer(env, org);
    const escalated = await fileTicket(customer, 'high');
    const waiting = await fileTicket(customer, 'normal');
    const res = await agent.api.post(`/api/v2/tickets/${escalated}/escalations`, { escalation: { classification: 'bug', summary: 'Crash on login' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    await setStatus(escalated, 'hold');
    await setStatus(waiting, 'hold');
    const onHold = (await agent.api.get(`/api/v2/reports/on_hold?organization_id=${org.id}`)).body.on_hold;
    expect(onHold.find((s: any) => s.stage === 'escalated')).toMatchObject({ count: 1, oldest_days: 0 });
    expect(onHold.find((s: any) => s.stage === 'no_escalation')).toMatchObject({ count: 1 });
    expect(onHold.find((s: any) => s.stage === 'fix_in_production')).toEqual({ stage: 'fix_in_production', count: 0, oldest_days: null });
  });

  it('scores organizations by their tickets of the past 90 days (spec §13)', async () => {
    const none = await createOrganization(env, { plan: 'professional' });
    const three = await createOrganization(env, { plan: 'premier' });
    const customer = await createCustomer(env, three);
    for (let k = 0; k < 3; k++) await fileTicket(customer, 'low');
    const scores = (await agent.api.get('/api/v2/reports/ticket_score')).body.ticket_scores;
    expect(scores.find((s: any) => s.organization_id === none.id)).toEqual({ organization_id: none.id, organization_name: none.name, plan: 'professional', tickets_90d: 0, health_pct: 50, score: 12.5 });
    expect(scores.find((s: any) => s.organization_id === three.id)).toMatchObject({ tickets_90d: 3, health_pct: 75, score: 18.75 });
    expect((await agent.api.get(`/api/v2/reports/ticket_score?plan=premier&organization_id=${three.id}`)).body.ticket_scores).toHaveLength(1);
  });
});

describe('access and parameters', () => {
  it('is for agents only', async () => {
    const customer = await createCustomer(env, await createOrganization(env));
    for (const path of ['summary', 'sla_achievement', 'backlog', 'on_hold', 'csat', 'ticket_score', 'tickets?metric=created']) {
      expect((await customer.api.get(`/api/v2/reports/${path}`)).status, path).toBe(403);
    }
    const { Api } = await import('../api.js');
    expect((await new Api(env.app).get('/api/v2/reports/summary')).status).toBe(401);
  });

  it('answers bad parameters with 400 or 422 naming them', async () => {
    const bad = async (query: string, status: number, param: string) => {
      const res = await agent.api.get(`/api/v2/reports/${query}`);
      expect(res.status, query).toBe(status);
      expect(res.body.description).toContain(param);
      return res.body;
    };
    const body = await bad('summary?from=2025-02-30&group_by=month&plan=gold', 400, 'from');
    expect(Object.keys(body.details).sort()).toEqual(['from', 'group_by', 'plan']);
    await bad('summary?to=yesterday', 400, 'to');
    await bad('summary?from=2025-03-10&to=2025-03-01', 422, 'from');
    await bad('summary?from=2015-01-01&to=2025-01-01', 422, 'at most');
    await bad('summary?assignee_id=abc', 400, 'assignee_id');
    await bad('summary?form=billing', 400, 'form');
    await bad('summary?form=999999', 422, 'form');
    await bad('summary?format=xml', 400, 'format');
    await bad('tickets', 400, 'metric');
    await bad('tickets?metric=everything', 400, 'metric');
    await bad('tickets?metric=created&key=normal', 400, 'key');
    await bad('tickets?metric=created&group_by=priority&key=critical', 422, 'critical');
    await bad('tickets?metric=created&cursor=%25%25', 400, 'cursor');
    await bad('tickets?metric=created&limit=5000', 400, 'limit');
    await bad('tickets?metric=created&status=open', 400, 'status');
  });

  it('defaults to the last 30 days', async () => {
    const report = await summary({});
    const today = new Date().toISOString().slice(0, 10);
    expect(report.to).toBe(today);
    expect(Date.parse(report.to) - Date.parse(report.from)).toBe(29 * 86_400_000);
  });
});

describe('incremental facts', () => {
  it('equal a full recomputation after random ticket lives, and so do the aggregates', async () => {
    let seed = Number(process.env.REPORTS_SEED ?? 7);
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)];
    const forms = await formsOf(agent.api);
    const category = forms.field.technical('Category');
    const second = await createAgent(env, { groups: ['technical'] });
    const orgs = [await createOrganization(env, { plan: 'enterprise', timeZone: 'Europe/Berlin' }), await createOrganization(env, { plan: 'premier', timeZone: 'Asia/Tokyo' })];
    const customers = [await createCustomer(env, orgs[0]), await createCustomer(env, orgs[1])];
    const ids: number[] = [];
    const status = new Map<number, string>();
    for (let n = 0; n < 8; n++) {
      const k = n % 2;
      const id = await fileTicket(customers[k], pick(['urgent', 'high', 'normal', 'low']));
      ids.push(id);
      status.set(id, 'open');
      for (let step = 0; step < 10; step++) {
        const r = rnd();
        const s = status.get(id)!;
        let res;
        if (s === 'deleted') break;
        if (s === 'solved' && r < 0.3) {
          res = await customers[k].api.post(`/api/v2/tickets/${id}/satisfaction_rating`, { satisfaction_rating: { score: pick(['good', 'bad']), comment: rnd() < 0.5 ? 'thanks' : null } });
        } else if (r < 0.2) res = await customers[k].api.put(`/api/v2/requests/${id}`, { request: { comment: { body: `customer ${step}` } } });
        else if (r < 0.4) res = await agent.api.put(`/api/v2/tickets/${id}`, { ticket: { comment: { body: `reply ${step}`, public: true }, status: pick(['pending', 'open', 'hold']) } });
        else if (r < 0.48) res = await agent.api.put(`/api/v2/tickets/${id}`, { ticket: { comment: { body: `note ${step}`, public: false } } });
        else if (r < 0.58) res = await agent.api.put(`/api/v2/tickets/${id}`, { ticket: { priority: pick(['urgent', 'high', 'normal', 'low']) } });
        else if (r < 0.66) res = await agent.api.put(`/api/v2/tickets/${id}`, { ticket: { assignee_id: pick([agent.user.id, second.user.id]) } });
        else if (r < 0.72) res = await agent.api.put(`/api/v2/tickets/${id}`, { ticket: { custom_fields: [{ id: category.id, value: pick(['mobile', 'database', 'search']) }] } });
        else if (r < 0.86) res = await agent.api.put(`/api/v2/tickets/${id}`, { ticket: { status: 'solved' } });
        else if (r < 0.96) res = await agent.api.put(`/api/v2/tickets/${id}`, { ticket: { status: pick(['open', 'pending']) } });
        else {
          res = await agent.api.delete(`/api/v2/tickets/${id}`);
          status.set(id, 'deleted');
          continue;
        }
        if (res.status === 200) status.set(id, res.body.ticket?.status ?? status.get(id));
        // Read the reports now and then, so the in-memory copy follows the writes incrementally.
        if (step % 4 === 0) await summary({ group_by: 'priority' });
      }
    }
    for (const id of ids) {
      const stored = await storedTicketFact(env.ctx.db, id);
      const replayed = await computeTicketFact(env.ctx.db, id);
      expect(stored, `ticket ${id}`).not.toBeNull();
      expect(factDifferences(replayed!, stored!), `ticket ${id}`).toEqual([]);
    }
    const report = await recomputeFacts(env.ctx.db, { ticketIds: ids });
    expect(report).toMatchObject({ tickets: ids.length, matching: ids.length, rebuilt: 0, differences: {} });

    // The API's aggregates (kept incrementally) equal those of a copy loaded from scratch.
    const fresh = new FactStore(env.ctx.db);
    await fresh.sync();
    const today = new Date().toISOString().slice(0, 10);
    for (const groupBy of ['none', 'priority', 'agent', 'category', 'day'] as GroupBy[]) {
      const api = await summary({ group_by: groupBy, from: today, to: today });
      const scope = { from: Date.parse(today), to: Date.parse(today) + 86_400_000, filters: {}, regionOf: new Map<number, number>() };
      const direct = summarize(fresh, scope, groupBy);
      expect(api.totals).toMatchObject(direct.totals);
      expect(api.rows.map((r: any) => r.tickets_created).sort()).toEqual(direct.groups.map((g) => g.figures.tickets_created).sort());
    }
  }, 120_000);
});

describe('ids beyond 32 bits (imports keep their source ids)', () => {
  it('reports a ticket, agent, organization, group and rating of such ids exactly, followed incrementally and loaded afresh', async () => {
    const db = env.ctx.db;
    const org = await createOrganization(env, { plan: 'enterprise', timeZone: 'UTC' });
    const source = await fileTicket(await createCustomer(env, org), 'high');
    const june = { from: '2024-06-01', to: '2024-06-30' };
    expect((await summary(june)).totals.tickets_created).toBe(0);
    // A copy of the ticket under a far id, with facts naming far ids (facts have no foreign keys but the ticket).
    const big = { ticket: 5_000_000_007, agent: 6_000_000_011, organization: 7_000_000_013, group: 8_000_000_017, rating: 9_000_000_019 };
    await sql`INSERT INTO tickets SELECT (jsonb_populate_record(NULL::tickets, to_jsonb(t) || jsonb_build_object('id', ${big.ticket}::bigint))).* FROM tickets t WHERE id = ${source}`.execute(db);
    const overrides = sql`jsonb_build_object('ticket_id', ${big.ticket}::bigint, 'created_at', '2024-06-10T10:00:00Z', 'solved_at', '2024-06-11T10:00:00Z', 'status', 'closed',
      'assignee_id', ${big.agent}::bigint, 'organization_id', ${big.organization}::bigint, 'group_id', ${big.group}::bigint, 'resolution_minutes', 1440,
      'csat_score', 'good', 'csat_rated_at', '2024-06-12T10:00:00Z', 'csat_rating_id', ${big.rating}::bigint, 'csat_has_comment', true, 'txid', pg_current_xact_id()::text)`;
    await sql`INSERT INTO ticket_facts SELECT (jsonb_populate_record(NULL::ticket_facts, to_jsonb(f) || ${overrides})).* FROM ticket_facts f WHERE ticket_id = ${source}`.execute(db);

    // The API's copy, already loaded, takes the row incrementally.
    for (const [groupBy, key] of [['agent', big.agent], ['organization', big.organization], ['group', big.group]] as const) {
      const report = await summary({ ...june, group_by: groupBy });
      expect(report.rows.map((r: any) => [r.key, r.tickets_created, r.tickets_solved, r.csat.good])).toEqual([[key, 1, 1, 1]]);
      expect((await drill({ ...june, metric: 'solved', group_by: groupBy, key })).tickets.map((t) => t.id)).toEqual([big.ticket]);
    }
    expect((await summary({ ...june, organization_id: big.organization })).totals.tickets_created).toBe(1);
    expect((await summary({ ...june, assignee_id: big.agent, group_id: big.group })).totals.resolution.median_minutes).toBe(1440);
    expect((await summary({ ...june, organization_id: big.organization - 1 })).totals.tickets_created).toBe(0);
    const csat = await agent.api.get(`/api/v2/reports/csat?from=${june.from}&to=${june.to}`);
    expect(csat.body.csat).toMatchObject({ good: 1, comments_total: 1 });

    // A copy loaded from scratch holds the same ids.
    const fresh = new FactStore(db);
    await fresh.sync();
    const slot = fresh.slotOf(big.ticket);
    expect(slot).toBeGreaterThanOrEqual(0);
    expect([fresh.ticketId[slot], fresh.assigneeOf(slot), fresh.organizationOf(slot), fresh.groupOf(slot), fresh.csatRatingOf(slot)]).toEqual([big.ticket, big.agent, big.organization, big.group, big.rating]);
    const other = fresh.slotOf(source);
    expect([fresh.ticketId[other], fresh.csatRatingOf(other)]).toEqual([source, NaN]);
    for (let i = 0; i < fresh.size; i++) expect(fresh.slotOf(fresh.ticketId[i])).toBe(i);
    const scope = { from: Date.parse(june.from), to: Date.parse(june.to) + 86_400_000, filters: {}, regionOf: new Map<number, number>() };
    expect(summarize(fresh, scope, 'organization').groups.map((g) => [g.key, g.figures.tickets_created])).toEqual([[big.organization, 1]]);
    await db.deleteFrom('tickets').where('id', '=', big.ticket).execute();
  });
});

describe('SLA counters past 65,535 (kept in 16 bits until one is)', () => {
  it('are read exactly, followed incrementally and loaded afresh', async () => {
    const db = env.ctx.db;
    const ticket = await fileTicket(await createCustomer(env, await createOrganization(env, { plan: 'enterprise', timeZone: 'UTC' })), 'high');
    const followed = new FactStore(db);
    await followed.sync();
    await sql`UPDATE ticket_facts SET next_reply_minutes = array_fill(3::double precision, ARRAY[66000]), next_reply_achieved = 70000,
      next_reply_breached = 65536, updates_achieved = 65537, updates_breached = 2, txid = pg_current_xact_id() WHERE ticket_id = ${ticket}`.execute(db);
    await followed.sync();
    const fresh = new FactStore(db);
    await fresh.sync();
    for (const store of [followed, fresh]) {
      const i = store.slotOf(ticket);
      expect([store.nrtCount[i], store.nrtAchieved[i], store.nrtBreached[i], store.updAchieved[i], store.updBreached[i]]).toEqual([66000, 70000, 65536, 65537, 2]);
      expect(store.nrtPool[store.nrtOffset[i] + 65999]).toBe(3);
    }
  });
});
