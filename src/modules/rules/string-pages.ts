import type { FastifyRequest } from 'fastify';
import { sql, type SelectQueryBuilder } from 'kysely';
import { AppError } from '../../platform/errors.js';
import { baseUrl } from '../../platform/http.js';

/**
 * Cursor pages over string ids (webhooks and their invocations have ULIDs, which sort by creation),
 * the only pagination the Webhooks API has: `page[size]`, `page[after]`, `page[before]`.
 */
export interface StringPage {
  size: number;
  after?: string;
  before?: string;
  desc: boolean;
}

const encode = (id: string) => Buffer.from(JSON.stringify({ id })).toString('base64url');
function decode(text: string): string {
  try {
    const id = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')).id;
    if (typeof id === 'string' && id.length <= 100) return id;
  } catch {
    /* fall through */
  }
  throw new AppError('InvalidPaginationParameter', 'Invalid cursor: it must be a value returned in meta.after_cursor or meta.before_cursor');
}

export function readStringPage(req: FastifyRequest, defaultDesc: boolean): StringPage {
  const q = req.query as Record<string, unknown>;
  const nested = typeof q.page === 'object' && q.page ? (q.page as Record<string, unknown>) : {};
  const param = (k: string) => q[`page[${k}]`] ?? nested[k];
  const size = param('size');
  const n = size === undefined || size === '' ? 100 : Number(size);
  if (!Number.isInteger(n) || n < 1) throw new AppError('InvalidPaginationParameter', 'page[size] must be an integer of at least 1');
  const after = param('after');
  const before = param('before');
  return { size: Math.min(n, 100), after: after ? decode(String(after)) : undefined, before: before ? decode(String(before)) : undefined, desc: defaultDesc };
}

/** Applies the page to a query keyed by the string column `idColumn` (one row more than asked). */
export function applyStringPage<QB extends SelectQueryBuilder<any, any, any>>(qb: QB, idColumn: string, p: StringPage): QB {
  const id = sql.ref(idColumn);
  const backwards = p.before !== undefined && p.after === undefined;
  let q = qb as SelectQueryBuilder<any, any, any>;
  if (p.after !== undefined) q = q.where(id, p.desc ? '<' : '>', p.after);
  if (p.before !== undefined) q = q.where(id, p.desc ? '>' : '<', p.before);
  return q.orderBy(id, p.desc !== backwards ? 'desc' : 'asc').limit(p.size + 1) as QB;
}

function link(req: FastifyRequest, cursor: { after?: string; before?: string }, size: number): string {
  const url = new URL(req.originalUrl.replace(/\/{2,}/g, '/'), baseUrl(req));
  for (const k of ['page[after]', 'page[before]', 'page[size]']) url.searchParams.delete(k);
  if (cursor.after) url.searchParams.set('page[after]', cursor.after);
  if (cursor.before) url.searchParams.set('page[before]', cursor.before);
  url.searchParams.set('page[size]', String(size));
  return `${baseUrl(req)}${url.pathname}${url.search}`;
}

/** `{key: [...], meta: {has_more, after_cursor, before_cursor}, links: {next, prev}}`; next is null on the last page. */
export function stringPageEnvelope<T extends { id: string }>(req: FastifyRequest, p: StringPage, key: string, rows: T[], present: (row: T) => unknown) {
  const backwards = p.before !== undefined && p.after === undefined;
  const hasMore = rows.length > p.size;
  let items = rows.slice(0, p.size);
  if (backwards) items = items.reverse();
  const nextExists = backwards ? items.length > 0 : hasMore;
  const prevExists = backwards ? hasMore : p.after !== undefined && items.length > 0;
  const after = nextExists && items.length ? encode(items[items.length - 1].id) : null;
  const before = prevExists && items.length ? encode(items[0].id) : null;
  return {
    [key]: items.map(present),
    meta: { has_more: nextExists, after_cursor: after, before_cursor: before },
    links: { next: after ? link(req, { after }, p.size) : null, prev: before ? link(req, { before }, p.size) : null },
  };
}
