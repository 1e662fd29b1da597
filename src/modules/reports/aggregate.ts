import type { Plan } from '../../platform/db-types.js';
import { ACHIEVED, PLANS, PRIORITIES, STATUSES, type FactStore } from './fact-store.js';
import { DAY_MS, DRILL_METRICS, filterOf, keyerOf, sameKey, type Attribution, type DrillMetric, type GroupBy, type Scope, type Test } from './scope.js';

/* The other reports over a FactStore (SLA achievement, backlog, on hold, ticket score, CSAT) and the drill-down. */

const round1 = (x: number) => Math.round(x * 10) / 10;
const pct = (n: number, d: number) => (d ? round1((100 * n) / d) : null);
const M = DRILL_METRICS;

export const SLA_METRICS = ['first_reply_time', 'next_reply_time', 'pausable_update_time'] as const;
const PLAN_ORDER: Plan[] = ['premier', 'enterprise', 'professional', 'free'];

/** Achievement per SLA metric × priority × plan, tickets attributed by creation like the summary's reply figures. */
export function slaAchievement(s: FactStore, scope: Scope) {
  const pass = filterOf(s, scope.filters, scope.regionOf);
  // [metric][priority code 1..4][plan code] → [measured, achieved]
  const cells = SLA_METRICS.map(() => PRIORITIES.map(() => PLANS.map(() => [0, 0])));
  for (let i = 0; i < s.size; i++) {
    const created = s.created[i];
    if (!(created >= scope.from && created < scope.to) || !s.priority[i] || !pass(i)) continue;
    const p = s.priority[i] - 1;
    const plan = s.plan[i];
    const frt = cells[0][p][plan];
    if (s.frtSla[i]) {
      frt[0]++;
      if (s.frtSla[i] === ACHIEVED) frt[1]++;
    }
    cells[1][p][plan][0] += s.nrtAchieved[i] + s.nrtBreached[i];
    cells[1][p][plan][1] += s.nrtAchieved[i];
    cells[2][p][plan][0] += s.updAchieved[i] + s.updBreached[i];
    cells[2][p][plan][1] += s.updAchieved[i];
  }
  return SLA_METRICS.flatMap((metric, m) =>
    PRIORITIES.flatMap((priority, p) =>
      PLAN_ORDER.map((plan) => {
        const [measured, achieved] = cells[m][p][PLANS.indexOf(plan)];
        return { metric, priority, plan, measured, achieved, breached: measured - achieved, achieved_pct: pct(achieved, measured) };
      }),
    ),
  );
}

export const UNSOLVED = ['new', 'open', 'pending', 'hold'] as const;
export const AGE_BUCKETS = ['0-1d', '1-3d', '3-7d', '7-14d', '14d+'] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number];
const AGE_LIMITS_DAYS = [1, 3, 7, 14, Infinity];
export const ageBucketOf = (ageMs: number) => AGE_LIMITS_DAYS.findIndex((d) => ageMs < d * DAY_MS);

/** Unsolved tickets now, by status and age since creation (every cell, zeros included). */
export function backlog(s: FactStore, scope: Omit<Scope, 'from' | 'to'>, now: number) {
  const pass = filterOf(s, scope.filters, scope.regionOf);
  const counts = UNSOLVED.map(() => AGE_BUCKETS.map(() => 0));
  for (let i = 0; i < s.size; i++) {
    const status = s.status[i];
    if (status > 3 || !pass(i)) continue;
    counts[status][ageBucketOf(now - s.created[i])]++;
  }
  return UNSOLVED.flatMap((status, k) => AGE_BUCKETS.map((age_bucket, b) => ({ status, age_bucket, count: counts[k][b] })));
}

/** Slots of the on-hold tickets passing the filters. */
export function onHoldSlots(s: FactStore, scope: Omit<Scope, 'from' | 'to'>): number[] {
  const pass = filterOf(s, scope.filters, scope.regionOf);
  const hold = STATUSES.indexOf('hold');
  const out: number[] = [];
  for (let i = 0; i < s.size; i++) if (s.status[i] === hold && pass(i)) out.push(i);
  return out;
}

/** Tickets created per organization in [since, now] (spec §13's ticket score counts the past 90 days). */
export function ticketsPerOrganization(s: FactStore, since: number, now: number): Map<number, number> {
  const { organizationCode, organizations } = s;
  const counts = new Float64Array(organizations.values.length);
  for (let i = 0; i < s.size; i++) {
    const org = organizationCode[i];
    if (s.deleted[i] || org < 0 || s.created[i] < since || s.created[i] > now) continue;
    counts[org]++;
  }
  const out = new Map<number, number>();
  counts.forEach((n, org) => n && out.set(organizations.values[org], n));
  return out;
}

/** The ticket score of spec §13: health by tickets in 90 days, score = 25 × health. */
export function ticketHealth(tickets: number): { health_pct: number; score: number } {
  const health = tickets === 0 ? 50 : tickets <= 2 ? 100 : tickets <= 4 ? 75 : 25;
  return { health_pct: health, score: (25 * health) / 100 };
}

/** Satisfaction figures of the period and the slots of rated tickets with a comment, newest rating first. */
export function csatOf(s: FactStore, scope: Scope) {
  const pass = filterOf(s, scope.filters, scope.regionOf);
  let good = 0;
  let bad = 0;
  const commented: number[] = [];
  for (let i = 0; i < s.size; i++) {
    const at = s.csatAt[i];
    if (!s.csat[i] || !(at >= scope.from && at < scope.to) || !pass(i)) continue;
    if (M.csat_good.test(s, i)) good++;
    if (M.csat_bad.test(s, i)) bad++;
    if (s.csatComment[i]) commented.push(i);
  }
  commented.sort((x, y) => s.csatAt[y] - s.csatAt[x] || s.ticketId[y] - s.ticketId[x]);
  return { good, bad, responses: good + bad, score_pct: pct(good, good + bad), commented };
}

export interface DrillRequest {
  metric: DrillMetric;
  by: GroupBy;
  /** Set to list one row's tickets (NaN: the "none" row). */
  key?: number;
  status?: (typeof UNSOLVED)[number];
  ageBucket?: AgeBucket;
  now: number;
}

/** Ticket ids behind one figure, newest first: the same predicates the figure was counted with. */
export function drillDown(s: FactStore, scope: Scope, d: DrillRequest): number[] {
  const pass = filterOf(s, scope.filters, scope.regionOf);
  const keyOf = keyerOf(s, d.by, scope.regionOf);
  const ids: number[] = [];
  if (d.metric === 'backlog') {
    const status = d.status ? STATUSES.indexOf(d.status) : -1;
    const bucket = d.ageBucket ? AGE_BUCKETS.indexOf(d.ageBucket) : -1;
    for (let i = 0; i < s.size; i++) {
      if (s.status[i] > 3 || (status >= 0 && s.status[i] !== status) || !pass(i)) continue;
      if (bucket >= 0 && ageBucketOf(d.now - s.created[i]) !== bucket) continue;
      if (d.key !== undefined && !sameKey(keyOf(i, s.created[i]), d.key)) continue;
      ids.push(s.ticketId[i]);
    }
  } else {
    const { on, test } = DRILL_METRICS[d.metric] as { on: Attribution; test: Test };
    const when = on === 'created' ? s.created : on === 'solved' ? s.solved : s.csatAt;
    for (let i = 0; i < s.size; i++) {
      const at = when[i];
      if (!(at >= scope.from && at < scope.to) || (on === 'rated' && !s.csat[i]) || !test(s, i) || !pass(i)) continue;
      if (d.key !== undefined && !sameKey(keyOf(i, at), d.key)) continue;
      ids.push(s.ticketId[i]);
    }
  }
  return ids.sort((a, b) => b - a);
}
