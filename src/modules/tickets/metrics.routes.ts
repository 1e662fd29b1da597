import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { baseUrl, parseId } from '../../platform/http.js';
import { applySlice, pageEnvelope, readPageRequest, sliceOf } from '../../platform/pagination.js';
import { requireAgent } from '../../permissions/guards.js';
import { visibleTickets } from '../../permissions/tickets.js';
import { metricsOf, presentTicketMetric } from './ticket-metrics.service.js';
import { findTicket } from './tickets.repository.js';

/** Zendesk's ticket metrics, computed from each ticket's audits when asked (ticket-metrics.ts). */
export function registerTicketMetricRoutes(app: FastifyInstance, ctx: AppContext) {
  const one = async (base: string, ticketId: number) => {
    const ticket = await findTicket(ctx.db, ticketId);
    if (!ticket) throw notFound();
    const metrics = await metricsOf(ctx.db, [ticket], ctx.clock.now());
    return { ticket_metric: presentTicketMetric(base, ticket, metrics.get(ticket.id)!) };
  };

  app.get('/api/v2/tickets/:id/metrics', async (req) => {
    requireAgent(req);
    return one(baseUrl(req), parseId((req.params as { id: string }).id));
  });

  // A metric's id is its ticket's id.
  app.get('/api/v2/ticket_metrics/:id', async (req) => {
    requireAgent(req);
    return one(baseUrl(req), parseId((req.params as { id: string }).id));
  });

  app.get('/api/v2/ticket_metrics', async (req) => {
    const actor = requireAgent(req);
    const page = readPageRequest(req);
    const query = ctx.db.selectFrom('tickets').selectAll().where(visibleTickets(actor));
    const rows = await applySlice(query, 'tickets.id', sliceOf(page)).execute();
    const count = page.mode === 'offset' ? Number((await query.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n) : undefined;
    const metrics = await metricsOf(ctx.db, rows, ctx.clock.now());
    return pageEnvelope(req, page, 'ticket_metrics', rows, (t) => presentTicketMetric(baseUrl(req), t, metrics.get(t.id)!), count);
  });
}
