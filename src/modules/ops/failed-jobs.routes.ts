import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { requireAdmin } from '../../permissions/guards.js';
import { listFailedJobs } from './failed-jobs.service.js';

/** `GET /api/v2/admin/jobs/failed[?queue=mail.send&limit=100]`: background jobs that gave up, for admins. */
export function registerFailedJobRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/v2/admin/jobs/failed', async (req) => {
    requireAdmin(req);
    const q = req.query as Record<string, unknown>;
    const queue = typeof q.queue === 'string' && q.queue ? q.queue : undefined;
    const limit = q.limit === undefined ? 100 : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new AppError('BadRequest', 'limit must be an integer from 1 to 1000');
    const jobs = await listFailedJobs(ctx.db, { queue, limit });
    return {
      failed_jobs: jobs.map((j) => ({
        id: j.id,
        queue: j.queue,
        data: j.data,
        reason: j.reason,
        tries: j.tries,
        retry_limit: j.retryLimit,
        created_at: j.createdAt.toISOString(),
        started_at: j.startedAt?.toISOString() ?? null,
        failed_at: j.failedAt?.toISOString() ?? null,
      })),
      count: jobs.length,
    };
  });
}
