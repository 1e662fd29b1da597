import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { baseUrl, includes, parseId, parseIdList, resourceUrl } from '../../platform/http.js';
import { readPageRequest } from '../../platform/pagination.js';
import { requireAgent } from '../../permissions/guards.js';
import { visibleTickets } from '../../permissions/tickets.js';
import type { Actor } from '../accounts/actor.js';
import { presentTickets, sideLoads } from '../tickets/ticket-views.js';
import { priorityRank, SORT_KEYS, VIEWS, type SortKey, type ViewDefinition } from './view-definitions.js';

const presentView = (base: string, v: ViewDefinition) => ({
  url: resourceUrl(base, `views/${v.id}`),
  id: v.id,
  title: v.title,
  raw_title: v.title,
  description: v.description,
  active: true,
  position: v.id,
  default: true,
  restriction: null,
  execution: { sort_by: v.sort.by, sort_order: v.sort.order, group_by: null, columns: [] },
});

const viewOf = (id: unknown) => {
  const view = VIEWS.find((v) => v.id === parseId(id));
  if (!view) throw notFound();
  return view;
};

/** Built-in agent views (Zendesk's Views API shape): lists, counts, and their tickets. */
export function registerViewRoutes(app: FastifyInstance, ctx: AppContext) {
  const ticketsIn = (actor: Actor, view: ViewDefinition) =>
    ctx.db
      .selectFrom('tickets')
      .where(visibleTickets(actor))
      .where((eb) => view.filter(eb, actor));

  app.get('/api/v2/views', async (req) => {
    requireAgent(req);
    return { views: VIEWS.map((v) => presentView(baseUrl(req), v)), next_page: null, previous_page: null, count: VIEWS.length };
  });
  app.get('/api/v2/views/active', async (req) => {
    requireAgent(req);
    return { views: VIEWS.map((v) => presentView(baseUrl(req), v)), next_page: null, previous_page: null, count: VIEWS.length };
  });

  app.get('/api/v2/views/:id', async (req) => {
    requireAgent(req);
    return { view: presentView(baseUrl(req), viewOf((req.params as { id: string }).id)) };
  });

  const count = async (actor: Actor, view: ViewDefinition) =>
    Number((await ticketsIn(actor, view).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  app.get('/api/v2/views/count_many', async (req) => {
    const actor = requireAgent(req);
    const ids = parseIdList((req.query as Record<string, unknown>).ids, 20);
    const views = ids.map((id) => VIEWS.find((v) => v.id === id)).filter((v): v is ViewDefinition => !!v);
    const counts = await Promise.all(views.map((v) => count(actor, v)));
    return { view_counts: views.map((v, i) => ({ view_id: v.id, url: resourceUrl(baseUrl(req), `views/${v.id}/count`), value: counts[i], pretty: String(counts[i]), fresh: true })) };
  });

  app.get('/api/v2/views/:id/count', async (req) => {
    const actor = requireAgent(req);
    const view = viewOf((req.params as { id: string }).id);
    const value = await count(actor, view);
    return { view_count: { view_id: view.id, url: resourceUrl(baseUrl(req), `views/${view.id}/count`), value, pretty: String(value), fresh: true } };
  });

  app.get('/api/v2/views/:id/tickets', async (req: FastifyRequest) => {
    const actor = requireAgent(req);
    const view = viewOf((req.params as { id: string }).id);
    const q = req.query as Record<string, unknown>;
    const page = readPageRequest(req);
    if (page.mode !== 'offset') throw new AppError('InvalidPaginationParameter', 'Views page by page and per_page');
    const sortBy = (q.sort_by ?? view.sort.by) as SortKey;
    if (!SORT_KEYS.includes(sortBy)) throw new AppError('BadRequest', `sort_by must be one of ${SORT_KEYS.join(', ')}`);
    const order = q.sort_order === 'asc' || q.sort_order === 'desc' ? q.sort_order : view.sort.order;
    const sortExpr = sortBy === 'priority' ? priorityRank : sql.ref(`tickets.${sortBy}`);
    const rows = await ticketsIn(actor, view)
      .selectAll('tickets')
      // Tickets with no running target sort after those with one, whatever the direction.
      .orderBy(sql`${sortExpr} ${sql.raw(order)} NULLS LAST`)
      .orderBy('tickets.id', order)
      .limit(page.perPage + 1)
      .offset((page.page - 1) * page.perPage)
      .execute();
    const total = await count(actor, view);
    const hasMore = rows.length > page.perPage;
    const items = rows.slice(0, page.perPage);
    const present = await presentTickets(ctx.db, baseUrl(req), items);
    const link = (n: number) => {
      const url = new URL(req.originalUrl, baseUrl(req));
      url.searchParams.set('page', String(n));
      url.searchParams.set('per_page', String(page.perPage));
      return `${baseUrl(req)}${url.pathname}${url.search}`;
    };
    return {
      tickets: items.map(present),
      next_page: hasMore ? link(page.page + 1) : null,
      previous_page: page.page > 1 ? link(page.page - 1) : null,
      count: total,
      ...(await sideLoads(ctx.db, baseUrl(req), actor, items, includes(req))),
    };
  });
}
