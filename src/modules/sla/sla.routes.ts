import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import type { Selectable } from 'kysely';
import type { TicketMetricEventsTable } from '../../platform/db-types.js';
import { AppError, notFound } from '../../platform/errors.js';
import { parseId } from '../../platform/http.js';
import { requireAgent } from '../../permissions/guards.js';
import { iso } from '../accounts/users.presenter.js';
import { findTicket } from '../tickets/tickets.repository.js';

type MetricEventRow = Selectable<TicketMetricEventsTable>;

const presentMetricEvent = (r: MetricEventRow) => {
  const sla = r.sla as { target: number; business_hours: boolean; policy_id: number } | null;
  return {
    id: r.id,
    ticket_id: r.ticket_id,
    metric: r.metric,
    instance_id: r.instance_id,
    type: r.type,
    time: iso(r.time),
    ...(r.type === 'apply_sla' ? { sla: sla ? { target: sla.target, business_hours: sla.business_hours, policy: { id: sla.policy_id } } : null } : {}),
  };
};

/** The ledger behind every SLA figure of a ticket, in Zendesk's ticket_metric_events shape. */
export function registerSlaTicketRoutes(app: FastifyInstance, ctx: AppContext) {
  app.get('/api/v2/tickets/:id/metric_events', async (req) => {
    requireAgent(req);
    const id = parseId((req.params as { id: string }).id);
    if (!(await findTicket(ctx.db, id))) throw notFound();
    const rows = await ctx.db.selectFrom('ticket_metric_events').selectAll().where('ticket_id', '=', id).orderBy('time').orderBy('id').execute();
    return {
      ticket_metric_events: rows.map(presentMetricEvent),
      count: rows.length,
    };
  });
}

/**
 * Zendesk's incremental ticket metric events export: every ledger event since `start_time` (unix
 * seconds), oldest first, 1000 per page; `end_time` is the start of the next page.
 */
export function registerSlaExportRoutes(app: FastifyInstance, ctx: AppContext) {
  app.get('/api/v2/incremental/ticket_metric_events', async (req) => {
    requireAgent(req);
    const raw = (req.query as Record<string, unknown>).start_time;
    const start = Number(raw);
    if (raw === undefined || !Number.isFinite(start) || start < 0) throw new AppError('BadRequest', 'start_time must be a unix timestamp in seconds');
    const rows = await ctx.db
      .selectFrom('ticket_metric_events')
      .selectAll()
      .where('time', '>=', new Date(start * 1000))
      .orderBy('time')
      .orderBy('id')
      .limit(1001)
      .execute();
    const page = rows.slice(0, 1000);
    const more = rows.length > 1000;
    // The next page starts at the last event's second; events of that second repeat rather than go missing.
    const endTime = page.length ? Math.floor(page[page.length - 1].time.getTime() / 1000) : Math.floor(start);
    const base = `${req.protocol}://${req.host}/api/v2/incremental/ticket_metric_events.json?start_time=`;
    return {
      ticket_metric_events: page.map(presentMetricEvent),
      count: page.length,
      end_time: endTime,
      next_page: more ? `${base}${endTime === Math.floor(start) ? endTime + 1 : endTime}` : null,
      end_of_stream: !more,
    };
  });
}

/**
 * In-app side of the 75 % warnings: the caller's warnings of the last 24 hours on tickets assigned to
 * them that are still unsolved, newest first.
 */
export function registerSlaWarningRoutes(app: FastifyInstance, ctx: AppContext) {
  app.get('/api/v2/sla/warnings', async (req) => {
    const actor = requireAgent(req);
    const rows = await ctx.db
      .selectFrom('sla_warnings')
      .innerJoin('tickets', 'tickets.id', 'sla_warnings.ticket_id')
      .select(['sla_warnings.ticket_id', 'sla_warnings.metric', 'sla_warnings.instance_id', 'sla_warnings.breach_at', 'sla_warnings.warned_at', 'tickets.subject', 'tickets.priority'])
      .where('tickets.assignee_id', '=', actor.user.id)
      .where('tickets.status', 'not in', ['solved', 'closed'])
      .where('tickets.deleted_at', 'is', null)
      .where('sla_warnings.warned_at', '>', new Date(Date.now() - 86_400_000))
      .orderBy('sla_warnings.warned_at', 'desc')
      .limit(50)
      .execute();
    return {
      sla_warnings: rows.map((r) => ({ ticket_id: r.ticket_id, subject: r.subject, priority: r.priority, metric: r.metric, instance_id: r.instance_id, breach_at: iso(r.breach_at), warned_at: iso(r.warned_at) })),
    };
  });
}
