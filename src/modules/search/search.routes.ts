import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { baseUrl } from '../../platform/http.js';
import { pageEnvelope, readPageRequest } from '../../platform/pagination.js';
import { requireAgent } from '../../permissions/guards.js';
import type { Ticket } from '../../platform/db-types.js';
import type { Actor } from '../accounts/actor.js';
import { presentGroup } from '../accounts/groups.presenter.js';
import { presentOrganization } from '../accounts/organizations.presenter.js';
import { presentUser } from '../accounts/users.presenter.js';
import { presentTickets } from '../tickets/ticket-views.js';
import { QueryError } from './query.js';
import { countTickets, exportTickets, MAX_RESULTS, planSearch, RESULT_TYPES, searchNamed, searchTickets, searchUsers, type ResultType, type SearchPlan } from './search.service.js';

type Result = { id: number; result_type: ResultType } & Record<string, unknown>;

function readQuery(req: FastifyRequest): { query: string; q: Record<string, unknown> } {
  const q = req.query as Record<string, unknown>;
  const query = typeof q.query === 'string' ? q.query.trim() : '';
  if (!query) throw new AppError('BadRequest', 'query is required, e.g. query=type:ticket status<solved');
  return { query, q };
}

/** Query errors are Zendesk's `{"error":"invalid"}` 400s, never 500s. */
async function planned<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof QueryError) throw new AppError('BadRequest', e.message);
    throw e;
  }
}

/** Search (spec zendesk-api §7.1): PostgreSQL full text over subjects, descriptions and comments. */
export function registerSearchRoutes(app: FastifyInstance, ctx: AppContext) {
  const ticketResults = async (base: string, tickets: Ticket[]): Promise<Result[]> => {
    const present = await presentTickets(ctx.db, base, tickets);
    return tickets.map((t) => ({ ...present(t), result_type: 'ticket' }) as Result);
  };
  /** One type's results from `skip` (at most `take`), and how many it has (up to MAX_RESULTS + 1). */
  async function resultsOf(req: FastifyRequest, actor: Actor, plan: SearchPlan, type: ResultType, skip: number, take: number): Promise<{ rows: Result[]; total: number }> {
    const base = baseUrl(req);
    if (type === 'ticket') {
      const page = await searchTickets(ctx, actor, plan, { offset: skip, limit: take });
      return { rows: await ticketResults(base, page.tickets), total: page.matched };
    }
    const all =
      type === 'user'
        ? (await searchUsers(ctx, plan, MAX_RESULTS)).map((u) => ({ ...presentUser(base, u), result_type: 'user' }) as Result)
        : type === 'organization'
          ? (await searchNamed(ctx, 'organizations', plan, MAX_RESULTS)).map((o) => ({ ...presentOrganization(base, o), result_type: 'organization' }) as Result)
          : (await searchNamed(ctx, 'groups', plan, MAX_RESULTS)).map((g) => ({ ...presentGroup(base, g), result_type: 'group' }) as Result);
    return { rows: all.slice(skip, skip + take), total: all.length };
  }

  /** Results `offset` to `offset + limit` over every requested type, tickets first, and their count up to MAX_RESULTS. */
  async function results(req: FastifyRequest, actor: Actor, plan: SearchPlan, offset: number, limit: number): Promise<{ rows: Result[]; count: number }> {
    const rows: Result[] = [];
    let seen = 0;
    for (const type of plan.types) {
      const skip = Math.max(0, offset - seen);
      const part = await resultsOf(req, actor, plan, type, skip, Math.max(0, offset + limit - seen) - skip);
      rows.push(...part.rows);
      seen += part.total;
    }
    return { rows, count: Math.min(seen, MAX_RESULTS) };
  }

  /** Every match of every requested type (/search/count). */
  async function total(actor: Actor, plan: SearchPlan): Promise<number> {
    let n = 0;
    for (const type of plan.types) {
      if (type === 'ticket') n += await countTickets(ctx, actor, plan);
      else if (type === 'user') n += (await searchUsers(ctx, plan, MAX_RESULTS)).length;
      else n += (await searchNamed(ctx, type === 'organization' ? 'organizations' : 'groups', plan, MAX_RESULTS)).length;
    }
    return n;
  }

  app.get('/api/v2/search', async (req) => {
    const actor = requireAgent(req);
    const { query, q } = readQuery(req);
    const page = readPageRequest(req);
    if (page.mode !== 'offset') throw new AppError('BadRequest', 'Search pages by page and per_page; use /api/v2/search/export for cursor pages');
    return planned(async () => {
      const plan = planSearch(query, { sortBy: q.sort_by as string | undefined, sortOrder: q.sort_order as string | undefined });
      const offset = (page.page - 1) * page.perPage;
      if (offset >= MAX_RESULTS) throw new AppError('RecordInvalid', `Search returns at most ${MAX_RESULTS} results; narrow the query`);
      const { rows, count } = await results(req, actor, plan, offset, Math.min(page.perPage + 1, MAX_RESULTS - offset));
      const envelope = pageEnvelope(req, page, 'results', rows, (r) => r, count);
      return { ...envelope, facets: null };
    });
  });

  app.get('/api/v2/search/count', async (req) => {
    const actor = requireAgent(req);
    const { query } = readQuery(req);
    return planned(async () => ({ count: await total(actor, planSearch(query, {})) }));
  });

  // Cursor pages in id order over one type, without a count (node-zendesk's exportResults).
  app.get('/api/v2/search/export', async (req) => {
    const actor = requireAgent(req);
    const { query, q } = readQuery(req);
    const filter = q['filter[type]'] ?? (typeof q.filter === 'object' && q.filter ? (q.filter as Record<string, unknown>).type : undefined);
    if (typeof filter !== 'string' || !RESULT_TYPES.includes(filter as ResultType)) throw new AppError('BadRequest', `filter[type] is required: one of ${RESULT_TYPES.join(', ')}`);
    if (/(^|\s)-?type:/i.test(query)) throw new AppError('BadRequest', 'type: is not allowed in export queries; use filter[type]');
    const page = readPageRequest(req);
    const size = page.mode === 'cursor' ? page.size : 100;
    const afterId = page.mode === 'cursor' ? (page.afterId ?? 0) : 0;
    const cursorPage = page.mode === 'cursor' ? page : { mode: 'cursor' as const, size, desc: false };
    return planned(async () => {
      const plan = { ...planSearch(query, { type: filter }), sortBy: 'created_at' as const };
      const base = baseUrl(req);
      let rows: Result[];
      if (filter === 'ticket') {
        rows = await ticketResults(base, await exportTickets(ctx, actor, plan, afterId, size + 1));
      } else if (filter === 'user') {
        rows = (await searchUsers(ctx, plan, size + 1, afterId)).map((u) => ({ ...presentUser(base, u), result_type: 'user' }) as Result);
      } else {
        const table = filter === 'organization' ? 'organizations' : 'groups';
        rows = (await searchNamed(ctx, table, plan, size + 1, afterId)).map((o) => ({ ...(table === 'organizations' ? presentOrganization(base, o as never) : presentGroup(base, o as never)), result_type: filter }) as Result);
      }
      const envelope = pageEnvelope(req, cursorPage, 'results', rows, (r) => r);
      return { ...envelope, facets: null };
    });
  });
}
