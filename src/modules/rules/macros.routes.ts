import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { baseUrl, created, parseBody, parseId, resourceUrl } from '../../platform/http.js';
import { pageEnvelope, readPageRequest } from '../../platform/pagination.js';
import { requireAgent } from '../../permissions/guards.js';
import { findTicket } from '../tickets/tickets.repository.js';
import { previewMacro } from './macro-apply.js';
import { createMacro, deleteMacro, findMacro, listMacros, updateMacro, type MacroFilter } from './macros.service.js';
import { presentMacro, type Macro } from './rules.presenter.js';
import { booleanParam, macroCreateSchema, macroUpdateSchema, withRoot } from './rules.schema.js';
import { pageOfSorted, ruleSort } from './rule-pages.js';

/** Zendesk's Macros API: agents read and apply (preview) macros; admins manage them, agents their personal ones. */
export function registerMacroRoutes(app: FastifyInstance, ctx: AppContext) {
  const list = (fixed: Partial<MacroFilter>) => async (req: FastifyRequest) => {
    const actor = requireAgent(req);
    const q = req.query as Record<string, unknown>;
    const access = q.access === undefined ? undefined : String(q.access);
    if (access !== undefined && !['personal', 'shared', 'agents', 'account'].includes(access)) throw new AppError('BadRequest', 'access must be one of personal, shared, agents, account');
    const page = readPageRequest(req);
    const rows = await listMacros(ctx.db, actor, {
      active: booleanParam(q.active, 'active'),
      access: access as MacroFilter['access'],
      groupId: q.group_id !== undefined ? parseId(q.group_id) : undefined,
      sortBy: ruleSort(q.sort_by),
      desc: String(q.sort_order ?? '').toLowerCase() === 'desc',
      ...fixed,
    });
    return pageEnvelope(req, page, 'macros', pageOfSorted(rows, page), (m: Macro) => presentMacro(baseUrl(req), m), rows.length);
  };

  app.get('/api/v2/macros', list({}));
  app.get('/api/v2/macros/active', list({ active: true }));
  app.get('/api/v2/macros/search', async (req) => {
    const query = String((req.query as Record<string, unknown>).query ?? '').trim();
    if (!query) throw new AppError('BadRequest', 'query is required');
    return list({ query })(req);
  });
  // Sundial has no macro categories; the list exists so clients that read it work.
  app.get('/api/v2/macros/categories', async (req) => {
    requireAgent(req);
    return { categories: [] };
  });

  app.post('/api/v2/macros', async (req, reply) => {
    const actor = requireAgent(req);
    const { macro: input } = parseBody(macroCreateSchema, withRoot(req.body, 'macro'), 'macro');
    const macro = await createMacro(ctx.db, actor, input);
    return created(reply, resourceUrl(baseUrl(req), `macros/${macro.id}`), { macro: presentMacro(baseUrl(req), macro) });
  });

  app.get('/api/v2/macros/:id', async (req) => {
    const actor = requireAgent(req);
    return { macro: presentMacro(baseUrl(req), await findMacro(ctx.db, actor, parseId((req.params as { id: string }).id))) };
  });

  app.put('/api/v2/macros/:id', async (req) => {
    const actor = requireAgent(req);
    const id = parseId((req.params as { id: string }).id);
    const { macro: patch } = parseBody(macroUpdateSchema, withRoot(req.body, 'macro'), 'macro');
    return { macro: presentMacro(baseUrl(req), await updateMacro(ctx.db, actor, id, patch)) };
  });

  app.delete('/api/v2/macros/:id', async (req, reply) => {
    const actor = requireAgent(req);
    await deleteMacro(ctx.db, actor, parseId((req.params as { id: string }).id));
    return reply.code(204).send();
  });

  app.get('/api/v2/macros/:id/apply', async (req) => {
    const actor = requireAgent(req);
    const macro = await findMacro(ctx.db, actor, parseId((req.params as { id: string }).id));
    return previewMacro(ctx.db, { actor, macro, ticket: null, base: baseUrl(req), publicUrl: ctx.config.publicUrl });
  });

  app.get('/api/v2/tickets/:id/macros/:mid/apply', async (req) => {
    const actor = requireAgent(req);
    const params = req.params as { id: string; mid: string };
    const ticket = await findTicket(ctx.db, parseId(params.id));
    if (!ticket) throw notFound();
    const macro = await findMacro(ctx.db, actor, parseId(params.mid));
    return previewMacro(ctx.db, { actor, macro, ticket, base: baseUrl(req), publicUrl: ctx.config.publicUrl });
  });
}
