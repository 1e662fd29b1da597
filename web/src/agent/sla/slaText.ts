import type { SlaPolicyMetric, SlaStage, TicketMetricEvent } from '../api/types';

/** The names agents know the clocks by (the same words as the SLA warning mails). */
const METRIC_LABEL: Record<string, string> = {
  first_reply_time: 'First reply',
  next_reply_time: 'Next reply',
  pausable_update_time: 'Regular update',
  periodic_update_time: 'Periodic update',
  requester_wait_time: 'Requester wait',
  agent_work_time: 'Agent work',
  total_resolution_time: 'Total resolution',
};

const fallbackLabel = (metric: string) => {
  const words = metric.replace(/_time$/, '').replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** "Next reply", or "Next reply #2" for a later clock of the same kind (each customer wait starts one). */
export const metricLabel = (metric: string, instance = 1) => `${METRIC_LABEL[metric] ?? fallbackLabel(metric)}${instance > 1 ? ` #${instance}` : ''}`;

export const STAGE_LABEL: Record<SlaStage, string> = { active: 'Active', paused: 'Paused', achieved: 'Achieved', breached: 'Breached' };
export const STAGE_COLOR: Record<SlaStage, string> = { active: 'green', paused: 'gray', achieved: 'teal', breached: 'red' };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Compact time left for the list column: "42m", "3h 10m", "2d 4h". Rounded down: a countdown must
 * never promise more time than there is.
 */
export function countdown(ms: number): string {
  if (ms < MINUTE) return '<1m';
  const days = Math.floor(ms / DAY);
  const hours = Math.floor((ms % DAY) / HOUR);
  const minutes = Math.floor((ms % HOUR) / MINUTE);
  if (days > 0) return hours ? `${days}d ${hours}h` : `${days}d`;
  if (hours > 0) return minutes ? `${hours}h ${minutes}m` : `${hours}h`;
  return `${minutes}m`;
}

/** A span of minutes in words for the ticket page: "40 min", "3 h 10 min", "2 d 4 h". */
export function minutesText(total: number): string {
  const m = Math.max(0, Math.floor(total));
  const days = Math.floor(m / 1440);
  const hours = Math.floor((m % 1440) / 60);
  const minutes = m % 60;
  if (days > 0) return [`${days} d`, hours ? `${hours} h` : ''].filter(Boolean).join(' ');
  if (hours > 0) return [`${hours} h`, minutes ? `${minutes} min` : ''].filter(Boolean).join(' ');
  return `${minutes} min`;
}

const calendarKind = (businessHours: boolean) => (businessHours ? 'business hours' : 'calendar hours');

/** "1 h, calendar hours" / "8 h, business hours": the goal and the clock it runs on. */
export const targetText = (minutes: number, businessHours: boolean) => `${minutesText(minutes)}, ${calendarKind(businessHours)}`;

export const metricTarget = (m: SlaPolicyMetric) => targetText(m.days * 1440 + m.hours * 60 + m.minutes, m.business_hours);

const ago = (ms: number) => (ms < MINUTE ? 'just now' : `${minutesText(ms / MINUTE)} ago`);

/** The few words beside the stage badge: when it is due, when it breached, when it was met. */
export function stageDetail(m: SlaPolicyMetric, now: number, fulfilledAt?: string): string | null {
  const due = m.breach_at ? new Date(m.breach_at).getTime() : null;
  if (m.stage === 'breached' && due !== null) return `breached ${ago(now - due)}`;
  if (m.stage === 'active' && due !== null) return due - now >= MINUTE ? `due in ${minutesText((due - now) / MINUTE)}` : 'due now';
  // A paused clock has no due time: it moves again when the ticket leaves the pausing status.
  if (m.stage === 'paused') return 'clock stopped';
  if (m.stage === 'achieved' && fulfilledAt) return `met ${ago(now - new Date(fulfilledAt).getTime())}`;
  return null;
}

/** The ledger of one clock instance, oldest first, in words ("Started", "Paused", "Resumed", …). */
export function describeLedger(events: TicketMetricEvent[]): { id: number; time: string; text: string; type: TicketMetricEvent['type'] }[] {
  let started = false;
  let targeted = false;
  return events.map((e) => {
    let text: string;
    if (e.type === 'activate') {
      text = started ? 'Resumed' : 'Started';
      started = true;
    } else if (e.type === 'pause') text = 'Paused';
    else if (e.type === 'apply_sla') {
      // The first target comes with the start; later ones follow a change of priority or plan.
      text = e.sla ? `${targeted ? 'Target changed to' : 'Target applied:'} ${targetText(e.sla.target, e.sla.business_hours)}` : 'No target applies';
      targeted = true;
    } else if (e.type === 'fulfill') text = 'Fulfilled';
    else text = 'Breached';
    return { id: e.id, time: e.time, text, type: e.type };
  });
}
