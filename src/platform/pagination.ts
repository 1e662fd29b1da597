import type { FastifyRequest } from 'fastify';
import { sql, type Expression, type ExpressionBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import { AppError } from './errors.js';
import { baseUrl } from './http.js';

/**
 * What a cursor says: the id of the row it points at and, for lists ordered by something other than
 * the id (keyset cursors), the sort it was made for (`updated_at`, `-updated_at`) and that row's sort value.
 */
export interface CursorPosition {
  id: number;
  sort?: string;
  value?: unknown;
}

export type PageRequest =
  | { mode: 'offset'; page: number; perPage: number; desc: boolean }
  | {
      mode: 'cursor';
      size: number;
      afterId?: number;
      beforeId?: number;
      desc: boolean;
      /** The whole cursors, for keyset lists (afterId/beforeId are their ids). */
      after?: CursorPosition;
      before?: CursorPosition;
      /** The `sort` parameter without its sign, when given. */
      sort?: string;
    };

export interface PageOptions {
  /** Fields the `sort` parameter of cursor pages may name (default: id and created_at). */
  sorts?: readonly string[];
  /** Offset pages may not start at or past this record (Zendesk: 10,000); deeper pages must use a cursor. */
  maxOffset?: number;
}

/** What a repository is asked for: a slice in id order, one row more than needed to know if more exist. */
export interface Slice {
  limit: number;
  offset: number;
  afterId?: number;
  beforeId?: number;
  desc: boolean;
}

export const invalidCursor = (why = 'it must be a value returned in meta.after_cursor or meta.before_cursor') =>
  new AppError('InvalidPaginationParameter', `Invalid cursor: ${why}`);

/** `{id}` for id-ordered lists; `{s, v, id}` (sort, sort value, id) for keyset lists. Opaque to clients. */
export function encodeCursor(p: number | CursorPosition): string {
  const at = typeof p === 'number' ? { id: p } : p.sort === undefined ? { id: p.id } : { s: p.sort, v: p.value ?? null, id: p.id };
  return Buffer.from(JSON.stringify(at)).toString('base64url');
}

function decodeCursor(text: string): CursorPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  // Anything may arrive here (a cursor is client input): only a well-formed shape gets through.
  const c = parsed as { id?: unknown; s?: unknown; v?: unknown } | null;
  if (!c || typeof c !== 'object' || !Number.isSafeInteger(c.id) || (c.id as number) < 0) throw invalidCursor();
  if (c.s === undefined) return { id: c.id as number };
  if (typeof c.s !== 'string' || !('v' in c)) throw invalidCursor();
  return { id: c.id as number, sort: c.s, value: c.v };
}

function intParam(value: unknown, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new AppError('InvalidPaginationParameter', `${name} must be an integer of at least ${min}`);
  return Math.min(n, max);
}

/** Zendesk picks cursor pagination when `page[size]` is present, offset pagination otherwise. */
export function readPageRequest(req: FastifyRequest, options: PageOptions = {}): PageRequest {
  const q = req.query as Record<string, unknown>;
  const page = q.page;
  const bracket = (k: string) => q[`page[${k}]`] ?? (typeof page === 'object' && page ? (page as Record<string, unknown>)[k] : undefined);
  const size = bracket('size');
  const sortParam = String(q.sort ?? '');
  if (size !== undefined) {
    const sorts = options.sorts ?? ['id', 'created_at'];
    const sort = sortParam.replace(/^-/, '');
    if (sortParam && !sorts.includes(sort)) {
      throw new AppError('InvalidPaginationParameter', `sort=${sortParam} is not supported; use ${sorts.flatMap((f) => [f, `-${f}`]).join(', ')}`);
    }
    const after = bracket('after') ? decodeCursor(String(bracket('after'))) : undefined;
    const before = bracket('before') ? decodeCursor(String(bracket('before'))) : undefined;
    return {
      mode: 'cursor',
      size: intParam(size, 'page[size]', 1, 100, 100),
      afterId: after?.id,
      beforeId: before?.id,
      after,
      before,
      desc: sortParam.startsWith('-'),
      ...(sortParam ? { sort } : {}),
    };
  }
  const offset = {
    mode: 'offset' as const,
    page: intParam(typeof page === 'object' ? undefined : page, 'page', 1, 100_000, 1),
    perPage: intParam(q.per_page, 'per_page', 1, 100, 100),
    desc: String(q.sort_order ?? '').toLowerCase() === 'desc',
  };
  if (options.maxOffset !== undefined && (offset.page - 1) * offset.perPage >= options.maxOffset) {
    throw new AppError('InvalidPaginationParameter', `Offset pages stop at record ${options.maxOffset}; page deeper with page[size] and page[after] (cursor pagination)`);
  }
  return offset;
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

export interface EnvelopeOptions<T> {
  /** The cursor of a row (default: its id); keyset lists put the row's sort value in it. */
  cursorOf?: (row: T) => string;
  /** The same cap as given to readPageRequest: no next_page link past it. */
  maxOffset?: number;
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
  { cursorOf = (row: T) => encodeCursor(row.id), maxOffset }: EnvelopeOptions<T> = {},
): Record<string, unknown> {
  if (p.mode === 'offset') {
    // At the offset cap the list ends for offset clients (node-zendesk follows next_page until null).
    const hasMore = rows.length > p.perPage && (maxOffset === undefined || p.page * p.perPage < maxOffset);
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
  const afterCursor = last ? cursorOf(last) : null;
  const beforeCursor = first ? cursorOf(first) : null;
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

/**
 * A keyset-ordered list: `sort` then `id`, both ascending or both descending, rows whose sort value is
 * NULL last in either direction. `nullable` says whether such rows can exist.
 */
export interface KeysetOrder {
  sort: Expression<unknown>;
  id: Expression<unknown>;
  desc: boolean;
  nullable: boolean;
}

/** A cursor's place in a KeysetOrder: its sort value as a SQL expression of the sort's type (null: none), and its id. */
export interface KeysetPlace {
  value: Expression<unknown> | null;
  id: number;
}

type Where = (eb: ExpressionBuilder<any, any>) => Expression<SqlBool>;

/**
 * The queries whose results, concatenated, are the rows after `after` (or before `before`, nearest first)
 * in `order`: run them in turn until `limit` rows are in hand (firstRows). Each is a plain range of
 * `(sort, id)` — a row comparison such as `(sort, id) > ($v, $id)` — ordered by `sort, id` with
 * PostgreSQL's default NULL placement, so one btree on (…, sort, id) serves it in either direction and
 * page 1,000 costs what page 1 does. NULL sort values (last in the list, in id order) are a second range:
 * a single `... OR sort IS NULL` would stop the planner from starting the index scan at the cursor.
 */
export function keysetQueries<QB extends SelectQueryBuilder<any, any, any>>(qb: QB, order: KeysetOrder, at: { after?: KeysetPlace; before?: KeysetPlace }, limit: number): QB[] {
  const backwards = !!at.before && !at.after;
  const place = at.after ?? at.before;
  const descending = order.desc !== backwards; // the direction rows are fetched in
  const further = descending ? '<' : '>';
  const { sort, id } = order;
  const range = (where: Where) =>
    (qb as SelectQueryBuilder<any, any, any>)
      .where(where)
      .orderBy(sort, descending ? 'desc' : 'asc')
      .orderBy(id, descending ? 'desc' : 'asc')
      .limit(limit) as QB;
  // Rows with a sort value, and (nullable sorts only) rows without one, each relative to the cursor.
  let valued: Where | null = (eb) => (order.nullable ? eb(sort, 'is not', null) : eb.lit(true));
  let unvalued: Where | null = order.nullable ? (eb) => eb(sort, 'is', null) : null;
  if (place && place.value !== null) {
    const v = place.value;
    valued = () => sql<SqlBool>`(${sort}, ${id}) ${sql.raw(further)} (${v}, ${place.id})`;
    if (backwards) unvalued = null; // NULLs come after every value
  } else if (place) {
    valued = backwards ? valued : null;
    unvalued = (eb) => eb.and([eb(sort, 'is', null), eb(id, further, place.id)]);
  }
  const ranges = [valued, unvalued].filter((w): w is Where => w !== null).map(range);
  return backwards ? ranges.reverse() : ranges;
}

/** Runs keyset queries in turn until `limit` rows are in hand; the second one only at the NULL boundary. */
export async function firstRows<R>(queries: { execute(): Promise<R[]> }[], limit: number): Promise<R[]> {
  const rows: R[] = [];
  for (const q of queries) {
    if (rows.length >= limit) break;
    rows.push(...(await q.execute()));
  }
  return rows.slice(0, limit);
}

/** Zendesk's `{count: {value, refreshed_at}}`; Sundial counts live, so the count is always fresh. */
export function countEnvelope(value: number | string) {
  return { count: { value: Number(value), refreshed_at: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') } };
}
