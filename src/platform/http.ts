import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { AppError, Problems } from './errors.js';

/** The base URL exactly as the client used it, so absolute links work behind any host name. */
export function baseUrl(req: FastifyRequest): string {
  return `${req.protocol}://${req.host}`;
}

/** Absolute URL of an API resource, in Zendesk's `.json` form. */
export const resourceUrl = (base: string, path: string) => `${base}/api/v2/${path}.json`;

const humanize = (field: string) => field.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());

/**
 * Validates `body` with a zod schema; every issue becomes a Zendesk field-level 422 detail.
 * `root` (e.g. "ticket") is stripped from paths so details say `subject`, not `ticket.subject`.
 */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown, root?: string): z.output<S> {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new AppError('BadRequest', root ? `The request body must be a JSON object with a "${root}" key` : 'The request body must be a JSON object');
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const problems = new Problems();
  for (const issue of result.error.issues) {
    const path = issue.path.map(String);
    if (root && path[0] === root) path.shift();
    const field = path.join('.') || root || 'base';
    const missing = issue.code === 'invalid_type' && (issue as { input?: unknown }).input === undefined;
    const code = missing ? 'BlankValue' : issue.code === 'too_big' ? 'ValueTooLong' : issue.code === 'too_small' ? 'ValueTooShort' : 'InvalidValue';
    const message = missing ? 'cannot be blank' : issue.message;
    problems.add(field, `${humanize(path[path.length - 1] ?? field)}: ${message}`, code);
  }
  problems.throwIfAny();
  throw new Error('unreachable');
}

/** Parses an integer path/query id; anything else is a 404 (ids are never validated loudly). */
export function parseId(value: unknown): number {
  const text = String(value ?? '');
  if (!/^\d{1,15}$/.test(text)) throw new AppError('NotFound', 'Not found');
  return Number(text);
}

/** `ids=1,2,3` → numbers (max 100), as show_many endpoints take them. */
export function parseIdList(value: unknown, max = 100): number[] {
  const ids = String(value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (ids.length > max) throw new AppError('BadRequest', `At most ${max} ids may be requested at once`);
  if (ids.some((s) => !/^\d{1,15}$/.test(s))) throw new AppError('BadRequest', 'ids must be a comma-separated list of integers');
  return ids.map(Number);
}

/** `include=users,groups` → a set. */
export function includes(req: FastifyRequest): Set<string> {
  const raw = (req.query as Record<string, unknown>)?.include;
  return new Set(String(raw ?? '').split(',').map((s) => s.trim()).filter(Boolean));
}

/** 201 with the Location header Zendesk sends for created resources. */
export function created(reply: FastifyReply, location: string, body: unknown) {
  return reply.code(201).header('Location', location).send(body);
}
