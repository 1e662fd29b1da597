import type { Executor } from '../../platform/db.js';
import type { Ticket } from '../../platform/db-types.js';
import { resourceUrl } from '../../platform/http.js';
import { iso } from '../accounts/users.presenter.js';
import { calendarFor } from '../sla/policies.service.js';
import { defaultHolidayDates } from '../sla/schedules.service.js';
import { computeTicketMetrics, type MetricAudit, type Minutes, type TicketMetricValues } from './ticket-metrics.js';

const TRACKED_FIELDS = new Set(['status', 'assignee_id', 'group_id']);

/** Each ticket's metrics as of `now`, from its audits (one query for audits, one for their events). */
export async function metricsOf(db: Executor, tickets: Ticket[], now: Date): Promise<Map<number, TicketMetricValues>> {
  const out = new Map<number, TicketMetricValues>();
  if (!tickets.length) return out;
  const ids = tickets.map((t) => t.id);
  const [audits, events, orgs, holidays] = await Promise.all([
    db.selectFrom('ticket_audits').select(['id', 'ticket_id', 'author_id', 'created_at']).where('ticket_id', 'in', ids).orderBy('id').execute(),
    db
      .selectFrom('ticket_audit_events')
      .innerJoin('ticket_audits', 'ticket_audits.id', 'ticket_audit_events.audit_id')
      .leftJoin('ticket_comments', 'ticket_comments.id', 'ticket_audit_events.comment_id')
      .leftJoin('users', 'users.id', 'ticket_comments.author_id')
      .select(['ticket_audit_events.audit_id', 'ticket_audit_events.type', 'ticket_audit_events.field_name', 'ticket_audit_events.value', 'ticket_comments.public', 'users.role'])
      .where('ticket_audits.ticket_id', 'in', ids)
      .where('ticket_audit_events.type', 'in', ['Create', 'Change', 'Comment'])
      .orderBy('ticket_audit_events.id')
      .execute(),
    db.selectFrom('organizations').select(['id', 'support_plan', 'time_zone']).where('id', 'in', [...new Set(tickets.map((t) => t.organization_id ?? -1))]).execute(),
    defaultHolidayDates(db),
  ]);
  const byAudit = new Map<number, MetricAudit>();
  const byTicket = new Map<number, MetricAudit[]>(ids.map((id) => [id, []]));
  for (const a of audits) {
    const audit: MetricAudit = { at: a.created_at, authorId: a.author_id, fields: {}, comments: [] };
    byAudit.set(a.id, audit);
    byTicket.get(a.ticket_id)!.push(audit);
  }
  for (const e of events) {
    const audit = byAudit.get(e.audit_id)!;
    if (e.type === 'Comment') audit.comments.push({ public: e.public ?? false, byAgent: e.role !== null && e.role !== 'end-user' });
    else if (e.field_name && TRACKED_FIELDS.has(e.field_name)) audit.fields[e.field_name] = e.value;
  }
  for (const t of tickets) {
    const org = orgs.find((o) => o.id === t.organization_id);
    // Business minutes run on the calendar the ticket's business-hours SLA targets use: Mon–Fri 09:00–17:00
    // in its organization's time zone, minus holidays, plus the Premier weekend cover for urgent and high.
    const calendar = calendarFor({ business_hours: true }, { plan: org?.support_plan ?? 'free', priority: t.priority, timeZone: org?.time_zone ?? null, holidays });
    out.set(t.id, computeTicketMetrics({ createdAt: t.created_at, requesterId: t.requester_id, assigneeId: t.assignee_id }, byTicket.get(t.id)!, calendar, now));
  }
  return out;
}

const minutes = (m: Minutes) => ({ calendar: m.calendar, business: m.business });

/**
 * Zendesk's ticket_metric. The metric's id is the ticket's id (Sundial keeps one metric set per ticket,
 * computed on read). `custom_status_updated_at` is null: Sundial has no custom statuses.
 */
export function presentTicketMetric(base: string, t: Ticket, m: TicketMetricValues) {
  return {
    url: resourceUrl(base, `ticket_metrics/${t.id}`),
    id: t.id,
    ticket_id: t.id,
    created_at: iso(t.created_at),
    updated_at: iso(t.updated_at),
    group_stations: m.groupStations,
    assignee_stations: m.assigneeStations,
    reopens: m.reopens,
    replies: m.replies,
    assignee_updated_at: iso(m.assigneeUpdatedAt),
    requester_updated_at: iso(m.requesterUpdatedAt),
    status_updated_at: iso(m.statusUpdatedAt),
    custom_status_updated_at: null,
    initially_assigned_at: iso(m.initiallyAssignedAt),
    assigned_at: iso(m.assignedAt),
    solved_at: iso(t.solved_at),
    latest_comment_added_at: iso(m.latestCommentAddedAt),
    reply_time_in_minutes: minutes(m.replyTime),
    reply_time_in_seconds: { calendar: m.replyTimeSeconds },
    first_resolution_time_in_minutes: minutes(m.firstResolutionTime),
    full_resolution_time_in_minutes: minutes(m.fullResolutionTime),
    agent_wait_time_in_minutes: minutes(m.agentWaitTime),
    requester_wait_time_in_minutes: minutes(m.requesterWaitTime),
    on_hold_time_in_minutes: minutes(m.onHoldTime),
  };
}
