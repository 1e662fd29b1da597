import Fastify, { type FastifyInstance, type FastifyError } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import type { AppContext } from './platform/context.js';
import { AppError, errorTable } from './platform/errors.js';
import { sameSecret } from './platform/secrets.js';
import { isDatabaseUnavailable } from './platform/db.js';
import { authenticate, SESSION_COOKIE } from './modules/accounts/authenticate.js';
import type { Actor } from './modules/accounts/actor.js';
import { registerRoutes } from './routes.js';
import { registerRequestContext } from './platform/request-context.js';
import { apiLimitsForCaller, enforceApiRateLimit } from './platform/api-rate-limit.js';
import { applyOAuthPolicy } from './modules/oauth/oauth-policy.js';
import { registerMetrics } from './modules/ops/metrics.routes.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    /** Credentials were sent but did not match. */
    authFailed: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const PG_CLIENT_ERRORS: Record<string, string> = {
  '23503': 'A referenced record does not exist',
  '23505': 'A record with these values already exists',
  '23514': 'A value is outside the allowed range',
  '22001': 'A value is too long',
  '22P02': 'A value has the wrong format',
  '22021': 'A value contains characters that cannot be stored',
  '54000': 'A value is too large',
  '22003': 'A number is out of range',
  '22007': 'A date or time is not valid',
  '22008': 'A date or time is out of range',
};

/** Zendesk clients add `.json` and sometimes double slashes; both map to the same route. */
export function normalizeUrl(url: string): string {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const query = q === -1 ? '' : url.slice(q);
  const clean = path.replace(/\/{2,}/g, '/').replace(/\.json$/, '');
  return (clean.length > 1 ? clean.replace(/\/$/, '') : clean) + query;
}

/** Deeper than any body this API takes; deeper ones would only exhaust the stack of code that walks them. */
const MAX_JSON_DEPTH = 64;

/**
 * What a parsed body must not contain: U+0000 (PostgreSQL text cannot hold it; refuse it up front
 * rather than fail on insert) or nesting past MAX_JSON_DEPTH. Iterative, so any depth is safe here.
 */
function jsonProblem(root: unknown): string | null {
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return 'Text in the request body must not contain NUL (\\u0000) characters';
    } else if (value && typeof value === 'object') {
      if (depth >= MAX_JSON_DEPTH) return `The request body is nested more than ${MAX_JSON_DEPTH} levels deep`;
      for (const [k, v] of Object.entries(value)) {
        if (k.includes('\u0000')) return 'Text in the request body must not contain NUL (\\u0000) characters';
        stack.push([v, depth + 1]);
      }
    }
  }
  return null;
}

export interface AppOptions {
  logger?: boolean | object;
  trustProxy?: boolean;
}

/** Builds the HTTP application without listening, so tests can inject requests or bind a port. */
export async function buildApp(ctx: AppContext, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    trustProxy: options.trustProxy ?? false,
    bodyLimit: 2 * 1024 * 1024,
    rewriteUrl: (req) => normalizeUrl(req.url ?? '/'),
    routerOptions: { maxParamLength: 200 },
  });

  await app.register(cookie);
  await app.register(helmet, {
    // The web app's scripts come from this origin only; Mantine sets inline style attributes.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
      },
    },
  });

  // An empty body is "no body", a broken one is a 400 that names the problem.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      return done(new AppError('BadRequest', `Malformed JSON in request body: ${(e as Error).message}`), undefined);
    }
    const problem = jsonProblem(parsed);
    if (problem) return done(new AppError('BadRequest', problem), undefined);
    done(null, parsed);
  });

  app.decorateRequest('actor', null);
  app.decorateRequest('authFailed', false);
  registerRequestContext(app);
  app.addHook('onRequest', async (req, reply) => {
    if (!req.url.startsWith('/api/')) return;
    const now = ctx.clock.now();
    const { actor, failed, counted } = await authenticate(ctx.db, req.headers.authorization, req.cookies[SESSION_COOKIE], {
      limits: apiLimitsForCaller(ctx.config.apiRateLimits, req),
      now,
    });
    req.actor = actor;
    req.authFailed = failed;
    // Per-user budgets (per address when anonymous), shared by all nodes; headers on every API response.
    await enforceApiRateLimit(ctx.db, ctx.config.apiRateLimits, req, reply, now, counted);
    if (failed && req.routeOptions.url !== '/api/v2/users/me') throw new AppError('Unauthenticated', "Couldn't authenticate you");
    // Cookie-authenticated writes need the per-session CSRF token (header), which another site cannot read.
    if (actor?.via === 'session' && !SAFE_METHODS.has(req.method)) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !actor.csrfToken || !sameSecret(sent, actor.csrfToken)) {
        throw new AppError('Forbidden', 'Missing or invalid X-CSRF-Token header');
      }
    }
    // OAuth tokens act within their scopes; X-On-Behalf-Of (impersonate scope, admins) swaps in an end user.
    req.actor = await applyOAuthPolicy(ctx.db, actor, req.method, req.headers['x-on-behalf-of']);
  });

  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    // A request refused before its body was read (an upload over the limit, a full disk) leaves that
    // connection mid-body: close it after this answer, or the client's next request on it would hang.
    if (!req.raw.complete) reply.header('Connection', 'close');
    if (err instanceof AppError) {
      if (err.headers) reply.headers(err.headers);
      if (err.code === 'Unauthenticated') return reply.code(401).send({ error: errorTable.Unauthenticated.error });
      return reply.code(err.status).send({ error: errorTable[err.code].error, description: err.description, ...(err.details ? { details: err.details } : {}) });
    }
    // PostgreSQL down or restarting: say so at once, with when to retry, rather than a 500 (nothing was applied).
    if (isDatabaseUnavailable(err)) {
      req.log.warn({ err }, 'database unavailable');
      return reply
        .code(503)
        .header('Retry-After', '5')
        .send({ error: errorTable.ServiceUnavailable.error, description: 'The database is unavailable; the request was not applied. Try again in a few seconds.' });
    }
    // Safety net: a constraint the services did not pre-check is still the client's mistake, not ours.
    const pgCode = (err as { code?: string }).code;
    if (pgCode && PG_CLIENT_ERRORS[pgCode]) {
      req.log.warn({ err }, 'database rejected input that validation let through');
      return reply.code(422).send({ error: 'RecordInvalid', description: PG_CLIENT_ERRORS[pgCode] });
    }
    const status = err.statusCode ?? 500;
    if (status === 413) return reply.code(413).send({ error: 'PayloadTooLarge', description: 'The request body is too large' });
    if (status === 415) return reply.code(415).send({ error: 'UnsupportedMediaType', description: `Unsupported Content-Type: ${req.headers['content-type'] ?? 'none'}` });
    if (status >= 400 && status < 500) return reply.code(status).send({ error: 'BadRequest', description: err.message });
    req.log.error({ err }, 'request failed');
    return reply.code(500).send({ error: 'InternalError', description: 'Something went wrong on our side; the request was not applied.' });
  });

  // Prometheus /metrics and its request timing hook, before the routes it observes.
  registerMetrics(app, ctx);
  await registerRoutes(app, ctx);
  return app;
}
