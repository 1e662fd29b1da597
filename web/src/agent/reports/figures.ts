import type { ReportGroupBy, ReportParams, ReportRow } from '../api/reports';
import type { Drill } from './DrillDown';
import { countText, durationText, pctText } from './reportText';

/*
 * The figures of a summary row, defined once for the cards and every breakdown table: how each reads
 * and which drill-down metric lists the tickets behind it.
 */

export interface Figure {
  id: string;
  /** The group of figures (a card, a column group): "First reply". */
  group: string;
  /** The figure within its group: "Median". */
  label: string;
  /** Where the figure is in a summary row, e.g. "first_reply.median_minutes". */
  field: string;
  text: (row: ReportRow) => string;
  /**
   * The API's drill-down metric for the tickets behind the figure: a median lists the tickets it is
   * the median of; a percentage lists what it falls short by (the misses a lead looks into).
   */
  metric: string;
  /** The drawer's title: what it lists. */
  drillTitle: string;
  /** Where the size of the drilled list is in the row: a figure whose list is empty opens nothing. */
  listed: string;
}

type Kind = 'count' | 'duration' | 'pct';
const FORMAT: Record<Kind, (value: number | null) => string> = { count: countText, duration: durationText, pct: pctText };

/** The number at `field` of a summary row (null when nothing was measured). */
export function fieldValue(row: ReportRow, field: string): number | null {
  const value = field.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], row);
  return typeof value === 'number' ? value : null;
}

const figure = (id: string, group: string, label: string, field: string, kind: Kind, metric: string, drillTitle: string, listed = field): Figure => ({
  id,
  group,
  label,
  field,
  text: (row) => FORMAT[kind](fieldValue(row, field)),
  metric,
  drillTitle,
  listed,
});

export const FIGURES: Figure[] = [
  figure('created', 'Tickets', 'Created', 'tickets_created', 'count', 'created', 'Tickets created'),
  figure('solved', 'Tickets', 'Solved', 'tickets_solved', 'count', 'solved', 'Tickets solved'),
  figure('first_reply_median', 'First reply', 'Median', 'first_reply.median_minutes', 'duration', 'first_reply', 'Tickets with a first reply', 'first_reply.count'),
  figure('first_reply_p90', 'First reply', '90th percentile', 'first_reply.p90_minutes', 'duration', 'first_reply', 'Tickets with a first reply', 'first_reply.count'),
  figure('first_reply_sla', 'First reply', 'Within SLA', 'first_reply.within_sla_pct', 'pct', 'first_reply_achieved', 'First reply within SLA', 'first_reply.achieved'),
  figure('first_reply_breached', 'First reply', 'Breached', 'first_reply.breached', 'count', 'first_reply_breached', 'First reply breached'),
  figure('next_reply_median', 'Next reply', 'Median', 'next_reply.median_minutes', 'duration', 'next_reply', 'Tickets with next replies', 'next_reply.count'),
  figure('next_reply_p90', 'Next reply', '90th percentile', 'next_reply.p90_minutes', 'duration', 'next_reply', 'Tickets with next replies', 'next_reply.count'),
  figure('next_reply_sla', 'Next reply', 'Within SLA', 'next_reply.within_sla_pct', 'pct', 'next_reply_breached', 'Next reply breached', 'next_reply.tickets_breached'),
  figure('next_reply_breached', 'Next reply', 'Tickets breached', 'next_reply.tickets_breached', 'count', 'next_reply_breached', 'Next reply breached'),
  figure('regular_updates', 'Regular updates', 'Achieved', 'regular_updates.achieved_pct', 'pct', 'regular_updates_missed', 'Regular updates missed', 'regular_updates.tickets_missed'),
  figure('regular_updates_missed', 'Regular updates', 'Tickets missed', 'regular_updates.tickets_missed', 'count', 'regular_updates_missed', 'Regular updates missed'),
  figure('requester_wait_median', 'Requester wait', 'Median', 'requester_wait.median_minutes', 'duration', 'solved', 'Tickets solved', 'tickets_solved'),
  figure('requester_wait_7d', 'Requester wait', 'Over 7 days', 'requester_wait.over_7d_pct', 'pct', 'requester_wait_over_7d', 'Requester wait over 7 days', 'requester_wait.over_7d'),
  figure('requester_wait_14d', 'Requester wait', 'Over 14 days', 'requester_wait.over_14d_pct', 'pct', 'requester_wait_over_14d', 'Requester wait over 14 days', 'requester_wait.over_14d'),
  figure('resolution_median', 'Resolution', 'Median', 'resolution.median_minutes', 'duration', 'solved', 'Tickets solved', 'tickets_solved'),
  figure('resolution_7d', 'Resolution', 'Over 7 days', 'resolution.over_7d_pct', 'pct', 'resolution_over_7d', 'Resolution over 7 days', 'resolution.over_7d'),
  figure('resolution_14d', 'Resolution', 'Over 14 days', 'resolution.over_14d_pct', 'pct', 'resolution_over_14d', 'Resolution over 14 days', 'resolution.over_14d'),
  figure('csat_score', 'Satisfaction', 'Score', 'csat.score_pct', 'pct', 'csat_bad', 'Rated bad', 'csat.bad'),
  figure('csat_good', 'Satisfaction', 'Good', 'csat.good', 'count', 'csat_good', 'Rated good'),
  figure('csat_bad', 'Satisfaction', 'Bad', 'csat.bad', 'count', 'csat_bad', 'Rated bad'),
];

export const figureById = (id: string) => FIGURES.find((f) => f.id === id)!;

/**
 * The drill-down of one figure: for the totals, or for one row of a breakdown (`group_by` and its key;
 * null is "none"). Null when the list would be empty.
 */
export function figureDrill(f: Figure, values: ReportRow, base: ReportParams, row?: { groupBy: ReportGroupBy; key: ReportRow['key']; label: string }): Drill | null {
  if (!fieldValue(values, f.listed)) return null;
  const params: ReportParams = { ...base, metric: f.metric };
  if (row) Object.assign(params, { group_by: row.groupBy, key: row.key === null ? 'none' : String(row.key) });
  return { title: row ? `${f.drillTitle} · ${row.label}` : f.drillTitle, params };
}
