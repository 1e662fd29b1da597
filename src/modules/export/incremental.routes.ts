import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { baseUrl } from '../../platform/http.js';
import { requireAgent } from '../../permissions/guards.js';
import { recordAdminAction } from '../audit-log/audit-log.service.js';
import { sideLoads } from '../tickets/ticket-views.js';
import { horizonOf, readIncrementalParams, type IncrementalParams } from './incremental.paging.js';
import {
  exportUrl,
  organizationsByTime,
  ticketEventsByTime,
  ticketsByCursor,
  ticketsByTime,
  userSideLoads,
  usersByCursor,
  usersByTime,
  type ExportScope,
  type TimeResult,
} from './incremental.service.js';

/**
 * Zendesk's incremental exports (reference §7.2), for agents and admins: tickets (cursor and
 * time-based, deleted ones with status "deleted"), users (both), organizations and ticket events
 * (time-based). Paging rules are in incremental.paging.ts.
 */
export function registerIncrementalExportRoutes(app: FastifyInstance, ctx: AppContext) {
  const read = async (req: FastifyRequest, cursorAllowed: boolean) => {
    const actor = requireAgent(req);
    const now = ctx.clock.now();
    const params = readIncrementalParams(req.query as Record<string, unknown>, { cursorAllowed, now });
    const scope: ExportScope = { db: ctx.db, base: baseUrl(req), until: horizonOf(now) };
    const path = req.routeOptions.url ?? req.url;
    await recordAdminAction(ctx.db, { action: 'export', sourceType: 'export', sourceLabel: path, change: `Incremental export ${path}`, after: { query: req.query } });
    return { actor, params, scope };
  };
  /** `next_page` is the same request from `end_time`; null once the stream is exhausted (resume from `end_time`). */
  const timeEnvelope = (scope: ExportScope, path: string, key: string, p: IncrementalParams, r: TimeResult<unknown>) => ({
    [key]: r.records,
    next_page: r.endOfStream ? null : exportUrl(scope.base, path, { ...p.carry, start_time: String(r.endTime) }),
    count: r.records.length,
    end_of_stream: r.endOfStream,
    end_time: r.endTime,
  });
  /** `after_url` is always given: after the end of the stream it is where to resume later. */
  const cursorEnvelope = (scope: ExportScope, path: string, key: string, p: IncrementalParams, r: { records: unknown[]; afterCursor: string; endOfStream: boolean }) => ({
    [key]: r.records,
    after_url: exportUrl(scope.base, path, { ...p.carry, cursor: r.afterCursor }),
    after_cursor: r.afterCursor,
    before_url: null,
    before_cursor: null,
    end_of_stream: r.endOfStream,
  });

  app.get('/api/v2/incremental/tickets/cursor', async (req) => {
    const { actor, params, scope } = await read(req, true);
    const r = await ticketsByCursor(scope, params, { excludeDeleted: params.excludeDeleted });
    return { ...cursorEnvelope(scope, 'incremental/tickets/cursor', 'tickets', params, r), ...(await sideLoads(ctx.db, scope.base, actor, r.rows, params.include, r.extras)) };
  });

  app.get('/api/v2/incremental/tickets', async (req) => {
    const { actor, params, scope } = await read(req, false);
    const r = await ticketsByTime(scope, params.startTime!, params.perPage, { excludeDeleted: params.excludeDeleted });
    return { ...timeEnvelope(scope, 'incremental/tickets', 'tickets', params, r), ...(await sideLoads(ctx.db, scope.base, actor, r.rows, params.include, r.extras)) };
  });

  app.get('/api/v2/incremental/users/cursor', async (req) => {
    const { params, scope } = await read(req, true);
    const r = await usersByCursor(scope, params);
    return { ...cursorEnvelope(scope, 'incremental/users/cursor', 'users', params, r), ...(await userSideLoads(ctx.db, scope.base, r.rows, params.include)) };
  });

  app.get('/api/v2/incremental/users', async (req) => {
    const { params, scope } = await read(req, false);
    const r = await usersByTime(scope, params.startTime!, params.perPage);
    return { ...timeEnvelope(scope, 'incremental/users', 'users', params, r), ...(await userSideLoads(ctx.db, scope.base, r.rows, params.include)) };
  });

  app.get('/api/v2/incremental/organizations', async (req) => {
    const { params, scope } = await read(req, false);
    return timeEnvelope(scope, 'incremental/organizations', 'organizations', params, await organizationsByTime(scope, params.startTime!, params.perPage));
  });

  app.get('/api/v2/incremental/ticket_events', async (req) => {
    const { params, scope } = await read(req, false);
    const r = await ticketEventsByTime(scope, params.startTime!, params.perPage, { comments: params.include.has('comment_events') });
    return timeEnvelope(scope, 'incremental/ticket_events', 'ticket_events', params, r);
  });
}
