import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { baseUrl, parseId } from '../../platform/http.js';
import { applySlice, pageEnvelope, readPageRequest, sliceOf } from '../../platform/pagination.js';
import { requireAdmin } from '../../permissions/guards.js';
import { auditLogsCsv, presentAuditLog } from './audit-log.presenter.js';
import { auditLogQuery, countAuditLogs, recordAdminAction, type AuditLogFilter } from './audit-log.service.js';

const EXPORT_MAX_ROWS = 100_000;

function parseTime(value: unknown, name: string): Date {
  const d = new Date(String(value));
  if (typeof value !== 'string' || value === '' || Number.isNaN(d.getTime())) {
    throw new AppError('BadRequest', `${name} must be an ISO 8601 time such as 2024-01-31T00:00:00Z`);
  }
  return d;
}

/**
 * Zendesk's filters: `filter[source_type]`, `filter[actor_id]`, and `filter[created_at][]` given twice
 * (from, to). Both the bracket keys and a parsed `filter` object are accepted.
 */
function readFilter(req: FastifyRequest): AuditLogFilter {
  const q = req.query as Record<string, unknown>;
  const nested = (typeof q.filter === 'object' && q.filter ? q.filter : {}) as Record<string, unknown>;
  const sourceType = q['filter[source_type]'] ?? nested.source_type;
  const actorId = q['filter[actor_id]'] ?? nested.actor_id;
  const created = q['filter[created_at][]'] ?? q['filter[created_at]'] ?? nested.created_at;
  const filter: AuditLogFilter = {};
  if (typeof sourceType === 'string' && sourceType !== '') filter.sourceType = sourceType;
  if (actorId !== undefined && actorId !== '') {
    if (!/^\d{1,15}$/.test(String(actorId))) throw new AppError('BadRequest', 'filter[actor_id] must be a user id');
    filter.actorId = Number(actorId);
  }
  if (created !== undefined) {
    const range = [created].flat();
    if (range.length !== 2) throw new AppError('BadRequest', 'filter[created_at][] must be given twice: the start and the end of the range');
    filter.from = parseTime(range[0], 'filter[created_at][]');
    filter.to = parseTime(range[1], 'filter[created_at][]');
  }
  return filter;
}

/** The admin audit log: who changed roles, policies, settings, tokens, exports — admins only. */
export function registerAuditLogRoutes(app: FastifyInstance, ctx: AppContext) {
  app.get('/api/v2/audit_logs', async (req) => {
    requireAdmin(req);
    const filter = readFilter(req);
    const page = readPageRequest(req);
    const q = req.query as Record<string, unknown>;
    // Newest first unless the caller asks for oldest first (sort=created_at or sort_order=asc).
    const ascending = q.sort === 'created_at' || q.sort === 'id' || String(q.sort_order ?? '').toLowerCase() === 'asc';
    const ordered = { ...page, desc: !ascending };
    const rows = await applySlice(auditLogQuery(ctx.db, filter), 'admin_audit_logs.id', sliceOf(ordered)).execute();
    const count = ordered.mode === 'offset' ? await countAuditLogs(ctx.db, filter) : undefined;
    return pageEnvelope(req, ordered, 'audit_logs', rows, (r) => presentAuditLog(baseUrl(req), r), count);
  });

  /** The same filters as a CSV download, newest first; the export itself is recorded. */
  app.get('/api/v2/audit_logs/export', async (req, reply) => {
    requireAdmin(req);
    const filter = readFilter(req);
    const rows = await auditLogQuery(ctx.db, filter).orderBy('id', 'desc').limit(EXPORT_MAX_ROWS).execute();
    await recordAdminAction(ctx.db, {
      action: 'export',
      sourceType: 'export',
      sourceLabel: 'Audit log CSV',
      change: `Exported ${rows.length} audit log entries`,
      after: { filter: { source_type: filter.sourceType ?? null, actor_id: filter.actorId ?? null, from: filter.from?.toISOString() ?? null, to: filter.to?.toISOString() ?? null } },
    });
    return reply
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header('Content-Disposition', 'attachment; filename="sundial-audit-log.csv"')
      .send(auditLogsCsv(rows));
  });

  app.get('/api/v2/audit_logs/:id', async (req) => {
    requireAdmin(req);
    const row = await ctx.db.selectFrom('admin_audit_logs').selectAll().where('id', '=', parseId((req.params as { id: string }).id)).executeTakeFirst();
    if (!row) throw notFound();
    return { audit_log: presentAuditLog(baseUrl(req), row) };
  });
}
