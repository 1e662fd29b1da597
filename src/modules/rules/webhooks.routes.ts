import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context.js';
import { AppError, errorTable, notFound } from '../../platform/errors.js';
import { baseUrl, created, parseBody } from '../../platform/http.js';
import { requireAdmin } from '../../permissions/guards.js';
import { withRoot } from './rules.schema.js';
import { readStringPage, stringPageEnvelope } from './string-pages.js';
import { isUlid } from './ulid.js';
import { presentAttempt, presentInvocation, presentSigningSecret, presentWebhook } from './webhooks.presenter.js';
import { webhookCreateSchema, webhookPatchSchema, webhookTestSchema } from './webhooks.schema.js';
import { createWebhook, deleteWebhook, findWebhook, listAttempts, listInvocations, listWebhooks, resetSigningSecret, testWebhook, updateWebhook } from './webhooks.service.js';

const idParam = (req: FastifyRequest, key = 'id') => {
  const id = String((req.params as Record<string, string>)[key] ?? '');
  if (!isUlid(id)) throw notFound();
  return id;
};

/** Query keys as clients send them: `filter[status]=active` arrives as the literal key. */
const filterParam = (req: FastifyRequest, name: string): string | undefined => {
  const q = req.query as Record<string, unknown>;
  const nested = typeof q.filter === 'object' && q.filter ? (q.filter as Record<string, unknown>)[name] : undefined;
  const v = q[`filter[${name}]`] ?? nested;
  return v === undefined || v === '' ? undefined : String(v);
};

/**
 * Zendesk's Webhooks API (admins only). Like Zendesk's newer APIs it answers errors as
 * `{"errors": [{code, title, detail, source}]}`; authentication failures keep the usual 401 body.
 */
export function registerWebhookRoutes(app: FastifyInstance, ctx: AppContext) {
  app.register(async (api) => {
    api.setErrorHandler((err, _req, reply) => {
      if (!(err instanceof AppError) || err.code === 'Unauthenticated') throw err;
      const title = errorTable[err.code].error;
      const errors = err.details
        ? Object.entries(err.details).flatMap(([field, problems]) => problems.map((p) => ({ code: p.error ?? title, title: err.description, detail: p.description, source: { pointer: `/webhook/${field}` } })))
        : [{ code: title, title: err.description }];
      if (err.headers) reply.headers(err.headers);
      return reply.code(err.status).send({ errors });
    });
    registerRoutes(api, ctx);
  });
}

function registerRoutes(app: FastifyInstance, ctx: AppContext) {
  const allowPrivate = ctx.config.webhookAllowPrivate;

  app.get('/api/v2/webhooks', async (req) => {
    requireAdmin(req);
    const page = readStringPage(req, false);
    const name = filterParam(req, 'name_contains');
    const status = filterParam(req, 'status');
    if (status !== undefined && status !== 'active' && status !== 'inactive') throw new AppError('BadRequest', 'filter[status] must be active or inactive');
    const rows = await listWebhooks(ctx.db, { nameContains: name, status: status as 'active' | 'inactive' | undefined }, page);
    return stringPageEnvelope(req, page, 'webhooks', rows, presentWebhook);
  });

  app.post('/api/v2/webhooks', async (req, reply) => {
    const actor = requireAdmin(req);
    const { webhook: input } = parseBody(webhookCreateSchema, withRoot(req.body, 'webhook'), 'webhook');
    const webhook = await createWebhook(ctx.db, actor, input, allowPrivate);
    return created(reply, `${baseUrl(req)}/api/v2/webhooks/${webhook.id}`, { webhook: presentWebhook(webhook) });
  });

  app.post('/api/v2/webhooks/test', async (req) => {
    requireAdmin(req);
    const input = parseBody(webhookTestSchema, req.body, 'request');
    const webhookId = (req.query as Record<string, unknown>).webhook_id ?? input.webhook_id;
    if (webhookId !== undefined && !isUlid(String(webhookId))) throw notFound();
    return testWebhook(ctx.db, input, webhookId === undefined ? undefined : String(webhookId), allowPrivate);
  });

  app.get('/api/v2/webhooks/:id', async (req) => {
    requireAdmin(req);
    return { webhook: presentWebhook(await findWebhook(ctx.db, idParam(req))) };
  });

  for (const mode of ['put', 'patch'] as const) {
    app[mode]('/api/v2/webhooks/:id', async (req) => {
      const actor = requireAdmin(req);
      const id = idParam(req);
      const { webhook: patch } = parseBody(mode === 'put' ? webhookCreateSchema : webhookPatchSchema, withRoot(req.body, 'webhook'), 'webhook');
      return { webhook: presentWebhook(await updateWebhook(ctx.db, actor, id, patch, mode, allowPrivate)) };
    });
  }

  app.delete('/api/v2/webhooks/:id', async (req, reply) => {
    requireAdmin(req);
    await deleteWebhook(ctx.db, idParam(req));
    return reply.code(204).send();
  });

  app.get('/api/v2/webhooks/:id/signing_secret', async (req) => {
    requireAdmin(req);
    return presentSigningSecret(await findWebhook(ctx.db, idParam(req)));
  });

  app.post('/api/v2/webhooks/:id/signing_secret', async (req) => {
    const actor = requireAdmin(req);
    return presentSigningSecret(await resetSigningSecret(ctx.db, actor, idParam(req)));
  });

  app.get('/api/v2/webhooks/:id/invocations', async (req) => {
    requireAdmin(req);
    const webhookId = idParam(req);
    const sort = String((req.query as Record<string, unknown>).sort ?? '-timestamp');
    if (sort !== 'timestamp' && sort !== '-timestamp') throw new AppError('BadRequest', 'sort must be timestamp or -timestamp');
    const page = readStringPage(req, sort === '-timestamp');
    const status = filterParam(req, 'status');
    if (status !== undefined && !['pending', 'success', 'failed'].includes(status)) throw new AppError('BadRequest', 'filter[status] must be pending, success or failed');
    const time = (name: string) => {
      const v = filterParam(req, name);
      if (v === undefined) return undefined;
      const d = new Date(/^\d+$/.test(v) ? Number(v) * 1000 : v);
      if (Number.isNaN(d.getTime())) throw new AppError('BadRequest', `filter[${name}] must be a time`);
      return d;
    };
    const from = time('from_ts');
    const to = time('to_ts');
    const rows = await listInvocations(ctx.db, webhookId, { status: status as 'pending' | undefined, from, to }, page);
    return stringPageEnvelope(req, page, 'invocations', rows, presentInvocation);
  });

  app.get('/api/v2/webhooks/:id/invocations/:invocationId/attempts', async (req) => {
    requireAdmin(req);
    const attempts = await listAttempts(ctx.db, idParam(req), idParam(req, 'invocationId'));
    return { attempts: attempts.map(presentAttempt), count: attempts.length };
  });
}
