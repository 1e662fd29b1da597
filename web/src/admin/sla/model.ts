import { get } from '../../api/client';

export type Priority = 'urgent' | 'high' | 'normal' | 'low';
export type Metric = 'first_reply_time' | 'next_reply_time' | 'pausable_update_time';

export interface PolicyMetric {
  priority: Priority;
  /** The API knows more metrics than this page edits; those are kept as they are on save. */
  metric: Metric | (string & {});
  target: number;
  business_hours: boolean;
  internal?: boolean;
}

export interface SlaPolicy {
  id: number;
  title: string;
  description: string | null;
  filter: { all: { field: string; operator: string; value: string }[] };
  policy_metrics: PolicyMetric[];
}

export interface Schedule {
  id: number;
  name: string;
  time_zone: string;
  default: boolean;
}

export interface Holiday {
  id: number;
  name: string;
  start_date: string;
  end_date: string;
}

export const PRIORITIES: { value: Priority; label: string }[] = [
  { value: 'urgent', label: 'Urgent' },
  { value: 'high', label: 'High' },
  { value: 'normal', label: 'Normal' },
  { value: 'low', label: 'Low' },
];

export const METRICS: { value: Metric; label: string; hint: string }[] = [
  { value: 'first_reply_time', label: 'First reply', hint: 'From the request to the first public agent reply' },
  { value: 'next_reply_time', label: 'Next reply', hint: 'From a customer comment to the next public reply' },
  { value: 'pausable_update_time', label: 'Regular updates', hint: 'Time between public updates while the ticket is open' },
];

export const slaKeys = {
  policies: ['admin', 'sla', 'policies'] as const,
  schedules: ['admin', 'sla', 'schedules'] as const,
  holidays: (scheduleId: number) => ['admin', 'sla', 'schedules', scheduleId, 'holidays'] as const,
};

export const fetchPolicies = () => get<{ sla_policies: SlaPolicy[] }>('/api/v2/slas/policies').then((b) => b.sla_policies);
export const fetchSchedules = () => get<{ schedules: Schedule[] }>('/api/v2/business_hours/schedules').then((b) => b.schedules);
export const fetchHolidays = (scheduleId: number) => get<{ holidays: Holiday[] }>(`/api/v2/business_hours/schedules/${scheduleId}/holidays`).then((b) => b.holidays);

export const cellKey = (metric: string, priority: string) => `${metric}/${priority}`;

/** A business day is the 8 open hours of Mon–Fri 09:00–17:00. */
const BUSINESS_DAY = 8 * 60;

function hoursAndMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (!h) return `${m} min`;
  return m ? `${h} h ${m} min` : `${h} h`;
}

/** "1 h", "8 h", "30 min", "2 business days", "3 days": a target as people say it. */
export function formatTarget(minutes: number, businessHours: boolean): string {
  if (!Number.isFinite(minutes) || minutes <= 0) return '—';
  if (businessHours && minutes >= 2 * BUSINESS_DAY && minutes % BUSINESS_DAY === 0) {
    const d = minutes / BUSINESS_DAY;
    return `${d} business days`;
  }
  if (!businessHours && minutes >= 1440 && minutes % 1440 === 0) {
    const d = minutes / 1440;
    return d === 1 ? '1 day' : `${d} days`;
  }
  return hoursAndMinutes(minutes);
}

export const hourType = (businessHours: boolean) => (businessHours ? 'Business hours' : 'Calendar hours');

/** "24 Dec 2030" or "24–26 Dec 2030" from ISO dates, without time-zone shifts. */
export function formatDates(start: string, end: string): string {
  const fmt = (d: string, opts: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('en-GB', { ...opts, timeZone: 'UTC' }).format(new Date(`${d}T00:00:00Z`));
  const full: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', year: 'numeric', weekday: 'short' };
  return start === end ? fmt(start, full) : `${fmt(start, full)} – ${fmt(end, full)}`;
}
