import type { TicketPriority, TicketStatus } from './api/types';

export const STATUS_LABEL: Record<TicketStatus, string> = { new: 'New', open: 'Open', pending: 'Pending', hold: 'On-hold', solved: 'Solved', closed: 'Closed' };
// Zendesk's status colours, which agents coming from it read at a glance.
export const STATUS_COLOR: Record<TicketStatus, string> = { new: 'yellow', open: 'red', pending: 'blue', hold: 'dark', solved: 'gray', closed: 'gray' };

export const PRIORITY_LABEL: Record<TicketPriority, string> = { urgent: 'Urgent', high: 'High', normal: 'Normal', low: 'Low' };
export const PRIORITY_COLOR: Record<TicketPriority, string> = { urgent: 'red', high: 'orange', normal: 'blue', low: 'gray' };
export const PRIORITIES: TicketPriority[] = ['urgent', 'high', 'normal', 'low'];

const PLAN_LABEL: Record<string, string> = { enterprise: 'Enterprise', professional: 'Professional', premier: 'Premier', starter: 'Starter', free: 'Free' };
export const planLabel = (plan: string | null | undefined) => (plan ? (PLAN_LABEL[plan] ?? plan.charAt(0).toUpperCase() + plan.slice(1)) : '—');

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86400],
  ['month', 30 * 86400],
  ['day', 86400],
  ['hour', 3600],
  ['minute', 60],
];

/** "3 hours ago": lists are scanned for freshness, not exact times (those are in the title attribute). */
export function timeAgo(iso: string, now = Date.now()): string {
  const seconds = (new Date(iso).getTime() - now) / 1000;
  for (const [unit, size] of STEPS) if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  return 'just now';
}

export const dateTime = (iso: string) => new Date(iso).toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short' });

/** The customer's wall-clock time, so an agent knows whether they are awake (follow-the-sun). */
export function localTime(timeZone: string | null | undefined): string | null {
  if (!timeZone) return null;
  try {
    return new Date().toLocaleTimeString('en', { timeZone, hour: '2-digit', minute: '2-digit' });
  } catch {
    return null; // an unknown zone name: show nothing rather than a wrong time
  }
}

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export const byId = <T extends { id: number }>(items: T[] | undefined) => new Map((items ?? []).map((x) => [x.id, x]));
