import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { sameSecret } from '../../platform/secrets.js';
import { databaseMetrics, HttpMetrics, processMetrics } from './metrics.js';

/**
 * Prometheus `/metrics` (issue 7), behind `Authorization: Bearer METRICS_TOKEN`; without METRICS_TOKEN
 * the endpoint does not exist (404). Registered before the other routes so the onResponse hook times
 * every request of this node, labelled by route template (a bounded set), never by raw URL.
 */
export function registerMetrics(app: FastifyInstance, ctx: AppContext): void {
  const http = new HttpMetrics();
  const startedAt = Date.now();
  app.addHook('onResponse', async (req, reply) => {
    http.observe(req.method, req.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  });
  app.get('/metrics', async (req, reply) => {
    const token = ctx.config.metricsToken;
    if (!token) throw notFound();
    const sent = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
    if (!sent || !sameSecret(sent, token)) {
      throw new AppError('Unauthenticated', "Couldn't authenticate you", undefined, { 'WWW-Authenticate': 'Bearer realm="metrics"' });
    }
    const body = [http.render(), await databaseMetrics(ctx.db), processMetrics(startedAt)].join('\n') + '\n';
    return reply.header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8').header('Cache-Control', 'no-store').send(body);
  });
}
