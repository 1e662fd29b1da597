import { AppError, invalid } from '../../platform/errors.js';

/**
 * Zendesk's incremental exports, as paging over one table in (time, id) order:
 * - time-based (`start_time` → `next_page`, `end_time`, `end_of_stream`, `count`): pages are cut at
 *   whole seconds (Zendesk's `generated_timestamp`), so the next page starts at the last item's second
 *   and items of that second may appear twice; clients de-duplicate by id and timestamp, as Zendesk
 *   documents. A page that a single second fills completely is extended to the end of that second, so
 *   paging always moves on.
 * - cursor-based (`start_time` first, then `cursor` = `after_cursor`): exact keyset positions, no
 *   repeats, and `after_url` is always given so a client can resume later.
 * The most recent minute is never exported (a transaction still in flight may commit rows with an
 * earlier timestamp), and a `start_time` inside it or in the future is refused with 422.
 */

/** A keyset position: the row's timestamp in microseconds since the epoch, and its id. */
export interface Position {
  us: number;
  id: number;
}

/** Which rows a repository is asked for: from a second (inclusive) or after a position (exclusive), before `until`. */
export interface Window {
  from?: number;
  after?: Position;
  /** Exclusive upper bound: the export horizon (now minus a minute) or the end of a second. */
  until: Date;
  /** null: no limit (only used to finish one second). */
  limit: number | null;
}

export type Keyed<T> = T & { key_us: number };
export type Fetch<T> = (w: Window) => Promise<Keyed<T>[]>;

export const MAX_PER_PAGE = 1000;
/** Rows younger than this are left for a later request. */
export const HORIZON_MS = 60_000;

const second = (r: { key_us: number }) => Math.floor(r.key_us / 1_000_000);
const positionOf = (r: { key_us: number; id: number }): Position => ({ us: r.key_us, id: r.id });

/**
 * Cursors read like Zendesk's (base64 of `1576613539.0||451|`): seconds with a microsecond fraction,
 * then the id. Encoded base64url, so they need no escaping in `after_url`.
 */
export function encodeCursor(p: Position): string {
  const s = Math.floor(p.us / 1_000_000);
  const frac = String(p.us - s * 1_000_000).padStart(6, '0');
  return Buffer.from(`${s}.${frac}||${p.id}|`).toString('base64url');
}

export function decodeCursor(text: string): Position {
  const m = /^(\d{1,12})\.(\d{1,6})\|\|(\d{1,16})\|$/.exec(Buffer.from(text, 'base64').toString('utf8'));
  const id = m ? Number(m[3]) : NaN;
  if (!m || !Number.isSafeInteger(id)) {
    throw new AppError('InvalidPaginationParameter', 'Invalid cursor: use the after_cursor of the previous response (or start_time for the first request)');
  }
  return { us: Number(m[1]) * 1_000_000 + Number(m[2].padEnd(6, '0')), id };
}

export interface IncrementalParams {
  /** Unix seconds; absent when a cursor is given. */
  startTime?: number;
  cursor?: Position;
  perPage: number;
  include: Set<string>;
  excludeDeleted: boolean;
  /** The query parameters that next_page / after_url carry over (per_page, include, exclude_deleted). */
  carry: Record<string, string>;
}

/** Unix seconds, or an ISO date (node-zendesk's documentation passes those for some exports). */
function parseStartTime(raw: unknown): number {
  const text = String(raw).trim();
  const n = /^\d{1,12}$/.test(text) ? Number(text) : /^\d{4}-\d\d-\d\d/.test(text) ? Math.floor(Date.parse(text) / 1000) : NaN;
  if (!Number.isSafeInteger(n) || n < 0) throw invalid('start_time', 'Start time: must be a Unix timestamp in seconds', 'InvalidValue');
  return n;
}

/**
 * Reads an incremental request. `cursor=undefined`, `cursor=null` and `cursor=` mean "no cursor"
 * (node-zendesk sends the literal `undefined`); a valid cursor wins over start_time; `page[size]`,
 * which node-zendesk adds to every request, is ignored.
 */
export function readIncrementalParams(query: Record<string, unknown>, options: { cursorAllowed: boolean; now: Date }): IncrementalParams {
  const rawCursor = typeof query.cursor === 'string' ? query.cursor.trim() : '';
  const cursor = options.cursorAllowed && rawCursor && rawCursor !== 'undefined' && rawCursor !== 'null' ? decodeCursor(rawCursor) : undefined;
  let startTime: number | undefined;
  if (!cursor) {
    if (query.start_time === undefined || query.start_time === '') {
      throw new AppError('BadRequest', options.cursorAllowed ? 'start_time (Unix seconds) is required on the first request, then cursor' : 'start_time (Unix seconds) is required');
    }
    startTime = parseStartTime(query.start_time);
    if (startTime > Math.floor((options.now.getTime() - HORIZON_MS) / 1000)) {
      throw invalid('start_time', 'Start time: must be at least one minute in the past', 'InvalidValue');
    }
  }
  let perPage = MAX_PER_PAGE;
  if (query.per_page !== undefined && query.per_page !== '') {
    const n = Number(query.per_page);
    if (!Number.isInteger(n) || n < 1) throw new AppError('InvalidPaginationParameter', `per_page must be an integer from 1 to ${MAX_PER_PAGE}`);
    perPage = Math.min(n, MAX_PER_PAGE);
  }
  const include = new Set(String(query.include ?? '').split(',').map((s) => s.trim()).filter(Boolean));
  const excludeDeleted = String(query.exclude_deleted ?? '') === 'true';
  const carry: Record<string, string> = {};
  if (query.per_page !== undefined && query.per_page !== '') carry.per_page = String(perPage);
  if (include.size) carry.include = [...include].join(',');
  if (excludeDeleted) carry.exclude_deleted = 'true';
  return { startTime, cursor, perPage, include, excludeDeleted, carry };
}

/** The export horizon: rows must be older than this. */
export const horizonOf = (now: Date) => new Date(now.getTime() - HORIZON_MS);

export interface TimePage<T> {
  rows: Keyed<T>[];
  endOfStream: boolean;
  /** The start_time of the next request (the last item's second, or one past it when a second filled a page). */
  endTime: number;
}

/** One time-based page (see the module comment for the duplicate and full-second rules). */
export async function timePage<T extends { id: number }>(fetch: Fetch<T>, start: number, perPage: number, until: Date): Promise<TimePage<T>> {
  const rows = await fetch({ from: start, until, limit: perPage + 1 });
  if (rows.length <= perPage) return { rows, endOfStream: true, endTime: rows.length ? second(rows[rows.length - 1]) : start };
  let page = rows.slice(0, perPage);
  const lastSecond = second(page[page.length - 1]);
  if (second(page[0]) !== lastSecond) return { rows: page, endOfStream: false, endTime: lastSecond };
  // One second holds a whole page: take the rest of that second too, so the next page starts after it.
  const endOfSecond = new Date(Math.min(until.getTime(), (lastSecond + 1) * 1000));
  page = page.concat(await fetch({ after: positionOf(page[page.length - 1]), until: endOfSecond, limit: null }));
  // Whether anything follows that second, so a client is not sent to fetch an empty page.
  const more = await fetch({ from: lastSecond + 1, until, limit: 1 });
  return { rows: page, endOfStream: more.length === 0, endTime: lastSecond + 1 };
}

export interface CursorPage<T> {
  rows: Keyed<T>[];
  endOfStream: boolean;
  /** Where the next request continues: after the last row, or where this one started when it was empty. */
  after: Position;
}

/** One cursor-based page: exact keyset positions, so nothing repeats and nothing is skipped. */
export async function cursorPage<T extends { id: number }>(fetch: Fetch<T>, from: { cursor?: Position; startTime?: number }, perPage: number, until: Date): Promise<CursorPage<T>> {
  const rows = await fetch(from.cursor ? { after: from.cursor, until, limit: perPage + 1 } : { from: from.startTime ?? 0, until, limit: perPage + 1 });
  const page = rows.slice(0, perPage);
  // An empty first page continues from start_time itself: (start, id 0) precedes every row of that second.
  const after = page.length ? positionOf(page[page.length - 1]) : (from.cursor ?? { us: (from.startTime ?? 0) * 1_000_000, id: 0 });
  return { rows: page, endOfStream: rows.length <= perPage, after };
}
