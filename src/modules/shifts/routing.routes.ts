import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { parseBody } from '../../platform/http.js';
import { requireAdmin, requireAgent } from '../../permissions/guards.js';
import { iso } from '../accounts/users.presenter.js';
import { getRoutingSettings, queuedTickets, saveRoutingSettings, STRATEGIES } from './routing.js';

const settingsBody = z.object({
  routing: z.object({
    enabled: z.boolean({ error: 'must be true or false' }).optional(),
    strategy: z.enum(STRATEGIES, { error: `must be one of ${STRATEGIES.join(', ')}` }).optional(),
  }),
});

/** The desk-wide routing setting (spec §10) and the tickets waiting for an on-shift agent. */
export function registerRoutingRoutes(app: FastifyInstance, ctx: AppContext) {
  app.get('/api/v2/routing/settings', async (req) => {
    requireAgent(req);
    return { routing: await getRoutingSettings(ctx.db) };
  });

  app.put('/api/v2/routing/settings', async (req) => {
    requireAdmin(req);
    const { routing } = parseBody(settingsBody, req.body, 'routing');
    return { routing: await saveRoutingSettings(ctx, routing) };
  });

  /** Urgent/high first, then oldest: the order routing takes them in. */
  app.get('/api/v2/routing/queue', async (req) => {
    requireAgent(req);
    const rows = await queuedTickets(ctx.db);
    return { queue: rows.map((r) => ({ ticket_id: r.ticket_id, urgent: r.urgent, queued_at: iso(r.queued_at) })), count: rows.length };
  });
}
