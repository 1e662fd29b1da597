/*
 * What a report covers (period, filters, trend interval), read from and written to the URL query so a
 * dashboard can be bookmarked and shared. The API takes the same filter names, so the URL's filters
 * pass through unchanged.
 */

/** Filters in the API's own names (and the URL's). */
export const FILTER_KEYS = ['plan', 'priority', 'form', 'category', 'group_id', 'region_id', 'assignee_id', 'organization_id'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type Filters = Partial<Record<FilterKey, string>>;

export const PERIODS = ['7d', '30d', '90d', 'custom'] as const;
export type Period = (typeof PERIODS)[number];
export const PERIOD_LABEL: Record<Period, string> = { '7d': 'Last 7 days', '30d': 'Last 30 days', '90d': 'Last 90 days', custom: 'Custom' };
const PERIOD_DAYS: Record<Exclude<Period, 'custom'>, number> = { '7d': 7, '30d': 30, '90d': 90 };

export type Interval = 'day' | 'week';

export interface ReportScope {
  period: Period;
  /** YYYY-MM-DD, inclusive. */
  from: string;
  to: string;
  filters: Filters;
  interval: Interval;
  /** Which tab is open and what its breakdown splits by (validated by the page, which knows the choices). */
  tab: string;
  groupBy: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const DAY_MS = 86_400_000;

/** YYYY-MM-DD of a UTC day: reports count in UTC days, whatever the reader's time zone (a follow-the-sun team shares one calendar). */
export const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** The inclusive range of the last `days` UTC days ending today: "last 7 days" is today and the six before. */
export function lastDays(days: number, today = new Date()): { from: string; to: string } {
  return { from: isoDay(new Date(today.getTime() - (days - 1) * DAY_MS)), to: isoDay(today) };
}

/** The scope in the URL; anything missing or malformed falls back to the last 30 days, unfiltered, by day, on the overview. */
export function readScope(params: URLSearchParams, today = new Date()): ReportScope {
  const filters: Filters = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value) filters[key] = value;
  }
  const interval: Interval = params.get('interval') === 'week' ? 'week' : 'day';
  const view = { filters, interval, tab: params.get('tab') ?? 'overview', groupBy: params.get('group_by') ?? 'priority' };
  const asked = params.get('period') as Period | null;
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  if (asked === 'custom' && DATE.test(from) && DATE.test(to)) {
    // A range typed backwards is still the range the lead meant.
    return { period: 'custom', from: from <= to ? from : to, to: from <= to ? to : from, ...view };
  }
  const period = asked && asked !== 'custom' && PERIODS.includes(asked) ? asked : '30d';
  return { period, ...lastDays(PERIOD_DAYS[period], today), ...view };
}

/** from, to and the filters, as the report endpoints take them. */
export function scopeParams(scope: Pick<ReportScope, 'from' | 'to' | 'filters'>): Record<string, string> {
  return { from: scope.from, to: scope.to, ...scope.filters };
}

/** How many filters are set, for the "Clear filters" button. */
export const activeFilterCount = (scope: ReportScope) => Object.keys(scope.filters).length;
