import { get } from '../../api/client';
import type { OnCallSchedule } from '../../api/shifts';

export type { OnCallSchedule, OnCallShift, ScheduleOverride } from '../../api/shifts';

/*
 * Premier paging configuration (spec §9.3): where pages go, and the on-call rotations that decide who
 * is paged.
 */

export type TargetKind = 'mattermost' | 'slack' | 'pagerduty' | 'email';

export interface PagingTarget {
  id: number;
  name: string;
  kind: TargetKind;
  /** The webhook URL (or email address); null for PagerDuty's public endpoint or the on-call engineer's email. */
  target_url: string | null;
  /** Masked, e.g. "••••••••00AB": the key itself is never sent back. */
  routing_key: string | null;
  active: boolean;
}

export const pagingKeys = {
  targets: ['admin', 'paging', 'targets'] as const,
  schedules: ['admin', 'paging', 'schedules'] as const,
};

export const fetchTargets = () => get<{ targets: PagingTarget[] }>('/api/v2/paging/targets').then((b) => b.targets);
export const fetchSchedules = () => get<{ schedules: OnCallSchedule[] }>('/api/v2/on_call/schedules').then((b) => b.schedules);

export const KINDS: { value: TargetKind; label: string; urlLabel: string; urlHint: string }[] = [
  { value: 'mattermost', label: 'Mattermost', urlLabel: 'Incoming webhook URL', urlHint: 'From Mattermost: Integrations › Incoming webhooks' },
  { value: 'slack', label: 'Slack', urlLabel: 'Incoming webhook URL', urlHint: 'From a Slack app with incoming webhooks, https://hooks.slack.com/services/…' },
  { value: 'pagerduty', label: 'PagerDuty', urlLabel: 'Events API URL', urlHint: 'Leave empty for PagerDuty’s public Events API v2 endpoint' },
  { value: 'email', label: 'Email', urlLabel: 'Email address', urlHint: 'Leave empty to email whoever is paged' },
];
export const kindLabel = (k: TargetKind) => KINDS.find((x) => x.value === k)?.label ?? k;

/** "Thu 26 Nov, 14:00" in the browser's time zone. */
export const when = (iso: string) => new Date(iso).toLocaleString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

/** "1 week", "12 hours", "3 days": a rotation length as people say it. */
export function rotationText(hours: number): string {
  if (hours % 168 === 0) return hours === 168 ? '1 week' : `${hours / 168} weeks`;
  if (hours % 24 === 0) return hours === 24 ? '1 day' : `${hours / 24} days`;
  return hours === 1 ? '1 hour' : `${hours} hours`;
}

/** An ISO instant as a datetime-local value in the browser's time zone ("2026-11-26T14:00"). */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local value (browser time) as an ISO instant, or null when incomplete. */
export function fromLocalInput(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
