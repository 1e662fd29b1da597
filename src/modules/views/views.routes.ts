import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { baseUrl, includes, parseId, parseIdList, resourceUrl } from '../../platform/http.js';
import { pageEnvelope, readPageRequest } from '../../platform/pagination.js';
import { requireAgent } from '../../permissions/guards.js';
import { visibleTickets } from '../../permissions/tickets.js';
import type { Actor } from '../accounts/actor.js';
import { presentTickets, sideLoads, ticketExtras } from '../tickets/ticket-views.js';
import { SORT_KEYS, VIEWS, type ViewDefinition } from './view-definitions.js';
import { cursorOfTicket, OFFSET_LIMIT, readViewPage, requestedSort } from './view-pages.js';
import { SharedViewCounts, type ViewCount } from './view-counts.js';

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
  // Every agent sees every live ticket, so a shared view's count is one number for the whole desk.
  const shared = new SharedViewCounts((e) => app.log.error(e, 'view count failed'));
  const countOf = async (actor: Actor, view: ViewDefinition): Promise<ViewCount> =>
    view.perAgent ? { value: await count(actor, view), fresh: true } : shared.get(view.id, () => count(actor, view));
  const presentCount = (req: FastifyRequest, view: ViewDefinition, c: ViewCount) => ({ view_id: view.id, url: resourceUrl(baseUrl(req), `views/${view.id}/count`), value: c.value, pretty: String(c.value), fresh: c.fresh });

  app.get('/api/v2/views/count_many', async (req) => {
    const actor = requireAgent(req);
    const ids = parseIdList((req.query as Record<string, unknown>).ids, 20);
    const views = ids.map((id) => VIEWS.find((v) => v.id === id)).filter((v): v is ViewDefinition => !!v);
    const counts = await Promise.all(views.map((v) => countOf(actor, v)));
    return { view_counts: views.map((v, i) => presentCount(req, v, counts[i])) };
  });

  app.get('/api/v2/views/:id/count', async (req) => {
    const actor = requireAgent(req);
    const view = viewOf((req.params as { id: string }).id);
    return { view_count: presentCount(req, view, await countOf(actor, view)) };
  });

  /**
   * A view's tickets, by cursor (`page[size]`, `page[after]`/`page[before]`, `sort=-field`: as fast at
   * page 1,000 as at page 1) or by offset (`page`, `per_page`, `sort_by`, `sort_order`, with `count`; up
   * to the 10,000th ticket, as Zendesk).
   */
  app.get('/api/v2/views/:id/tickets', async (req: FastifyRequest) => {
    const actor = requireAgent(req);
    const view = viewOf((req.params as { id: string }).id);
    const page = readPageRequest(req, { sorts: SORT_KEYS, maxOffset: OFFSET_LIMIT });
    const sort = requestedSort(view, page, req.query as Record<string, unknown>);
    const rows = await readViewPage(ticketsIn(actor, view), sort, page);
    // Cursor pages have no count (as Zendesk): counting a large view costs more than the page itself.
    const total = page.mode === 'offset' ? await count(actor, view) : undefined;
    const items = rows.slice(0, page.mode === 'offset' ? page.perPage : page.size);
    const extras = await ticketExtras(ctx.db, items);
    const present = await presentTickets(ctx.db, baseUrl(req), items, extras);
    return {
      ...pageEnvelope(req, page, 'tickets', rows, present, total, { cursorOf: cursorOfTicket(sort), maxOffset: OFFSET_LIMIT }),
      ...(await sideLoads(ctx.db, baseUrl(req), actor, items, includes(req), extras)),
    };
  });
}
