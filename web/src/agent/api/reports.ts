import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { get } from '../../api/client';
import type { TicketPriority, TicketStatus } from './types';

/*
 * Support metrics and reports (issue 7): what the dashboard at /agent/reports reads. Every endpoint
 * answers CSV to the same query with `format=csv`, which the dashboard offers as plain download links
 * (the session cookie authenticates GETs, so the browser downloads them itself).
 */

export type ReportGroupBy = 'none' | 'priority' | 'plan' | 'form' | 'category' | 'group' | 'region' | 'agent' | 'organization' | 'day' | 'week';

/** First reply: how long customers waited for an agent's first public reply, and how often within the target. */
export interface FirstReplyFigures {
  /** Tickets with a first reply (the base of the median and p90). */
  count: number;
  median_minutes: number | null;
  p90_minutes: number | null;
  within_sla_pct: number | null;
  /** Targets met or breached (the base of within_sla_pct). */
  with_target: number;
  achieved: number;
  breached: number;
}

/** Next replies: every later wait for an agent (a ticket can have several; counts are of replies). */
export interface NextReplyFigures extends FirstReplyFigures {
  /** Tickets with at least one breached next reply (what the drill-down lists). */
  tickets_breached: number;
}

export interface UpdateFigures {
  /** Regular-update targets measured. */
  count: number;
  achieved: number;
  missed: number;
  achieved_pct: number | null;
  /** Tickets with at least one missed update. */
  tickets_missed: number;
}

/** Requester wait or resolution time of the tickets solved in the period. */
export interface DurationFigures {
  count: number;
  median_minutes: number | null;
  p90_minutes: number | null;
  over_7d: number;
  over_14d: number;
  over_7d_pct: number | null;
  over_14d_pct: number | null;
}

export interface CsatFigures {
  good: number;
  bad: number;
  responses: number;
  score_pct: number | null;
}

/** One line of a summary: the totals, or one priority / plan / region / agent / day… (key null: "none"). */
export interface ReportRow {
  key: string | number | null;
  label: string;
  tickets_created: number;
  tickets_solved: number;
  first_reply: FirstReplyFigures;
  next_reply: NextReplyFigures;
  regular_updates: UpdateFigures;
  requester_wait: DurationFigures;
  resolution: DurationFigures;
  csat: CsatFigures;
}

export interface SummaryReport {
  from: string;
  to: string;
  group_by: ReportGroupBy;
  filters: Record<string, unknown>;
  /** How figures are measured, e.g. first_reply: "business_minutes", days: "UTC". */
  units: Record<string, unknown>;
  rows: ReportRow[];
  totals: ReportRow;
}

export interface SlaAchievementCell {
  metric: string;
  priority: string;
  plan: string;
  measured: number;
  achieved: number;
  breached: number;
  achieved_pct: number | null;
}

export type AgeBucket = '0-1d' | '1-3d' | '3-7d' | '7-14d' | '14d+';
export const AGE_BUCKETS: AgeBucket[] = ['0-1d', '1-3d', '3-7d', '7-14d', '14d+'];

export interface BacklogCell {
  status: Exclude<TicketStatus, 'solved' | 'closed'>;
  age_bucket: AgeBucket;
  count: number;
}

/** An escalation stage, or "no_escalation" for tickets on hold without an open escalation. */
export interface OnHoldStage {
  stage: string;
  count: number;
  oldest_days: number | null;
}

export interface CsatComment {
  ticket_id: number;
  score: 'good' | 'bad';
  comment: string | null;
  rated_at: string;
}

export interface CsatReport extends CsatFigures {
  /** The newest comments (50 unless asked for more); comments_total says how many there are. */
  comments: CsatComment[];
  comments_total: number;
}

export interface TicketScore {
  organization_id: number;
  organization_name: string;
  plan: string | null;
  tickets_90d: number;
  health_pct: number;
  score: number;
}

/** A ticket behind a figure. */
export interface ReportTicket {
  id: number;
  subject: string;
  status: TicketStatus;
  priority: TicketPriority | null;
  organization_name: string | null;
  assignee_name: string | null;
  created_at: string;
  solved_at: string | null;
  first_reply_minutes: number | null;
  resolution_minutes: number | null;
}

export interface ReportTicketPage {
  tickets: ReportTicket[];
  count: number;
  next_page: string | null;
}

export type ReportEndpoint = 'summary' | 'sla_achievement' | 'backlog' | 'on_hold' | 'csat' | 'ticket_score' | 'tickets';
export type ReportParams = Record<string, string | undefined>;

/** The path of a report, with empty parameters left out; `csv` asks for the CSV download of the same figures. */
export function reportPath(endpoint: ReportEndpoint, params: ReportParams = {}, csv = false): string {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') q.set(key, value);
  if (csv) q.set('format', 'csv');
  const query = q.toString();
  return `/api/v2/reports/${endpoint}${query ? `?${query}` : ''}`;
}

export const reportKeys = {
  all: ['agent', 'reports'] as const,
  report: (endpoint: ReportEndpoint, params: ReportParams) => ['agent', 'reports', endpoint, params] as const,
};

/*
 * Reports move as agents work, but nobody watches them tick: a refetch every five minutes keeps an
 * open dashboard honest, and a changed period keeps showing the old figures until the new ones arrive.
 */
const FIVE_MINUTES = 5 * 60_000;

function useReport<T>(endpoint: ReportEndpoint, params: ReportParams, pick: (body: any) => T) {
  return useQuery({
    queryKey: reportKeys.report(endpoint, params),
    queryFn: async () => pick(await get(reportPath(endpoint, params))),
    placeholderData: keepPreviousData,
    refetchInterval: FIVE_MINUTES,
  });
}

/** The figures for the period and filters, in total and per `group_by` value. */
export const useSummaryReport = (params: ReportParams) => useReport<SummaryReport>('summary', params, (b) => b.report);
/** Achieved % per SLA metric × priority × plan. */
export const useSlaAchievement = (params: ReportParams) => useReport<SlaAchievementCell[]>('sla_achievement', params, (b) => b.sla_achievement);
/** Unsolved tickets now, by status and age. */
export const useBacklog = (params: ReportParams) => useReport<BacklogCell[]>('backlog', params, (b) => b.backlog);
/** On-hold tickets now, by engineering escalation stage. */
export const useOnHold = (params: ReportParams) => useReport<OnHoldStage[]>('on_hold', params, (b) => b.on_hold);
export const useCsatReport = (params: ReportParams) => useReport<CsatReport>('csat', params, (b) => b.csat);
/** The customer-success ticket score of each organization (spec §13). */
export const useTicketScores = (params: ReportParams) => useReport<TicketScore[]>('ticket_score', params, (b) => b.ticket_scores);

/** next_page is an absolute URL; only its path and query are requested, so the call stays on this origin. */
const samePath = (url: string) => {
  const u = new URL(url, window.location.origin);
  return u.pathname + u.search;
};

/** The tickets behind one figure, a page at a time. */
export function useReportTickets(params: ReportParams | null) {
  return useInfiniteQuery({
    queryKey: reportKeys.report('tickets', params ?? {}),
    queryFn: ({ pageParam }) => get<ReportTicketPage>(pageParam ?? reportPath('tickets', params ?? {})),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.next_page ? samePath(last.next_page) : undefined),
    enabled: params !== null,
  });
}

/** Every organization, for the filter picker (the API pages at 100; 20 pages cover any real customer list). */
export function useReportOrganizations() {
  return useQuery({
    queryKey: ['agent', 'reports', 'organizations'],
    queryFn: async () => {
      const all: { id: number; name: string }[] = [];
      let next: string | null = '/api/v2/organizations?per_page=100';
      for (let page = 0; next && page < 20; page++) {
        const res: { organizations: { id: number; name: string }[]; next_page: string | null } = await get(next);
        all.push(...res.organizations);
        next = res.next_page ? samePath(res.next_page) : null;
      }
      return all;
    },
    staleTime: 10 * 60_000,
  });
}
