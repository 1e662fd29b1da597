import type { FastifyRequest } from 'fastify';
import { sql, type SelectQueryBuilder } from 'kysely';
import { AppError } from './errors.js';
import { baseUrl } from './http.js';

export type PageRequest =
  | { mode: 'offset'; page: number; perPage: number; desc: boolean }
  | { mode: 'cursor'; size: number; afterId?: number; beforeId?: number; desc: boolean };

/** What a repository is asked for: a slice in id order, one row more than needed to know if more exist. */
export interface Slice {
  limit: number;
  offset: number;
  afterId?: number;
  beforeId?: number;
  desc: boolean;
}

const encodeCursor = (id: number) => Buffer.from(JSON.stringify({ id })).toString('base64url');
function decodeCursor(text: string): number {
  try {
    const id = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')).id;
    if (Number.isSafeInteger(id) && id >= 0) return id;
  } catch {
    /* fall through */
  }
  throw new AppError('InvalidPaginationParameter', 'Invalid cursor: it must be a value returned in meta.after_cursor or meta.before_cursor');
}

function intParam(value: unknown, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new AppError('InvalidPaginationParameter', `${name} must be an integer of at least ${min}`);
  return Math.min(n, max);
}

/** Zendesk picks cursor pagination when `page[size]` is present, offset pagination otherwise. */
export function readPageRequest(req: FastifyRequest): PageRequest {
  const q = req.query as Record<string, unknown>;
  const page = q.page;
  const bracket = (k: string) => q[`page[${k}]`] ?? (typeof page === 'object' && page ? (page as Record<string, unknown>)[k] : undefined);
  const size = bracket('size');
  const sortParam = String(q.sort ?? '');
  if (size !== undefined) {
    if (sortParam && !['id', '-id', 'created_at', '-created_at'].includes(sortParam)) {
      throw new AppError('InvalidPaginationParameter', `sort=${sortParam} is not supported; use id, -id, created_at or -created_at`);
    }
    const after = bracket('after');
    const before = bracket('before');
    return {
      mode: 'cursor',
      size: intParam(size, 'page[size]', 1, 100, 100),
      afterId: after ? decodeCursor(String(after)) : undefined,
      beforeId: before ? decodeCursor(String(before)) : undefined,
      desc: sortParam.startsWith('-'),
    };
  }
  return {
    mode: 'offset',
    page: intParam(typeof page === 'object' ? undefined : page, 'page', 1, 100_000, 1),
    perPage: intParam(q.per_page, 'per_page', 1, 100, 100),
    desc: String(q.sort_order ?? '').toLowerCase() === 'desc',
  };
}

export function sliceOf(p: PageRequest): Slice {
  return p.mode === 'offset'
    ? { limit: p.perPage + 1, offset: (p.page - 1) * p.perPage, desc: p.desc }
    : { limit: p.size + 1, offset: 0, afterId: p.afterId, beforeId: p.beforeId, desc: p.desc };
}

function linkWith(req: FastifyRequest, changes: Record<string, string | null>): string {
  const original = req.originalUrl.replace(/\/{2,}/g, '/');
  const url = new URL(original, baseUrl(req));
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) url.searchParams.delete(k);
    else url.searchParams.set(k, v);
  }
  return `${baseUrl(req)}${url.pathname}${url.search}`;
}

/**
 * Builds the list envelope: offset (`next_page`, `previous_page`, `count`) or cursor (`meta`, `links`).
 * `rows` is what the repository returned for `sliceOf(p)` (one extra row signals more).
 */
export function pageEnvelope<T extends { id: number }>(
  req: FastifyRequest,
  p: PageRequest,
  key: string,
  rows: T[],
  present: (row: T) => unknown,
  count?: number,
): Record<string, unknown> {
  if (p.mode === 'offset') {
    const hasMore = rows.length > p.perPage;
    const items = rows.slice(0, p.perPage);
    return {
      [key]: items.map(present),
      next_page: hasMore ? linkWith(req, { page: String(p.page + 1), per_page: String(p.perPage) }) : null,
      previous_page: p.page > 1 ? linkWith(req, { page: String(p.page - 1), per_page: String(p.perPage) }) : null,
      count: count ?? items.length,
    };
  }
  const backwards = p.beforeId !== undefined && p.afterId === undefined;
  const hasMore = rows.length > p.size;
  let items = rows.slice(0, p.size);
  if (backwards) items = items.reverse();
  const first = items[0];
  const last = items[items.length - 1];
  const afterCursor = last ? encodeCursor(last.id) : null;
  const beforeCursor = first ? encodeCursor(first.id) : null;
  const nextExists = backwards ? items.length > 0 : hasMore;
  // As Zendesk: every non-empty page has a before cursor and a prev link (the page before the first is empty).
  const prevExists = items.length > 0;
  const clear = { 'page[after]': null, 'page[before]': null, page: null };
  return {
    [key]: items.map(present),
    meta: { has_more: nextExists, after_cursor: nextExists ? afterCursor : null, before_cursor: prevExists ? beforeCursor : null },
    links: {
      prev: prevExists && beforeCursor ? linkWith(req, { ...clear, 'page[before]': beforeCursor, 'page[size]': String(p.size) }) : null,
      next: nextExists && afterCursor ? linkWith(req, { ...clear, 'page[after]': afterCursor, 'page[size]': String(p.size) }) : null,
    },
  };
}

/** Applies a slice to any Kysely select over a table whose key column is `idColumn`. */
export function applySlice<QB extends SelectQueryBuilder<any, any, any>>(qb: QB, idColumn: string, s: Slice): QB {
  const id = sql.ref(idColumn);
  const backwards = s.beforeId !== undefined && s.afterId === undefined;
  const descending = s.desc !== backwards;
  let q = qb as SelectQueryBuilder<any, any, any>;
  if (s.afterId !== undefined) q = q.where(id, s.desc ? '<' : '>', s.afterId);
  if (s.beforeId !== undefined) q = q.where(id, s.desc ? '>' : '<', s.beforeId);
  q = q.orderBy(id, descending ? 'desc' : 'asc').limit(s.limit);
  if (s.offset) q = q.offset(s.offset);
  return q as QB;
}

/** Zendesk's `{count: {value, refreshed_at}}`; Sundial counts live, so the count is always fresh. */
export function countEnvelope(value: number | string) {
  return { count: { value: Number(value), refreshed_at: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') } };
}
