import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { parseId } from '../../platform/http.js';
import { requireAgent } from '../../permissions/guards.js';
import { iso } from '../accounts/users.presenter.js';
import { findTicket } from '../tickets/tickets.repository.js';

/** The ledger behind every SLA figure of a ticket, in Zendesk's ticket_metric_events shape. */
export function registerSlaTicketRoutes(app: FastifyInstance, ctx: AppContext) {
  app.get('/api/v2/tickets/:id/metric_events', async (req) => {
    requireAgent(req);
    const id = parseId((req.params as { id: string }).id);
    if (!(await findTicket(ctx.db, id))) throw notFound();
    const rows = await ctx.db.selectFrom('ticket_metric_events').selectAll().where('ticket_id', '=', id).orderBy('time').orderBy('id').execute();
    return {
      ticket_metric_events: rows.map((r) => ({
        id: r.id,
        ticket_id: r.ticket_id,
        metric: r.metric,
        instance_id: r.instance_id,
        type: r.type,
        time: iso(r.time),
        ...(r.type === 'apply_sla' ? { sla: r.sla ? { target: (r.sla as any).target, business_hours: (r.sla as any).business_hours, policy: { id: (r.sla as any).policy_id } } : null } : {}),
      })),
      count: rows.length,
    };
  });
}
