import type { HandoverReason } from '../api/handovers';
import type { PageDelivery, PageLevel, PageReason, PageStatus, Region } from '../api/oncall';
import { shiftLength } from '../../api/shifts';
import { weekdays } from '../../ui/weekdays';

export const PAGE_STATUS_LABEL: Record<PageStatus, string> = { open: 'Open', acknowledged: 'Acknowledged', resolved: 'Resolved' };
export const PAGE_STATUS_COLOR: Record<PageStatus, string> = { open: 'red', acknowledged: 'green', resolved: 'gray' };
export const LEVEL_LABEL: Record<PageLevel, string> = { primary: 'primary', backup: 'backup' };
export const PAGE_REASON_LABEL: Record<PageReason, string> = {
  created: 'Opened as urgent/high',
  priority_raised: 'Raised to urgent/high',
  first_reply_75: '75 % of the first-reply target used without a reply',
};

export const KIND_LABEL: Record<PageDelivery['kind'], string> = { mattermost: 'Mattermost', slack: 'Slack', pagerduty: 'PagerDuty', email: 'Email' };
export const DELIVERY_COLOR: Record<PageDelivery['status'], string> = { queued: 'blue', sent: 'green', failed: 'red' };
export const DELIVERY_LABEL: Record<PageDelivery['status'], string> = { queued: 'Queued', sent: 'Sent', failed: 'Failed' };

export const HANDOVER_REASON_LABEL: Record<HandoverReason, string> = {
  urgent_high: 'Urgent/high',
  customer_waiting: 'Customer waiting',
  sla_due_soon: 'SLA due soon',
  unassigned: 'Unassigned',
};
export const HANDOVER_REASON_COLOR: Record<HandoverReason, string> = { urgent_high: 'red', customer_waiting: 'orange', sla_due_soon: 'yellow', unassigned: 'gray' };

/** The agent's own time zone: the profile's when it is a zone the browser knows, else the browser's. */
export function agentZone(profileZone: string | null | undefined): string {
  if (profileZone) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: profileZone });
      return profileZone;
    } catch {
      // not an IANA name: fall through to the browser's zone
    }
  }
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** "Thu 26 Nov, 14:00" in `zone` (the browser's when omitted). */
export function when(iso: string, zone?: string): string {
  return new Date(iso).toLocaleString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone: zone });
}

/** "14:00" in `zone`. */
export const clock = (iso: string | Date, zone?: string) => new Date(iso).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: zone });

/** "in 12 min", "3 h 5 min ago": for repeat and escalation times that are minutes away. */
export function relativeMinutes(iso: string, now: number): string {
  const minutes = Math.round((new Date(iso).getTime() - now) / 60_000);
  const abs = Math.abs(minutes);
  const text = abs < 60 ? `${abs} min` : `${Math.floor(abs / 60)} h${abs % 60 ? ` ${abs % 60} min` : ''}`;
  if (minutes === 0) return 'now';
  return minutes > 0 ? `in ${text}` : `${text} ago`;
}

/**
 * The region's shift in the agent's own time, from a real shift start (the current or the next), so
 * daylight-saving time is that of the shift's date. Start days shift when the local date differs.
 */
export function localShift(r: Region, zone: string): string | null {
  const startIso = r.on_shift && r.shift_ends_at ? new Date(new Date(r.shift_ends_at).getTime() - shiftLength(r) * 60_000).toISOString() : r.next_shift_start;
  if (!startIso) return null;
  const start = new Date(startIso);
  const end = new Date(start.getTime() + shiftLength(r) * 60_000);
  const dayOf = (d: Date, z: string) => Number(new Intl.DateTimeFormat('en-CA', { timeZone: z, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d).replace(/-/g, ''));
  const shiftDays = Math.sign(dayOf(start, zone) - dayOf(start, 'UTC'));
  const endsNextDay = dayOf(end, zone) !== dayOf(start, zone);
  const days = r.shift_days.map((d) => ((d - 1 + shiftDays + 7) % 7) + 1).sort((a, b) => a - b);
  return `${clock(start, zone)}–${clock(end, zone)}${endsNextDay ? ' (+1 day)' : ''}, ${weekdays(days)}`;
}
