import type { FormKind, Plan, Priority } from '../../platform/db-types.js';
import { ACHIEVED, BAD, BREACHED, FORM_KINDS, GOOD, PLANS, PRIORITIES, type Codes, type FactStore } from './fact-store.js';

/*
 * What a report looks at: the period, the filters and the group key of a ticket, compiled to small
 * functions over a FactStore. Attribution (documented in the README): tickets count in the period they
 * were created for created and reply figures, solved for solved, wait and resolution figures, and rated
 * for satisfaction; DRILL_METRICS says so for every figure a drill-down lists.
 */

export const DAY_MS = 86_400_000;
export const WEEK_MINUTES = 7 * 1440;

export const GROUP_BYS = ['none', 'priority', 'plan', 'form', 'category', 'group', 'region', 'agent', 'organization', 'day', 'week'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

export interface Filters {
  plan?: Plan;
  priority?: Priority | 'none';
  form?: FormKind;
  category?: string;
  group_id?: number;
  region_id?: number;
  assignee_id?: number;
  organization_id?: number;
}

/** A period [from, to) in epoch milliseconds, the filters, and the assignees' regions (agent id → region id). */
export interface Scope {
  from: number;
  to: number;
  filters: Filters;
  regionOf: Map<number, number>;
}

export type Test = (s: FactStore, i: number) => boolean;
export type Attribution = 'created' | 'solved' | 'rated';

/** Every figure a drill-down can list: when a ticket is attributed, and whether it counts. */
export const DRILL_METRICS = {
  created: { on: 'created', test: () => true },
  first_reply: { on: 'created', test: (s, i) => !Number.isNaN(s.frt[i]) },
  first_reply_achieved: { on: 'created', test: (s, i) => s.frtSla[i] === ACHIEVED },
  first_reply_breached: { on: 'created', test: (s, i) => s.frtSla[i] === BREACHED },
  first_reply_over_8h: { on: 'created', test: (s, i) => s.frt[i] > 480 },
  next_reply: { on: 'created', test: (s, i) => s.nrtCount[i] > 0 },
  next_reply_breached: { on: 'created', test: (s, i) => s.nrtBreached[i] > 0 },
  regular_updates_missed: { on: 'created', test: (s, i) => s.updBreached[i] > 0 },
  solved: { on: 'solved', test: () => true },
  requester_wait_over_7d: { on: 'solved', test: (s, i) => s.wait[i] > WEEK_MINUTES },
  requester_wait_over_14d: { on: 'solved', test: (s, i) => s.wait[i] > 2 * WEEK_MINUTES },
  resolution_over_7d: { on: 'solved', test: (s, i) => s.resolution[i] > WEEK_MINUTES },
  resolution_over_14d: { on: 'solved', test: (s, i) => s.resolution[i] > 2 * WEEK_MINUTES },
  csat_good: { on: 'rated', test: (s, i) => s.csat[i] === GOOD },
  csat_bad: { on: 'rated', test: (s, i) => s.csat[i] === BAD },
} satisfies Record<string, { on: Attribution; test: Test }>;
export type DrillMetric = keyof typeof DRILL_METRICS | 'backlog';
export const DRILL_METRIC_NAMES = [...Object.keys(DRILL_METRICS), 'backlog'] as DrillMetric[];

/** Whether a ticket passes the filters (deleted tickets never do). */
export function filterOf(s: FactStore, f: Filters, regionOf: Map<number, number>): (i: number) => boolean {
  const tests: ((i: number) => boolean)[] = [];
  if (f.plan !== undefined) {
    const c = PLANS.indexOf(f.plan);
    tests.push((i) => s.plan[i] === c);
  }
  if (f.priority !== undefined) {
    const c = f.priority === 'none' ? 0 : PRIORITIES.indexOf(f.priority) + 1;
    tests.push((i) => s.priority[i] === c);
  }
  if (f.form !== undefined) {
    const c = FORM_KINDS.indexOf(f.form);
    tests.push((i) => s.form[i] === c);
  }
  if (f.category !== undefined) {
    const c = s.categoryCodeOf(f.category);
    tests.push((i) => s.category[i] === c);
  }
  // Ids are compared by their code (-2, matching nothing, when no ticket has the id).
  const id = (column: Int32Array, codes: Codes<number>, value: number | undefined) => {
    if (value === undefined) return;
    const c = codes.find(value);
    tests.push((i) => column[i] === c);
  };
  id(s.groupCode, s.groups, f.group_id);
  id(s.assigneeCode, s.assignees, f.assignee_id);
  id(s.organizationCode, s.organizations, f.organization_id);
  if (f.region_id !== undefined) {
    const inRegion = Uint8Array.from(s.assignees.values, (agent) => (regionOf.get(agent) === f.region_id ? 1 : 0));
    const column = s.assigneeCode;
    tests.push((i) => {
      const c = column[i];
      return c >= 0 && inRegion[c] === 1;
    });
  }
  if (!tests.length) return (i) => s.deleted[i] === 0;
  return (i) => {
    if (s.deleted[i]) return false;
    for (const t of tests) if (!t(i)) return false;
    return true;
  };
}

/** Monday of the week of a day number (day 0, 1970-01-01, was a Thursday). */
export const mondayOf = (day: number) => day - ((day + 3) % 7);
export const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The key of a coded column: the value of the code, NaN for none (code -1). */
const idKey = (column: Int32Array, values: number[]) => (i: number) => {
  const c = column[i];
  return c < 0 ? NaN : values[c];
};

/** The group key of a ticket (NaN for "none"), given the time it is attributed at. */
export function keyerOf(s: FactStore, by: GroupBy, regionOf: Map<number, number>): (i: number, at: number) => number {
  switch (by) {
    case 'none':
      return () => 0;
    case 'priority':
      return (i) => s.priority[i] || NaN;
    case 'plan':
      return (i) => s.plan[i];
    case 'form':
      return (i) => s.form[i];
    case 'category':
      return (i) => (s.category[i] < 0 ? NaN : s.category[i]);
    case 'group':
      return idKey(s.groupCode, s.groups.values);
    case 'region':
      return idKey(s.assigneeCode, s.assignees.values.map((agent) => regionOf.get(agent) ?? NaN));
    case 'agent':
      return idKey(s.assigneeCode, s.assignees.values);
    case 'organization':
      return idKey(s.organizationCode, s.organizations.values);
    case 'day':
      return (_i, at) => Math.floor(at / DAY_MS);
    case 'week':
      return (_i, at) => mondayOf(Math.floor(at / DAY_MS));
  }
}

/** A key as the API shows it: enum names, ids, ISO days, null for "none". */
export function presentKey(s: FactStore, by: GroupBy, key: number): string | number | null {
  if (Number.isNaN(key)) return null;
  switch (by) {
    case 'priority':
      return PRIORITIES[key - 1];
    case 'plan':
      return PLANS[key];
    case 'form':
      return FORM_KINDS[key];
    case 'category':
      return s.categories[key];
    case 'day':
    case 'week':
      return isoDay(key);
    case 'none':
      return null;
    default:
      return key;
  }
}

/** The key a drill-down names (`key=` as presentKey wrote it; "null" or "none" for none); undefined when malformed. */
export function parseKey(s: FactStore, by: GroupBy, text: string): number | undefined {
  if (text === 'null' || text === 'none') return by === 'day' || by === 'week' ? undefined : NaN;
  switch (by) {
    case 'priority': {
      const c = PRIORITIES.indexOf(text as Priority);
      return c < 0 ? undefined : c + 1;
    }
    case 'plan':
      return PLANS.indexOf(text as Plan) < 0 ? undefined : PLANS.indexOf(text as Plan);
    case 'form':
      return FORM_KINDS.indexOf(text as FormKind) < 0 ? undefined : FORM_KINDS.indexOf(text as FormKind);
    case 'category':
      return s.categoryCodeOf(text);
    case 'day':
    case 'week': {
      const day = parseDay(text);
      return day === undefined ? undefined : by === 'week' ? mondayOf(day) : day;
    }
    case 'none':
      return undefined;
    default:
      return /^\d{1,15}$/.test(text) ? Number(text) : undefined;
  }
}

/** YYYY-MM-DD (a real calendar date) → day number. */
export function parseDay(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  const ms = Date.parse(`${text}T00:00:00Z`);
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text ? undefined : ms / DAY_MS;
}

export const sameKey = (a: number, b: number) => a === b || (Number.isNaN(a) && Number.isNaN(b));
