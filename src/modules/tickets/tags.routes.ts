import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { parseBody, parseId } from '../../platform/http.js';
import { pageEnvelope, readPageRequest } from '../../platform/pagination.js';
import { requireAgent } from '../../permissions/guards.js';
import { countTags, editTicketTags, popularTags, type TagEdit } from './tags.service.js';
import { ticketWriteFields } from './ticket.schema.js';
import { findTicket } from './tickets.repository.js';

const tagsBody = z.object({
  tags: ticketWriteFields.tags.unwrap(),
  safe_update: z.boolean().optional(),
  updated_stamp: z.iso.datetime({ offset: true }).optional(),
});

/** Ticket tags (Zendesk: GET shows, POST replaces, PUT adds, DELETE removes) and the most used tags. */
export function registerTagRoutes(app: FastifyInstance, ctx: AppContext) {
  app.get('/api/v2/tickets/:id/tags', async (req) => {
    requireAgent(req);
    const ticket = await findTicket(ctx.db, parseId((req.params as { id: string }).id));
    if (!ticket) throw notFound();
    return { tags: ticket.tags };
  });

  const edit = (verb: (tags: string[]) => TagEdit) => async (req: FastifyRequest) => {
    const actor = requireAgent(req);
    const ticketId = parseId((req.params as { id: string }).id);
    // DELETE may name the tags in the query (?tags=a,b) instead of a body.
    const query = (req.query as Record<string, unknown>).tags;
    const body = req.body === undefined && req.method === 'DELETE' && typeof query === 'string' ? { tags: query.split(',').map((t) => t.trim()).filter(Boolean) } : req.body;
    const input = parseBody(tagsBody, body, 'tags');
    const { ticket } = await editTicketTags(ctx, {
      actor,
      ticketId,
      edit: verb(input.tags),
      via: 'api',
      safeUpdate: input.safe_update,
      updatedStamp: input.updated_stamp ? new Date(input.updated_stamp) : undefined,
    });
    return { tags: ticket.tags };
  };
  app.post('/api/v2/tickets/:id/tags', edit((tags) => ({ set: tags })));
  app.put('/api/v2/tickets/:id/tags', edit((tags) => ({ add: tags })));
  app.delete('/api/v2/tickets/:id/tags', edit((tags) => ({ remove: tags })));

  /**
   * The tags on live tickets, most used first, with their counts. Pages by offset, or by cursor with
   * `page[size]` (node-zendesk sends it); the cursor is a position in this ranking, so a page boundary
   * may shift while tickets change.
   */
  app.get('/api/v2/tags', async (req) => {
    requireAgent(req);
    const page = readPageRequest(req);
    let rows: { id: number; name: string; count: number }[];
    if (page.mode === 'offset') {
      const offset = (page.page - 1) * page.perPage;
      rows = (await popularTags(ctx.db, { offset, limit: page.perPage + 1 })).map((t, i) => ({ id: offset + i + 1, ...t }));
    } else if (page.beforeId !== undefined && page.afterId === undefined) {
      // Backwards: the rows before the cursor's position, nearest first, as pageEnvelope expects.
      const end = page.beforeId - 1;
      const start = Math.max(0, end - (page.size + 1));
      rows = (await popularTags(ctx.db, { offset: start, limit: end - start })).map((t, i) => ({ id: start + i + 1, ...t })).reverse();
    } else {
      const offset = page.afterId ?? 0;
      rows = (await popularTags(ctx.db, { offset, limit: page.size + 1 })).map((t, i) => ({ id: offset + i + 1, ...t }));
    }
    const count = page.mode === 'offset' ? await countTags(ctx.db) : undefined;
    return pageEnvelope(req, page, 'tags', rows, (t) => ({ name: t.name, count: t.count }), count);
  });
}
