import type { Status } from '../../platform/db-types.js';
import { openMillisBetween, type Calendar } from '../sla/calendar.js';

/** What one audit says, as far as Zendesk's ticket metrics care. */
export interface MetricAudit {
  at: Date;
  authorId: number | null;
  /** Create/Change events by field name (status, assignee_id, group_id), with their new values. */
  fields: Record<string, unknown>;
  /** Comments added by this audit. */
  comments: { public: boolean; byAgent: boolean }[];
}

export interface MetricTicket {
  createdAt: Date;
  requesterId: number;
  assigneeId: number | null;
}

/** Minutes on the wall clock and on the ticket's business calendar; null while nothing was measured. */
export interface Minutes {
  calendar: number | null;
  business: number | null;
}

export interface TicketMetricValues {
  replyTime: Minutes;
  replyTimeSeconds: number | null;
  firstResolutionTime: Minutes;
  fullResolutionTime: Minutes;
  agentWaitTime: Minutes;
  requesterWaitTime: Minutes;
  onHoldTime: Minutes;
  reopens: number;
  replies: number;
  assigneeStations: number;
  groupStations: number;
  initiallyAssignedAt: Date | null;
  assignedAt: Date | null;
  statusUpdatedAt: Date;
  latestCommentAddedAt: Date | null;
  assigneeUpdatedAt: Date | null;
  requesterUpdatedAt: Date | null;
}

const MINUTE = 60_000;

/** Zendesk reports whole minutes; ours are rounded to the nearest one. */
function minutesOf(calendar: Calendar, spans: [Date, Date][]): Minutes {
  const wall = spans.reduce((sum, [a, b]) => sum + Math.max(0, b.getTime() - a.getTime()), 0);
  const open = spans.reduce((sum, [a, b]) => sum + openMillisBetween(calendar, a, b), 0);
  return { calendar: Math.round(wall / MINUTE), business: Math.round(open / MINUTE) };
}

const NONE: Minutes = { calendar: null, business: null };
const RESOLVED: ReadonlySet<Status> = new Set(['solved', 'closed']);
/** Statuses in which the requester waits on the team (Zendesk: new, open, on-hold). */
const REQUESTER_WAITS: ReadonlySet<Status> = new Set(['new', 'open', 'hold']);

/**
 * Zendesk's ticket metrics (api-reference/ticketing/tickets/ticket_metrics) computed from a ticket's
 * audits, oldest first; the first audit is the creation. Definitions, where Zendesk's docs leave room:
 * - a reply is a public comment by an agent after creation; reply time runs from creation to the first;
 * - a resolution is a change to solved, or to closed from an unsolved status (a merge closes directly);
 *   first and full resolution time run from creation to the first and to the latest of them;
 * - agent wait is time in pending, on-hold time time in hold, requester wait time in new, open and hold,
 *   each summed over the ticket's life until `now` (time still running on an unsolved ticket counts);
 * - reopens count changes from solved back to an open status; assignee and group stations count the
 *   changes to a (different) non-empty assignee or group, the first assignment included.
 * Business minutes use `calendar`, the ticket's business hours (its SLA calendar with business hours).
 */
export function computeTicketMetrics(ticket: MetricTicket, audits: MetricAudit[], calendar: Calendar, now: Date): TicketMetricValues {
  const spans: Record<'pending' | 'hold' | 'waiting', [Date, Date][]> = { pending: [], hold: [], waiting: [] };
  let status: Status = (audits[0]?.fields.status as Status | undefined) ?? 'new';
  let since = ticket.createdAt;
  let statusUpdatedAt = audits[0]?.at ?? ticket.createdAt;
  const close = (until: Date) => {
    if (status === 'pending') spans.pending.push([since, until]);
    if (status === 'hold') spans.hold.push([since, until]);
    if (REQUESTER_WAITS.has(status)) spans.waiting.push([since, until]);
  };

  let firstReply: Date | null = null;
  let replies = 0;
  let reopens = 0;
  const resolutions: Date[] = RESOLVED.has(status) ? [ticket.createdAt] : [];
  let assignee: number | null = null;
  let group: number | null = null;
  let assigneeStations = 0;
  let groupStations = 0;
  let initiallyAssignedAt: Date | null = null;
  let assignedAt: Date | null = null;
  let latestComment: Date | null = null;
  let assigneeUpdatedAt: Date | null = null;
  let requesterUpdatedAt: Date | null = null;

  for (const [i, audit] of audits.entries()) {
    const f = audit.fields;
    if (i > 0) {
      for (const c of audit.comments) {
        if (c.public && c.byAgent) {
          replies++;
          firstReply ??= audit.at;
        }
      }
      const next = f.status as Status | 'deleted' | undefined;
      if (next !== undefined && next !== 'deleted' && next !== status) {
        close(audit.at);
        if (status === 'solved' && !RESOLVED.has(next)) reopens++;
        if (next === 'solved' || (next === 'closed' && status !== 'solved')) resolutions.push(audit.at);
        status = next;
        since = audit.at;
        statusUpdatedAt = audit.at;
      }
    }
    if (audit.comments.length) latestComment = audit.at;
    if ('assignee_id' in f && f.assignee_id !== assignee) {
      assignee = (f.assignee_id as number | null) ?? null;
      if (assignee !== null) {
        assigneeStations++;
        initiallyAssignedAt ??= audit.at;
        assignedAt = audit.at;
      }
    }
    if ('group_id' in f && f.group_id !== group) {
      group = (f.group_id as number | null) ?? null;
      if (group !== null) groupStations++;
    }
    if (audit.authorId !== null && audit.authorId === ticket.assigneeId) assigneeUpdatedAt = audit.at;
    if (audit.authorId !== null && audit.authorId === ticket.requesterId) requesterUpdatedAt = audit.at;
  }
  if (!RESOLVED.has(status)) close(now);

  const created = ticket.createdAt;
  const first = resolutions[0];
  const last = resolutions[resolutions.length - 1];
  return {
    replyTime: firstReply ? minutesOf(calendar, [[created, firstReply]]) : NONE,
    replyTimeSeconds: firstReply ? Math.round((firstReply.getTime() - created.getTime()) / 1000) : null,
    firstResolutionTime: first ? minutesOf(calendar, [[created, first]]) : NONE,
    fullResolutionTime: last ? minutesOf(calendar, [[created, last]]) : NONE,
    agentWaitTime: minutesOf(calendar, spans.pending),
    requesterWaitTime: minutesOf(calendar, spans.waiting),
    onHoldTime: minutesOf(calendar, spans.hold),
    reopens,
    replies,
    assigneeStations,
    groupStations,
    initiallyAssignedAt,
    assignedAt,
    statusUpdatedAt,
    latestCommentAddedAt: latestComment,
    assigneeUpdatedAt,
    requesterUpdatedAt,
  };
}
