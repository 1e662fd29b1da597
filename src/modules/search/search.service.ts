import { sql, type SqlBool } from 'kysely';
import type { AppContext } from '../../platform/context.js';
import type { Group, Organization, Ticket, User } from '../../platform/db-types.js';
import type { Actor } from '../accounts/actor.js';
import { documentIds, documentMatch, fieldCondition, rankQuery, type Match, type TextForm } from './ticket-filter.js';
import { documentShare, estimatedRows } from './estimate.js';
import { nextWindow, type IdWindow } from './windows.js';
import { parseQuery, QueryError, type FieldTerm, type Term, type TextTerm } from './query.js';
import { findTickets } from '../tickets/tickets.repository.js';

export type ResultType = 'ticket' | 'user' | 'organization' | 'group';
export const RESULT_TYPES: ResultType[] = ['ticket', 'user', 'organization', 'group'];
/** Zendesk answers at most 1000 results per query. */
export const MAX_RESULTS = 1000;

export interface SearchPlan {
  types: ResultType[];
  text: TextTerm[];
  fields: FieldTerm[];
  sortBy: 'relevance' | 'created_at' | 'updated_at' | 'priority' | 'status' | 'ticket_type';
  sortOrder: 'asc' | 'desc';
}

const SORTS: Record<string, SearchPlan['sortBy']> = { created: 'created_at', created_at: 'created_at', updated: 'updated_at', updated_at: 'updated_at', commented: 'updated_at', priority: 'priority', status: 'status', ticket_type: 'ticket_type' };

/** Splits a query into what to search, how to filter and how to sort. */
export function planSearch(query: string, params: { sortBy?: string; sortOrder?: string; type?: string }): SearchPlan {
  const terms: Term[] = parseQuery(query);
  const typeTerms = terms.filter((t): t is FieldTerm => t.kind === 'field' && t.key === 'type');
  const control = new Set(['type', 'order_by', 'sort']);
  const fields = terms.filter((t): t is FieldTerm => t.kind === 'field' && !control.has(t.key));
  const text = terms.filter((t): t is TextTerm => t.kind === 'text');
  const types = (params.type ? [params.type] : typeTerms.map((t) => t.value.toLowerCase())) as ResultType[];
  for (const type of types) if (!RESULT_TYPES.includes(type)) throw new QueryError(`type must be one of ${RESULT_TYPES.join(', ')}`);
  const orderBy = terms.find((t): t is FieldTerm => t.kind === 'field' && t.key === 'order_by')?.value ?? params.sortBy;
  const sort = terms.find((t): t is FieldTerm => t.kind === 'field' && t.key === 'sort')?.value ?? params.sortOrder;
  if (orderBy !== undefined && !SORTS[orderBy]) throw new QueryError(`order_by must be one of ${Object.keys(SORTS).join(', ')}`);
  if (sort !== undefined && sort !== 'asc' && sort !== 'desc') throw new QueryError('sort must be asc or desc');
  return {
    types: types.length ? [...new Set(types)] : fields.length ? ['ticket'] : RESULT_TYPES,
    text,
    fields,
    sortBy: orderBy ? SORTS[orderBy] : text.length ? 'relevance' : 'created_at',
    sortOrder: (sort as 'asc' | 'desc' | undefined) ?? 'desc',
  };
}

/** Repeating a keyword ORs its values; different keywords AND; a leading - negates one term. */
function grouped<T extends { key: string; negated: boolean }>(terms: T[]): { positive: Map<string, T[]>; negative: T[] } {
  const positive = new Map<string, T[]>();
  for (const t of terms.filter((x) => !x.negated)) positive.set(t.key, [...(positive.get(t.key) ?? []), t]);
  return { positive, negative: terms.filter((x) => x.negated) };
}

interface QueryShape {
  /** How positive text terms are matched (negated ones are always probed per ticket). */
  form: TextForm;
  /** Limits positive text matches to an id window (index form only). */
  window?: IdWindow;
  /** Leaves the text terms out, to estimate what the field filters alone leave. */
  fieldsOnly?: boolean;
}

/** The tickets query for a plan, without order or limit. Agents search every ticket. */
async function ticketQuery(ctx: AppContext, actor: Actor, plan: SearchPlan, shape: QueryShape) {
  const now = ctx.clock.now();
  const { positive, negative } = grouped(plan.fields);
  const groups = await Promise.all([...positive.values()].map((terms) => Promise.all(terms.map((t) => fieldCondition(ctx.db, actor, t, now, shape.form)))));
  const negated = await Promise.all(negative.map((t) => fieldCondition(ctx.db, actor, t, now, 'probe')));
  const texts = shape.fieldsOnly ? [] : plan.text;
  const positiveTexts = texts.filter((t) => !t.negated);
  let q = ctx.db
    .selectFrom('tickets')
    .where('tickets.deleted_at', 'is', null)
    .where((eb) =>
      eb.and([
        ...groups.map((alternatives) => eb.or(alternatives.map((c) => c(eb)))),
        ...negated.map((c) => eb.not(c(eb))),
        ...(positiveTexts.length ? [documentMatch(positiveTexts, shape.form, shape.window?.query)] : []),
        ...texts.filter((t) => t.negated).map((t) => eb.not(documentMatch([t], 'probe'))),
      ]),
    );
  // The id range lets PostgreSQL start and stop its walk of the tickets at the window's edges.
  if (shape.window) q = q.where('tickets.id', '>=', shape.window.from).where('tickets.id', '<=', shape.window.to);
  return q;
}

function ticketOrder(plan: SearchPlan) {
  const dir = plan.sortOrder === 'asc' ? sql`ASC` : sql`DESC`;
  switch (plan.sortBy) {
    case 'relevance':
      return sql`tickets.created_at DESC, tickets.id DESC`;
    case 'priority':
      return sql`array_position(ARRAY['low','normal','high','urgent']::text[], tickets.priority) ${dir} NULLS LAST, tickets.id ${dir}`;
    case 'status':
      return sql`array_position(ARRAY['new','open','pending','hold','solved','closed']::text[], tickets.status) ${dir}, tickets.id ${dir}`;
    case 'ticket_type':
      return sql`tickets.type ${dir} NULLS LAST, tickets.id ${dir}`;
    default:
      return sql`${sql.ref(`tickets.${plan.sortBy}`)} ${dir}, tickets.id ${dir}`;
  }
}

/** Windows are sized for a quarter more matches than the density suggests, so one usually suffices. */
const WINDOW_MARGIN = 1.25;

/**
 * Up to `want` matching ticket ids in id order from `after` (exclusive), newest first or upward.
 * Field filters that leave few tickets (the planner's estimate) drive the query and each of those
 * tickets is probed for the words. Otherwise the words drive it, through consecutive id windows
 * sized for the matches still wanted: the statistics' share of matching tickets sizes the first,
 * the density of matches seen so far the next, so a word found in a million tickets reads little
 * more than the matches a page needs, and none twice.
 */
export async function matchingIds(ctx: AppContext, actor: Actor, plan: SearchPlan, direction: 'desc' | 'asc', want: number, after?: number): Promise<number[]> {
  return (await matches(ctx, actor, plan, direction, want, { after })).map((m) => m.id);
}

/** matchingIds, with each match's relevance when `ranked` and the words alone decide (null otherwise). */
async function matches(ctx: AppContext, actor: Actor, plan: SearchPlan, direction: 'desc' | 'asc', want: number, { after, ranked = false }: { after?: number; ranked?: boolean }): Promise<Match[]> {
  const positive = plan.text.filter((t) => !t.negated);
  const run = async (shape: QueryShape, limit: number): Promise<Match[]> => {
    // Words alone: ticket ids straight from the index, the tickets themselves never visited.
    if (!plan.fields.length) return documentIds(ctx.db, plan.text, { direction, limit, after, window: shape.window, rankBy: ranked ? rankQuery(positive) : undefined });
    let q = (await ticketQuery(ctx, actor, plan, shape)).select('tickets.id');
    if (after !== undefined) q = q.where('tickets.id', direction === 'asc' ? '>' : '<', after);
    return (await q.orderBy('tickets.id', direction).limit(limit).execute()).map((r) => ({ id: r.id, rank: null }));
  };
  if (plan.fields.length && (await estimatedRows(ctx.db, (await ticketQuery(ctx, actor, plan, { form: 'probe', fieldsOnly: true })).select('tickets.id').compile())) < ctx.config.searchFilterFirstRows) {
    return run({ form: 'probe' }, want);
  }
  const [bounds, share] = await Promise.all([
    ctx.db.selectFrom('tickets').select((eb) => [eb.fn.min('id').as('min'), eb.fn.max('id').as('max')]).executeTakeFirstOrThrow(),
    documentShare(ctx.db, positive),
  ]);
  if (bounds.max === null || bounds.min === null) return [];
  // Without statistics (a fresh database) nothing says how far to look: the first window is everything.
  if (share === 0) return run({ form: 'index' }, want);
  const found: Match[] = [];
  let edge = after === undefined ? (direction === 'desc' ? bounds.max : bounds.min) : direction === 'desc' ? after - 1 : after + 1;
  let covered = 0;
  while (found.length < want) {
    const density = found.length ? found.length / covered : share;
    // Windows that found nothing say only that the word is rarer here: look four times as far.
    const span = covered && !found.length ? 4 * covered : Math.ceil(((want - found.length) / density) * WINDOW_MARGIN);
    const window = nextWindow(edge, direction, span, { min: bounds.min, max: bounds.max });
    if (!window) break;
    found.push(...(await run({ form: 'index', window }, want - found.length)));
    covered += window.to - window.from + 1;
    edge = direction === 'desc' ? window.from - 1 : window.to + 1;
  }
  return found;
}

export interface TicketPage {
  tickets: Ticket[];
  /** Matches, counted up to MAX_RESULTS + 1. */
  matched: number;
}

/**
 * A page of results in the plan's order. A query reaches at most MAX_RESULTS tickets, as at Zendesk;
 * with words those are the newest MAX_RESULTS matches (every match when there are no more), ordered
 * by relevance or the requested sort, except an ascending creation sort, which takes the oldest.
 */
export async function searchTickets(ctx: AppContext, actor: Actor, plan: SearchPlan, window: { offset: number; limit: number }): Promise<TicketPage> {
  const want = MAX_RESULTS + 1;
  const positive = plan.text.filter((t) => !t.negated);
  let ids: number[];
  let matched: number;
  if (!positive.length) {
    const q = await ticketQuery(ctx, actor, plan, { form: 'probe' });
    ids = (await q.select('tickets.id').orderBy(ticketOrder(plan)).limit(want).execute()).map((r) => r.id);
    matched = ids.length;
  } else {
    const oldestFirst = plan.sortBy === 'created_at' && plan.sortOrder === 'asc';
    const relevance = plan.sortBy === 'relevance';
    const candidates = await matches(ctx, actor, plan, oldestFirst ? 'asc' : 'desc', want, { ranked: relevance });
    matched = candidates.length;
    if (relevance && candidates.every((c) => c.rank !== null)) {
      // Ranked as the index read them (deleted tickets have no document): the newest first among equals.
      ids = [...candidates].sort((a, b) => b.rank! - a.rank! || b.id - a.id).map((c) => c.id);
    } else {
      const order = relevance
        ? sql`ts_rank(coalesce((SELECT vector FROM ticket_search s WHERE s.ticket_id = tickets.id), ''::tsvector), ${rankQuery(positive)}) DESC, tickets.id DESC`
        : ticketOrder(plan);
      const candidateIds = candidates.map((c) => c.id);
      ids = candidateIds.length ? (await ctx.db.selectFrom('tickets').select('tickets.id').where('tickets.id', '=', sql<number>`ANY(${candidateIds}::bigint[])`).where('tickets.deleted_at', 'is', null).orderBy(order).execute()).map((r) => r.id) : [];
    }
  }
  return { tickets: await ticketsInOrder(ctx, ids.slice(window.offset, window.offset + window.limit)), matched };
}

/** Export pages: matches in id order after a cursor, whatever the sort. */
export async function exportTickets(ctx: AppContext, actor: Actor, plan: SearchPlan, afterId: number, limit: number): Promise<Ticket[]> {
  if (!plan.text.some((t) => !t.negated)) {
    const q = await ticketQuery(ctx, actor, plan, { form: 'probe' });
    return q.selectAll('tickets').where('tickets.id', '>', afterId).orderBy('tickets.id').limit(limit).execute();
  }
  return ticketsInOrder(ctx, await matchingIds(ctx, actor, plan, 'asc', limit, afterId));
}

async function ticketsInOrder(ctx: AppContext, ids: number[]): Promise<Ticket[]> {
  if (!ids.length) return [];
  const rows = await findTickets(ctx.db, ids);
  const byId = new Map(rows.map((t) => [t.id, t]));
  return ids.map((id) => byId.get(id)).filter((t): t is Ticket => t !== undefined);
}

/** Every matching ticket, counted (/search/count); pages count through searchTickets instead. */
export async function countTickets(ctx: AppContext, actor: Actor, plan: SearchPlan): Promise<number> {
  const q = await ticketQuery(ctx, actor, plan, { form: 'index' });
  const row = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

const like = (s: string) => `%${s.replace(/[%_\\]/g, '\\$&')}%`;

/** People by name, email, role, external id or organization (free words match name or email). */
export async function searchUsers(ctx: AppContext, plan: SearchPlan, limit: number, afterId = 0): Promise<User[]> {
  const orgIds = async (v: string) => (/^\d+$/.test(v) ? [Number(v)] : (await ctx.db.selectFrom('organizations').select('id').where('name', 'ilike', v).execute()).map((o) => o.id));
  const conditions: ((eb: any) => any)[] = [];
  for (const t of plan.fields) {
    let c: (eb: any) => any;
    if (t.key === 'role') c = (eb) => eb('role', '=', t.value.toLowerCase() === 'end-user' || t.value.toLowerCase() === 'end_user' ? 'end-user' : t.value.toLowerCase());
    else if (t.key === 'email') c = (eb) => eb(sql`lower(email)`, 'like', like(t.value.toLowerCase()));
    else if (t.key === 'name') c = (eb) => eb('name', 'ilike', like(t.value));
    else if (t.key === 'external_id') c = (eb) => eb('external_id', '=', t.value);
    else if (t.key === 'organization') {
      const ids = await orgIds(t.value);
      c = (eb) => (ids.length ? eb('organization_id', 'in', ids) : sql<SqlBool>`false`);
    } else if (t.key === 'tags' || t.key === 'tag') c = () => sql<SqlBool>`tags @> ARRAY[${t.value.toLowerCase()}]::text[]`;
    else throw new QueryError(`Unknown user search keyword "${t.key}"`);
    conditions.push(t.negated ? (eb) => eb.not(c(eb)) : c);
  }
  for (const t of plan.text) {
    const c = (eb: any) => eb.or([eb('name', 'ilike', like(t.text)), eb(sql`lower(email)`, 'like', like(t.text.toLowerCase()))]);
    conditions.push(t.negated ? (eb) => eb.not(c(eb)) : c);
  }
  return ctx.db
    .selectFrom('users')
    .selectAll()
    .where('id', '>', afterId)
    .where((eb) => eb.and(conditions.map((c) => c(eb))))
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Organizations or groups by name (free words); no keywords apply to them. */
export async function searchNamed<T extends 'organizations' | 'groups'>(ctx: AppContext, table: T, plan: SearchPlan, limit: number, afterId = 0): Promise<(T extends 'organizations' ? Organization : Group)[]> {
  if (plan.fields.length) throw new QueryError(`${table} are searched by name only`);
  const rows = await (ctx.db.selectFrom(table as 'organizations') as any)
    .selectAll()
    .where('id', '>', afterId)
    .where('deleted_at', 'is', null)
    .where((eb: any) => eb.and(plan.text.map((t) => (t.negated ? eb.not(eb('name', 'ilike', like(t.text))) : eb('name', 'ilike', like(t.text))))))
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows;
}
