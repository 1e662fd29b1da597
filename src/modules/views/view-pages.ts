import { sql, type Expression, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { Database, Ticket } from '../../platform/db-types.js';
import { AppError } from '../../platform/errors.js';
import { encodeCursor, firstRows, invalidCursor, keysetQueries, type CursorPosition, type KeysetPlace, type PageRequest } from '../../platform/pagination.js';
import { priorityRank, SORT_KEYS, type SortKey, type ViewDefinition } from './view-definitions.js';

/**
 * Paging a view's tickets: by cursor (keyset on the sort value and the id: page 1,000 costs what page 1
 * does, and a ticket that changes while an agent pages moves alone, never shifting the others) or by
 * offset for Zendesk clients that know only `page`/`per_page`, up to OFFSET_LIMIT records.
 */

/** As Zendesk: offset pages stop at the 10,000th record; deeper pages are read with a cursor. */
export const OFFSET_LIMIT = 10_000;

export interface ViewSort {
  by: SortKey;
  order: 'asc' | 'desc';
}

/**
 * How each sort is compared in SQL and carried in a cursor. sla_next_breach_at (nothing running) and
 * solved_at (never solved, or reopened) can be NULL; such tickets come last in either order.
 */
const SORTS: Record<SortKey, { type: 'timestamptz' | 'text' | 'int' | 'bigint'; nullable: boolean }> = {
  id: { type: 'bigint', nullable: false },
  created_at: { type: 'timestamptz', nullable: false },
  updated_at: { type: 'timestamptz', nullable: false },
  priority: { type: 'int', nullable: false },
  status: { type: 'text', nullable: false },
  subject: { type: 'text', nullable: false },
  sla_next_breach_at: { type: 'timestamptz', nullable: true },
  solved_at: { type: 'timestamptz', nullable: true },
};

const sortExpr = (by: SortKey): Expression<unknown> => (by === 'priority' ? priorityRank : sql.ref(`tickets.${by}`));

/** The sort as a Zendesk `sort` value: `updated_at` or `-updated_at`; cursors carry it. */
export const sortToken = (s: ViewSort) => `${s.order === 'desc' ? '-' : ''}${s.by}`;

/**
 * The sort of a request: cursor pages take Zendesk's `sort=-field`; both kinds take `sort_by`/`sort_order`
 * (what the offset API and the agent workspace send); otherwise the view's own order.
 */
export function requestedSort(view: ViewDefinition, page: PageRequest, q: Record<string, unknown>): ViewSort {
  if (page.mode === 'cursor' && page.sort) return { by: page.sort as SortKey, order: page.desc ? 'desc' : 'asc' };
  const by = (q.sort_by ?? view.sort.by) as SortKey;
  if (!SORT_KEYS.includes(by)) throw new AppError('BadRequest', `sort_by must be one of ${SORT_KEYS.join(', ')}`);
  const order = q.sort_order === 'asc' || q.sort_order === 'desc' ? q.sort_order : view.sort.order;
  return { by, order };
}

/**
 * The row's sort value as the cursor stores it. Timestamps go as ISO text with microseconds, written by
 * PostgreSQL: a JS Date keeps milliseconds only, and a cursor a microsecond off would repeat or skip rows.
 */
function sortValueSql(by: SortKey) {
  const e = sortExpr(by);
  return SORTS[by].type === 'timestamptz' ? sql<string | number | null>`to_char(${e} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')` : sql<string | number | null>`${e}`;
}

const ISO_MICROS = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{6})Z$/;

/** A real instant PostgreSQL accepts (year 1 to 9999, no 30 February): anything else would be a 500 there. */
function isInstant(v: string): boolean {
  const m = ISO_MICROS.exec(v);
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number);
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1];
  return y >= 1 && days !== undefined && d >= 1 && d <= days && h <= 23 && mi <= 59 && s <= 59;
}

/** The cursor's place in `sort`, after checking every part of it: a cursor is client input. */
function placeOf(c: CursorPosition, sort: ViewSort): KeysetPlace {
  if (c.sort !== sortToken(sort)) {
    throw invalidCursor(`it was made for ${c.sort ? `sort=${c.sort}` : 'another list'}, not sort=${sortToken(sort)}; start again without page[after]/page[before]`);
  }
  const { type, nullable } = SORTS[sort.by];
  const v = c.value;
  if (v === null) {
    if (!nullable) throw invalidCursor();
    return { value: null, id: c.id };
  }
  const ok =
    type === 'timestamptz' ? typeof v === 'string' && isInstant(v)
    : type === 'text' ? typeof v === 'string' && v.length <= 10_000 && !v.includes('\u0000')
    : type === 'int' ? Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 4
    : Number.isSafeInteger(v);
  if (!ok) throw invalidCursor();
  // A scalar subquery (an InitPlan): still where the index scan starts, but a value the planner cannot
  // estimate, so it takes a third of the view to lie past the cursor and reads the page from the index in
  // order. Estimated, the cursor's bound was multiplied with the view's own conditions as if independent:
  // "Recently solved" (solved_at within 7 days) before a cursor 90 % down looked like 55 rows, not 2,744
  // (100k tickets), and was read whole and sorted (18-71 ms, 0.3 ms now); "All open" and "Breaching
  // soon" after one likewise (17-26 ms, 0.3 ms now).
  return { value: sql`(SELECT ${v}::${sql.raw(type)})`, id: c.id };
}

export type PagedTicket = Ticket & { sort_value: string | number | null };

/** The cursor of a ticket on a page read by readViewPage. */
export const cursorOfTicket = (sort: ViewSort) => (t: PagedTicket) => encodeCursor({ id: t.id, sort: sortToken(sort), value: t.sort_value });

type TicketQuery = SelectQueryBuilder<Database, 'tickets', object>;

/**
 * One page of a view's tickets (one row more than asked, as pageEnvelope expects; nearest first when
 * paging backwards). `base` is the view's filtered, visible tickets.
 */
export async function readViewPage(base: TicketQuery, sort: ViewSort, page: PageRequest): Promise<PagedTicket[]> {
  const { nullable } = SORTS[sort.by];
  const expr = sortExpr(sort.by);
  const rows = base.selectAll('tickets').select(sortValueSql(sort.by).as('sort_value'));
  if (page.mode === 'offset') {
    // Offset pages list the same order as cursor pages, tickets without a breach time or a solve last.
    // Ascending, that is PostgreSQL's own NULL placement and an ascending index's order. Descending, no
    // index read gives it (one `ORDER BY sort DESC NULLS LAST` read and sorted the whole view for each
    // page: "Recently solved", a week of solves), so the valued rows and the NULLs are two queries, each
    // an index read in order, as for cursor pages.
    const limit = page.perPage + 1;
    const offset = (page.page - 1) * page.perPage;
    const ordered = (q: typeof rows, by: Expression<unknown>) => q.orderBy(by, sort.order).orderBy('tickets.id', sort.order);
    if (!nullable || sort.order === 'asc') return (await ordered(rows, expr).limit(limit).offset(offset).execute()) as PagedTicket[];
    const valued = (await ordered(rows.where(sql<SqlBool>`${expr} IS NOT NULL`), expr).limit(limit).offset(offset).execute()) as PagedTicket[];
    if (valued.length === limit) return valued;
    // A page that starts past the valued rows skips some NULLs too: how many takes a count (last pages only).
    const skipNulls = valued.length || !offset ? 0 : offset - Number((await base.where(sql<SqlBool>`${expr} IS NOT NULL`).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const nulls = (await rows.where(sql<SqlBool>`${expr} IS NULL`).orderBy('tickets.id', sort.order).limit(limit - valued.length).offset(skipNulls).execute()) as PagedTicket[];
    return [...valued, ...nulls];
  }
  const at = { after: page.after && placeOf(page.after, sort), before: page.before && placeOf(page.before, sort) };
  const order = { sort: expr, id: sql.ref('tickets.id'), desc: sort.order === 'desc', nullable };
  return (await firstRows(keysetQueries(rows, order, at, page.size + 1), page.size + 1)) as PagedTicket[];
}
