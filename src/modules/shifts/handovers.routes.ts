import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { baseUrl, parseBody, parseId, resourceUrl } from '../../platform/http.js';
import { pageEnvelope, readPageRequest } from '../../platform/pagination.js';
import { requireAgent } from '../../permissions/guards.js';
import { iso } from '../accounts/users.presenter.js';
import { acknowledgeHandover, currentTickets, findHandovers, getHandover, updateHandoverNotes, type Handover } from './handovers.js';

const idParam = (name: string) => z.string().regex(/^\d{1,15}$/, `${name} must be an id`).transform(Number).optional();
const listQuery = z.object({
  region_id: idParam('region_id'),
  from_region_id: idParam('from_region_id'),
  to_region_id: idParam('to_region_id'),
  acknowledged: z.enum(['true', 'false'], { error: 'acknowledged must be true or false' }).optional(),
});
const notesBody = z.object({ handover: z.object({ notes: z.string({ error: 'must be text' }).max(20_000, 'is too long (maximum is 20000 characters)') }) });

/** Query-string problems are 400s (BadRequest), as for the other list endpoints. */
function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  const result = schema.safeParse(query ?? {});
  if (!result.success) throw new AppError('BadRequest', result.error.issues.map((i) => i.message).join('; '));
  return result.data;
}

/** Handover notes written at each shift change (spec §10), and their acknowledgement by the incoming region. */
export function registerHandoverRoutes(app: FastifyInstance, ctx: AppContext) {
  const present = (base: string, h: Handover) => ({
    url: resourceUrl(base, `handovers/${h.id}`),
    id: h.id,
    from_region_id: h.from_region_id,
    to_region_id: h.to_region_id,
    shift_ended_at: iso(h.shift_ended_at),
    items: h.items,
    reassigned: h.reassigned,
    notes: h.notes,
    acknowledged: h.acknowledged_at !== null,
    acknowledged_at: iso(h.acknowledged_at),
    acknowledged_by: h.acknowledged_by,
    created_at: iso(h.created_at),
  });
  /** One handover, each item with its ticket as it is now (null once deleted). */
  const presentOne = async (base: string, h: Handover) => {
    const tickets = await currentTickets(ctx.db, h.items.map((i) => i.ticket_id));
    return {
      ...present(base, h),
      items: h.items.map((i) => {
        const t = tickets.get(i.ticket_id);
        return { ...i, ticket: t ? { url: resourceUrl(base, `tickets/${t.id}`), subject: t.subject, status: t.status, priority: t.priority, assignee_id: t.assignee_id } : null };
      }),
    };
  };

  /** Newest shift change first; `?region_id=` (either side), `from_region_id`, `to_region_id`, `acknowledged=true|false`, `page`, `per_page`. */
  app.get('/api/v2/handovers', async (req) => {
    requireAgent(req);
    const q = parseQuery(listQuery, req.query);
    const page = readPageRequest(req);
    if (page.mode !== 'offset') throw new AppError('InvalidPaginationParameter', 'Handovers are listed newest first with page and per_page');
    const rows = await findHandovers(ctx.db, {
      regionId: q.region_id,
      fromRegionId: q.from_region_id,
      toRegionId: q.to_region_id,
      acknowledged: q.acknowledged === undefined ? undefined : q.acknowledged === 'true',
      offset: (page.page - 1) * page.perPage,
      limit: page.perPage + 1,
    });
    return pageEnvelope(req, page, 'handovers', rows, (h) => present(baseUrl(req), h));
  });

  app.get('/api/v2/handovers/:id', async (req) => {
    requireAgent(req);
    return { handover: await presentOne(baseUrl(req), await getHandover(ctx.db, parseId((req.params as { id: string }).id))) };
  });

  app.put('/api/v2/handovers/:id', async (req) => {
    requireAgent(req);
    const id = parseId((req.params as { id: string }).id);
    const { handover } = parseBody(notesBody, req.body, 'handover');
    return { handover: await presentOne(baseUrl(req), await updateHandoverNotes(ctx, id, handover.notes)) };
  });

  app.post('/api/v2/handovers/:id/acknowledge', async (req) => {
    const actor = requireAgent(req);
    const h = await acknowledgeHandover(ctx, { actor, id: parseId((req.params as { id: string }).id) });
    return { handover: await presentOne(baseUrl(req), h) };
  });
}
