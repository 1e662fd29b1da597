import type { FormKind, Plan, Priority } from '../../platform/db-types.js';
import { AppError, type ErrorDetails } from '../../platform/errors.js';
import { AGE_BUCKETS, UNSOLVED, type AgeBucket } from './aggregate.js';
import { DAY_MS, DRILL_METRIC_NAMES, GROUP_BYS, isoDay, parseDay, type DrillMetric, type GroupBy } from './scope.js';
import { FORM_KINDS, PLANS, PRIORITIES } from './fact-store.js';

/** Longest period a report covers (five years of days). */
export const MAX_DAYS = 1830;
const DEFAULT_DAYS = 30;

export interface RawFilters {
  plan?: Plan;
  priority?: Priority | 'none';
  /** A form kind, or a form id still to be resolved. */
  form?: FormKind | number;
  category?: string;
  group_id?: number;
  region_id?: number;
  assignee_id?: number;
  organization_id?: number;
}

export interface ReportQuery {
  /** Inclusive UTC days, YYYY-MM-DD. */
  from: string;
  to: string;
  /** [fromMs, toMs): the days as epoch milliseconds, `to` exclusive. */
  fromMs: number;
  toMs: number;
  groupBy: GroupBy;
  filters: RawFilters;
  format: 'json' | 'csv';
}

export interface DrillQuery extends ReportQuery {
  metric: DrillMetric;
  key?: string;
  status?: (typeof UNSOLVED)[number];
  ageBucket?: AgeBucket;
  limit: number;
  /** Tickets with ids below this one (the previous page's last id). */
  before?: number;
}

/** Collects every problem with the query string so the client sees them at once (400). */
class ParamProblems {
  details: ErrorDetails = {};
  add(param: string, message: string) {
    (this.details[param] ??= []).push({ description: `${param}: ${message}`, error: 'InvalidValue' });
  }
  throwIfAny(status: 'BadRequest' | 'RecordInvalid' = 'BadRequest') {
    const all = Object.values(this.details).flat();
    if (all.length) throw new AppError(status, `Invalid report parameters: ${all.map((p) => p.description).join('; ')}`, this.details);
  }
}

const text = (q: Record<string, unknown>, name: string): string | undefined => {
  const v = q[name];
  if (v === undefined || v === '') return undefined;
  return Array.isArray(v) ? String(v[v.length - 1]) : String(v);
};

function oneOf<T extends string>(q: Record<string, unknown>, name: string, allowed: readonly T[], problems: ParamProblems): T | undefined {
  const v = text(q, name);
  if (v === undefined) return undefined;
  if ((allowed as readonly string[]).includes(v)) return v as T;
  problems.add(name, `must be one of ${allowed.join(', ')} (got "${v.slice(0, 50)}")`);
  return undefined;
}

function id(q: Record<string, unknown>, name: string, problems: ParamProblems): number | undefined {
  const v = text(q, name);
  if (v === undefined) return undefined;
  if (/^\d{1,15}$/.test(v)) return Number(v);
  problems.add(name, `must be an id (a positive integer), got "${v.slice(0, 50)}"`);
  return undefined;
}

/**
 * Period, group_by, filters and format of any report. Malformed values are a 400 naming each
 * parameter; a period that is backwards or longer than MAX_DAYS is a 422.
 */
export function parseReportQuery(raw: unknown, today = new Date()): ReportQuery {
  const q = (raw ?? {}) as Record<string, unknown>;
  const problems = new ParamProblems();
  const day = (name: string) => {
    const v = text(q, name);
    if (v === undefined) return undefined;
    const d = parseDay(v);
    if (d === undefined) problems.add(name, `must be a date as YYYY-MM-DD (got "${v.slice(0, 50)}")`);
    return d;
  };
  const todayNumber = Math.floor(today.getTime() / DAY_MS);
  const fromDay = day('from');
  const toDay = day('to');
  const groupBy = oneOf(q, 'group_by', GROUP_BYS, problems) ?? 'none';
  const formText = text(q, 'form');
  let form: FormKind | number | undefined;
  if (formText !== undefined) {
    if ((FORM_KINDS as readonly string[]).includes(formText)) form = formText as FormKind;
    else if (/^\d{1,15}$/.test(formText)) form = Number(formText);
    else problems.add('form', `must be technical, sales or a ticket form id (got "${formText.slice(0, 50)}")`);
  }
  const category = text(q, 'category');
  if (category !== undefined && category.length > 200) problems.add('category', 'is too long');
  const filters: RawFilters = {
    plan: oneOf(q, 'plan', PLANS, problems),
    priority: oneOf(q, 'priority', [...PRIORITIES, 'none'] as const, problems),
    form,
    category,
    group_id: id(q, 'group_id', problems),
    region_id: id(q, 'region_id', problems),
    assignee_id: id(q, 'assignee_id', problems),
    organization_id: id(q, 'organization_id', problems),
  };
  const format = oneOf(q, 'format', ['json', 'csv'] as const, problems) ?? 'json';
  problems.throwIfAny();

  const to = toDay ?? (fromDay !== undefined ? Math.max(fromDay, todayNumber) : todayNumber);
  const from = fromDay ?? to - (DEFAULT_DAYS - 1);
  if (from > to) problems.add('from', `must not be after to (${isoDay(from)} > ${isoDay(to)})`);
  else if (to - from + 1 > MAX_DAYS) problems.add('to', `the period may cover at most ${MAX_DAYS} days (got ${to - from + 1})`);
  problems.throwIfAny('RecordInvalid');
  for (const k of Object.keys(filters) as (keyof RawFilters)[]) if (filters[k] === undefined) delete filters[k];
  return { from: isoDay(from), to: isoDay(to), fromMs: from * DAY_MS, toMs: (to + 1) * DAY_MS, groupBy, filters, format };
}

/** A drill-down: a report query plus the figure (`metric`), the row (`key`) and a page. */
export function parseDrillQuery(raw: unknown, today = new Date()): DrillQuery {
  const base = parseReportQuery(raw, today);
  const q = (raw ?? {}) as Record<string, unknown>;
  const problems = new ParamProblems();
  const metric = oneOf(q, 'metric', DRILL_METRIC_NAMES, problems);
  if (!text(q, 'metric')) problems.add('metric', `is required: one of ${DRILL_METRIC_NAMES.join(', ')}`);
  const key = text(q, 'key');
  if (key !== undefined && base.groupBy === 'none') problems.add('key', 'needs a group_by to say what the key is');
  const status = oneOf(q, 'status', UNSOLVED, problems);
  const ageBucket = oneOf(q, 'age_bucket', AGE_BUCKETS, problems);
  if ((status || ageBucket) && metric && metric !== 'backlog') problems.add(status ? 'status' : 'age_bucket', 'applies to metric=backlog only');
  const limitText = text(q, 'limit');
  let limit = 100;
  if (limitText !== undefined) {
    if (/^\d{1,4}$/.test(limitText) && Number(limitText) >= 1 && Number(limitText) <= 1000) limit = Number(limitText);
    else problems.add('limit', `must be an integer from 1 to 1000 (got "${limitText.slice(0, 50)}")`);
  }
  const cursor = text(q, 'cursor');
  let before: number | undefined;
  if (cursor !== undefined) {
    const decoded = /^[A-Za-z0-9_-]{1,40}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
    if (/^\d{1,15}$/.test(decoded)) before = Number(decoded);
    else problems.add('cursor', 'is not a cursor this endpoint returned in next_page');
  }
  problems.throwIfAny();
  return { ...base, metric: metric!, key, status, ageBucket, limit, before };
}

export const encodeCursor = (id: number) => Buffer.from(String(id)).toString('base64url');

/** `limit` of lists such as CSAT comments (1–max, default `fallback`). */
export function parseLimit(raw: unknown, fallback: number, max: number): number {
  const v = text((raw ?? {}) as Record<string, unknown>, 'limit');
  if (v === undefined) return fallback;
  if (!/^\d{1,6}$/.test(v) || Number(v) < 1 || Number(v) > max) throw new AppError('BadRequest', `Invalid report parameters: limit: must be an integer from 1 to ${max}`);
  return Number(v);
}
