import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiRateLimits } from '../config.js';
import type { Db } from './db.js';
import { AppError } from './errors.js';
import { CALLER, hitRateLimits, limitStates, type CountedHits, type Limit, type LimitState } from './rate-limit.js';

/** Endpoints with a budget of their own on top of the per-minute one (Zendesk's rate-limits page). */
interface EndpointLimit {
  name: string;
  method: string;
  matches: (route: string) => boolean;
  max: (limits: ApiRateLimits) => number;
  windowSeconds: number;
  /** Counted per ticket (`:id`) as well as per user. */
  perTicket?: boolean;
}

const ENDPOINT_LIMITS: EndpointLimit[] = [
  { name: 'incremental', method: 'GET', matches: (r) => r.startsWith('/api/v2/incremental/'), max: (l) => l.incrementalPerMinute, windowSeconds: 60 },
  { name: 'search-export', method: 'GET', matches: (r) => r === '/api/v2/search/export', max: (l) => l.searchExportPerMinute, windowSeconds: 60 },
  { name: 'ticket-update', method: 'PUT', matches: (r) => r === '/api/v2/tickets/:id', max: (l) => l.ticketUpdatesPer10Minutes, windowSeconds: 600, perTicket: true },
  { name: 'ticket-delete', method: 'DELETE', matches: (r) => r === '/api/v2/tickets/:id', max: (l) => l.ticketDeletesPerMinute, windowSeconds: 60 },
];

/**
 * The limits one request counts against: the per-minute budget of `who` (a user, or an address for
 * anonymous callers) and, on a few endpoints, that endpoint's own budget. A max of 0 is "off".
 */
export function apiLimitsFor(limits: ApiRateLimits, who: string, method: string, route: string | undefined, params: unknown): Limit[] {
  const out: Limit[] = [];
  if (limits.perMinute > 0) out.push({ key: `api:${who}`, max: limits.perMinute, windowSeconds: 60 });
  if (!route) return out;
  for (const e of ENDPOINT_LIMITS) {
    const max = e.max(limits);
    if (max <= 0 || e.method !== method || !e.matches(route)) continue;
    const ticket = e.perTicket ? `:ticket:${String((params as { id?: unknown } | undefined)?.id ?? '')}` : '';
    out.push({ key: `api:${e.name}:${who}${ticket}`, max, windowSeconds: e.windowSeconds });
  }
  return out;
}

/**
 * Headers Zendesk sends on every API response for the per-minute budget: the `X-Rate-Limit` pair,
 * the older `Rate-Limit` trio and the newer `ratelimit-*` trio.
 */
export function rateLimitHeaders(s: LimitState): Record<string, string> {
  const limit = String(s.limit.max);
  const remaining = String(s.remaining);
  const reset = String(s.resetSeconds);
  return {
    'X-Rate-Limit': limit,
    'X-Rate-Limit-Remaining': remaining,
    'Rate-Limit': limit,
    'Rate-Limit-Remaining': remaining,
    'Rate-Limit-Reset': reset,
    'ratelimit-limit': limit,
    'ratelimit-remaining': remaining,
    'ratelimit-reset': reset,
  };
}

/** The limits a request counts against, for its caller whoever that turns out to be (authentication counts them). */
export function apiLimitsForCaller(limits: ApiRateLimits, req: FastifyRequest): Limit[] {
  return apiLimitsFor(limits, CALLER, req.method, req.routeOptions.url, req.params);
}

/**
 * Counts the request against its caller's budgets (one upsert shared by every node through
 * PostgreSQL) unless authentication counted them already (`counted`), sets the rate-limit headers,
 * and refuses with 429 + Retry-After when a budget is spent. Retry-After appears on 429 only:
 * node-zendesk treats any response carrying it as throttled. Callers are the authenticated user (for
 * X-On-Behalf-Of, the token holder) or, anonymously, the IP.
 */
export async function enforceApiRateLimit(
  db: Db,
  limits: ApiRateLimits,
  req: FastifyRequest,
  reply: FastifyReply,
  now: Date,
  counted?: CountedHits,
): Promise<void> {
  const who = req.actor ? `user:${req.actor.user.id}` : `ip:${req.ip}`;
  const wanted = apiLimitsFor(limits, who, req.method, req.routeOptions.url, req.params);
  if (wanted.length === 0) return;
  const states = req.actor && counted ? limitStates(wanted, new Map(counted.map((c) => [c.key, c.hits])), now) : await hitRateLimits(db, wanted, now);
  const general = limits.perMinute > 0 ? states[0] : undefined;
  if (general) reply.headers(rateLimitHeaders(general));
  const exceeded = states.filter((s) => s.exceeded);
  if (exceeded.length === 0) return;
  const retryAfter = Math.max(...exceeded.map((s) => s.resetSeconds));
  const which = exceeded.some((s) => s === general) ? `${general!.limit.max} requests per minute` : 'the limit of this endpoint';
  throw new AppError('TooManyRequests', `You have exceeded the rate limit (${which}). Try again in ${retryAfter} seconds.`, undefined, {
    'Retry-After': String(retryAfter),
  });
}
