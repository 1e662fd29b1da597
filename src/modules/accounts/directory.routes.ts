import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import type { Role } from '../../platform/db-types.js';
import { AppError } from '../../platform/errors.js';
import { baseUrl } from '../../platform/http.js';
import { countEnvelope, pageEnvelope, readPageRequest, sliceOf } from '../../platform/pagination.js';
import { requireAgent } from '../../permissions/guards.js';
import { QueryError } from '../search/query.js';
import { MAX_RESULTS } from '../search/search.service.js';
import {
  autocompleteOrganizations,
  countOrganizations,
  countOrganizationsByPrefix,
  countOrganizationsMatching,
  countUsers,
  findUsers,
  searchOrganizations,
} from './directory.service.js';
import { presentOrganization } from './organizations.presenter.js';
import { iso, presentUser } from './users.presenter.js';


const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** Lookups over people and organizations: search, autocomplete and counts (agents only). */
export function registerDirectoryRoutes(app: FastifyInstance, ctx: AppContext) {
  app.get('/api/v2/users/search', async (req) => {
    requireAgent(req);
    const q = req.query as Record<string, unknown>;
    const by = typeof q.external_id === 'string' ? { externalId: q.external_id } : { query: text(q.query) };
    if (by.query === '') throw new AppError('BadRequest', 'query or external_id is required, e.g. query=jane@example.com');
    const page = readPageRequest(req);
    const present = (u: Parameters<typeof presentUser>[1]) => presentUser(baseUrl(req), u);
    try {
      if (page.mode === 'cursor') {
        if (page.beforeId !== undefined) throw new AppError('InvalidPaginationParameter', 'User search pages forward only (page[after])');
        return pageEnvelope(req, page, 'users', await findUsers(ctx, by, { limit: page.size + 1, afterId: page.afterId }), present);
      }
      const all = await findUsers(ctx, by, { limit: MAX_RESULTS });
      const offset = (page.page - 1) * page.perPage;
      return pageEnvelope(req, page, 'users', all.slice(offset, offset + page.perPage + 1), present, all.length);
    } catch (e) {
      if (e instanceof QueryError) throw new AppError('BadRequest', e.message);
      throw e;
    }
  });

  app.get('/api/v2/users/count', async (req) => {
    requireAgent(req);
    const q = req.query as Record<string, unknown>;
    const roles = [q.role, q['role[]']].flat().filter((r): r is Role => r === 'end-user' || r === 'agent' || r === 'admin');
    return countEnvelope(await countUsers(ctx.db, roles));
  });

  app.get('/api/v2/organizations/autocomplete', async (req) => {
    requireAgent(req);
    const name = text((req.query as Record<string, unknown>).name);
    if (!name) throw new AppError('BadRequest', 'name is required: the first letters of the organization name');
    const page = readPageRequest(req);
    if (page.mode === 'cursor') throw new AppError('InvalidPaginationParameter', 'Autocomplete pages by page and per_page');
    const rows = await autocompleteOrganizations(ctx.db, name, { offset: (page.page - 1) * page.perPage, limit: page.perPage + 1 });
    return pageEnvelope(req, page, 'organizations', rows, (o) => presentOrganization(baseUrl(req), o), await countOrganizationsByPrefix(ctx.db, name));
  });

  app.get('/api/v2/organizations/search', async (req) => {
    requireAgent(req);
    const q = req.query as Record<string, unknown>;
    const by = { externalId: typeof q.external_id === 'string' ? q.external_id : undefined, name: text(q.name) || undefined };
    if (by.externalId === undefined && by.name === undefined) throw new AppError('BadRequest', 'external_id or name is required');
    const page = readPageRequest(req);
    const rows = await searchOrganizations(ctx.db, by, sliceOf(page));
    const count = page.mode === 'offset' ? await countOrganizationsMatching(ctx.db, by) : undefined;
    return pageEnvelope(req, page, 'organizations', rows, (o) => presentOrganization(baseUrl(req), o), count);
  });

  app.get('/api/v2/organizations/count', async (req) => {
    requireAgent(req);
    return countEnvelope(await countOrganizations(ctx.db));
  });
}
