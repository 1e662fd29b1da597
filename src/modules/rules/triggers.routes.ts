import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { baseUrl, created, parseBody, parseId, parseIdList, resourceUrl } from '../../platform/http.js';
import { pageEnvelope, readPageRequest } from '../../platform/pagination.js';
import { idField } from '../../platform/validation.js';
import { requireAdmin, requireAgent } from '../../permissions/guards.js';
import { triggerDefinitions } from './definitions.js';
import { presentTrigger, type Trigger } from './rules.presenter.js';
import { booleanParam, triggerCreateSchema, triggerUpdateSchema, withRoot } from './rules.schema.js';
import { pageOfSorted, ruleSort } from './rule-pages.js';
import { createTrigger, deleteTriggers, findTrigger, listTriggers, reorderTriggers, updateTrigger, type TriggerFilter } from './triggers.service.js';
import './trigger-hooks.js';

/** Zendesk's Triggers API: agents read, admins write. Triggers run after every ticket write (trigger-run.ts). */
export function registerTriggerRoutes(app: FastifyInstance, ctx: AppContext) {
  const list = (fixed: Partial<TriggerFilter>) => async (req: FastifyRequest) => {
    requireAgent(req);
    const q = req.query as Record<string, unknown>;
    const page = readPageRequest(req);
    const rows = await listTriggers(ctx.db, {
      active: booleanParam(q.active, 'active'),
      categoryId: q.category_id !== undefined ? String(q.category_id) : undefined,
      sortBy: ruleSort(q.sort_by),
      desc: String(q.sort_order ?? '').toLowerCase() === 'desc',
      ...fixed,
    });
    return pageEnvelope(req, page, 'triggers', pageOfSorted(rows, page), (t: Trigger) => presentTrigger(baseUrl(req), t), rows.length);
  };

  app.get('/api/v2/triggers', list({}));
  app.get('/api/v2/triggers/active', list({ active: true }));
  app.get('/api/v2/triggers/search', async (req) => {
    const query = String((req.query as Record<string, unknown>).query ?? '').trim();
    if (!query) throw new AppError('BadRequest', 'query is required');
    return list({ query })(req);
  });

  app.get('/api/v2/triggers/definitions', async (req) => {
    requireAgent(req);
    return triggerDefinitions(ctx.db);
  });

  app.post('/api/v2/triggers', async (req, reply) => {
    requireAdmin(req);
    const { trigger: input } = parseBody(triggerCreateSchema, withRoot(req.body, 'trigger'), 'trigger');
    const trigger = await createTrigger(ctx.db, input);
    return created(reply, resourceUrl(baseUrl(req), `triggers/${trigger.id}`), { trigger: presentTrigger(baseUrl(req), trigger) });
  });

  app.put('/api/v2/triggers/reorder', async (req) => {
    requireAdmin(req);
    const { trigger_ids } = parseBody(z.object({ trigger_ids: z.array(idField).min(1).max(10_000) }), req.body);
    await reorderTriggers(ctx.db, trigger_ids);
    const rows = await listTriggers(ctx.db, {});
    return { triggers: rows.map((t) => presentTrigger(baseUrl(req), t)), next_page: null, previous_page: null, count: rows.length };
  });

  app.delete('/api/v2/triggers/destroy_many', async (req, reply) => {
    requireAdmin(req);
    const ids = parseIdList((req.query as Record<string, unknown>).ids);
    if (!ids.length) throw new AppError('BadRequest', 'ids is required');
    await deleteTriggers(ctx.db, ids);
    return reply.code(204).send();
  });

  app.get('/api/v2/triggers/:id', async (req) => {
    requireAgent(req);
    return { trigger: presentTrigger(baseUrl(req), await findTrigger(ctx.db, parseId((req.params as { id: string }).id))) };
  });

  app.put('/api/v2/triggers/:id', async (req) => {
    requireAdmin(req);
    const id = parseId((req.params as { id: string }).id);
    const { trigger: patch } = parseBody(triggerUpdateSchema, withRoot(req.body, 'trigger'), 'trigger');
    return { trigger: presentTrigger(baseUrl(req), await updateTrigger(ctx.db, id, patch)) };
  });

  app.delete('/api/v2/triggers/:id', async (req, reply) => {
    requireAdmin(req);
    await deleteTriggers(ctx.db, [parseId((req.params as { id: string }).id)]);
    return reply.code(204).send();
  });
}
