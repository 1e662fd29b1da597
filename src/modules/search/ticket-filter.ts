import { sql, type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool } from 'kysely';
import type { Executor } from '../../platform/db.js';
import type { Database } from '../../platform/db-types.js';
import type { Actor } from '../accounts/actor.js';
import { parseDateValue, QueryError, type FieldTerm, type Operator, type TextTerm } from './query.js';
import type { IdWindow } from './windows.js';

type EB = ExpressionBuilder<Database, 'tickets'>;
type Condition = Expression<SqlBool>;

const STATUSES = ['new', 'open', 'pending', 'hold', 'solved', 'closed'];
const PRIORITIES = ['low', 'normal', 'high', 'urgent'];
const TYPES = ['problem', 'incident', 'question', 'task'];

/** Values of an ordered scale that satisfy `op value` (status<solved → new, open, pending, hold). */
function ordered(scale: string[], op: Operator, value: string, key: string): string[] {
  const i = scale.indexOf(value.toLowerCase());
  if (i < 0) throw new QueryError(`${key} must be one of ${scale.join(', ')}`);
  const keep = { ':': (j: number) => j === i, '<': (j: number) => j < i, '>': (j: number) => j > i, '<=': (j: number) => j <= i, '>=': (j: number) => j >= i }[op];
  return scale.filter((_, j) => keep(j));
}

/** A tsquery for one text term: words ANDed, a phrase in order, a trailing * as a prefix. */
export function tsQuery(t: TextTerm) {
  if (t.phrase) return sql`phraseto_tsquery('simple', ${t.text})`;
  if (t.prefix) {
    const lexeme = t.text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
    return sql`to_tsquery('simple', ${`${lexeme}:*`})`;
  }
  return sql`plainto_tsquery('simple', ${t.text})`;
}

/**
 * How words are matched against a ticket's document (subject, description and every comment, internal
 * notes included: only agents search). `index`: `id IN (…)` read from the GIN index, optionally limited
 * to an id window. `probe`: a check of each ticket's document through its key, for when other
 * conditions leave few tickets or the words are negated; a scalar subquery, because PostgreSQL would
 * turn EXISTS into one hashed read of every match.
 */
export type TextForm = 'index' | 'probe';

/** One tsquery: every positive term, none of the negated ones, inside the window if any. */
export function documentQuery(terms: TextTerm[], window?: RawBuilder<unknown>) {
  const parts = [...terms.map((t) => (t.negated ? sql`(!! ${tsQuery(t)})` : tsQuery(t))), ...(window ? [window] : [])];
  return parts.reduce((a, b) => sql`(${a} && ${b})`);
}

/** A matching ticket, with the relevance of its document when it was asked for. */
export interface Match {
  id: number;
  rank: number | null;
}

/**
 * Tickets whose document matches, read from the index alone (deleted tickets have none), in id order
 * after `after` and inside `window` if given, ranked against `rankBy` in the same pass over the
 * vectors when given. Needs a positive term: the index cannot list what a word is not in.
 */
export async function documentIds(db: Executor, terms: TextTerm[], o: { direction: 'asc' | 'desc'; limit: number; after?: number; window?: IdWindow; rankBy?: RawBuilder<unknown> }): Promise<Match[]> {
  const asc = o.direction === 'asc';
  // When block lexemes bound the window inside the GIN index, the id bounds only trim its edges: kept
  // out of the primary key, whose bitmap over the id range PostgreSQL would AND in for nothing (at 1M
  // tickets, about 1 ms of a 4–5 ms statement).
  const id = o.window?.query ? sql`(ticket_id + 0)` : sql`ticket_id`;
  const after = o.after === undefined ? sql`` : asc ? sql`AND ${id} > ${o.after}` : sql`AND ${id} < ${o.after}`;
  const range = o.window ? sql`AND ${id} BETWEEN ${o.window.from} AND ${o.window.to}` : sql``;
  const { rows } = await sql<{ ticket_id: number; rank: number | null }>`
    SELECT ticket_id, ${o.rankBy ? sql`ts_rank(vector, ${o.rankBy})` : sql`NULL::real`} AS rank
    FROM ticket_search WHERE vector @@ ${documentQuery(terms, o.window?.query)} ${after} ${range}
    ORDER BY ticket_id ${asc ? sql`ASC` : sql`DESC`} LIMIT ${o.limit}`.execute(db);
  return rows.map((r) => ({ id: Number(r.ticket_id), rank: r.rank }));
}

/** What relevance is measured against: any of the positive terms. */
export const rankQuery = (positive: TextTerm[]) => positive.map((t) => tsQuery(t)).reduce((a, b) => sql`${a} || ${b}`);

/** Tickets whose document matches every one of `terms` (ANDed inside one tsquery, so inside the index). */
export function documentMatch(terms: TextTerm[], form: TextForm, window?: RawBuilder<unknown>): Condition {
  const q = [...terms.map(tsQuery), ...(window ? [window] : [])].reduce((a, b) => sql`(${a} && ${b})`);
  if (form === 'probe') return sql<SqlBool>`coalesce((SELECT s.vector @@ ${q} FROM ticket_search s WHERE s.ticket_id = tickets.id), false)`;
  return sql<SqlBool>`tickets.id IN (SELECT ticket_id FROM ticket_search WHERE vector @@ ${q})`;
}

/** `subject:`, `description:` and `comment:` keywords: the document narrows, the field's own text decides. */
function fieldTextMatch(t: TextTerm, field: 'subject' | 'description' | 'comment', form: TextForm): Condition {
  const q = tsQuery(t);
  if (field === 'comment') {
    return form === 'probe'
      ? sql<SqlBool>`EXISTS (SELECT 1 FROM ticket_comments c WHERE c.ticket_id = tickets.id AND to_tsvector('simple', c.body) @@ ${q})`
      : sql<SqlBool>`tickets.id IN (SELECT ticket_id FROM comment_search WHERE vector @@ ${q})`;
  }
  return sql<SqlBool>`${documentMatch([t], form)} AND to_tsvector('simple', ${sql.ref(`tickets.${field}`)}) @@ ${q}`;
}

/** Users a people keyword names: me, an id, an email, or a name. */
async function peopleIds(db: Executor, actor: Actor, value: string): Promise<number[]> {
  if (value.toLowerCase() === 'me') return [actor.user.id];
  if (/^\d{1,15}$/.test(value)) return [Number(value)];
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where((eb) => (value.includes('@') ? eb(sql`lower(email)`, '=', value.toLowerCase()) : eb('name', 'ilike', value.replace(/[%_\\]/g, '\\$&'))))
    .limit(100)
    .execute();
  return rows.map((r) => r.id);
}

async function namedIds(db: Executor, table: 'organizations' | 'groups', value: string): Promise<number[]> {
  if (/^\d{1,15}$/.test(value)) return [Number(value)];
  const rows = await db.selectFrom(table).select('id').where('name', 'ilike', value.replace(/[%_\\]/g, '\\$&')).limit(100).execute();
  return rows.map((r) => r.id);
}

const none = (v: string) => v.toLowerCase() === 'none';
const idsOrNothing = (eb: EB, column: 'tickets.assignee_id' | 'tickets.requester_id' | 'tickets.submitter_id' | 'tickets.organization_id' | 'tickets.group_id', ids: number[]) =>
  ids.length ? eb(column, 'in', ids) : sql<SqlBool>`false`;

function dateCondition(eb: EB, column: 'tickets.created_at' | 'tickets.updated_at' | 'tickets.solved_at', t: FieldTerm, now: Date): Condition {
  const { start, end } = parseDateValue(t.value, now);
  const relative = start.getTime() === end.getTime();
  switch (t.op) {
    case ':':
      return relative ? eb(column, '>=', start) : eb.and([eb(column, '>=', start), eb(column, '<', end)]);
    case '>':
      return eb(column, relative ? '>=' : '>=', relative ? start : end);
    case '>=':
      return eb(column, '>=', start);
    case '<':
      return eb(column, '<', start);
    case '<=':
      return eb(column, '<', end.getTime() === start.getTime() ? new Date(start.getTime() + 1) : end);
  }
}

/**
 * One condition per field term. People, organization and group names are resolved first (they need
 * queries); everything else compiles to SQL on the tickets table and its indexes.
 */
export async function fieldCondition(db: Executor, actor: Actor, t: FieldTerm, now: Date, form: TextForm): Promise<(eb: EB) => Condition> {
  const v = t.value;
  switch (t.key) {
    case 'status':
      return (eb) => eb('tickets.status', 'in', ordered(STATUSES, t.op, v, 'status') as never);
    case 'priority':
      return (eb) => (none(v) ? eb('tickets.priority', 'is', null) : eb('tickets.priority', 'in', ordered(PRIORITIES, t.op, v, 'priority') as never));
    case 'ticket_type':
      return (eb) => (none(v) ? eb('tickets.type', 'is', null) : eb('tickets.type', 'in', ordered(TYPES, ':', v, 'ticket_type') as never));
    case 'assignee':
    case 'requester':
    case 'submitter': {
      const column = `tickets.${t.key}_id` as 'tickets.assignee_id';
      if (none(v)) return (eb) => eb(column, 'is', null);
      const ids = await peopleIds(db, actor, v);
      return (eb) => idsOrNothing(eb, column, ids);
    }
    case 'cc': {
      const ids = await peopleIds(db, actor, v);
      return (eb) =>
        ids.length ? eb.exists(eb.selectFrom('ticket_collaborators').select(sql`1`.as('x')).whereRef('ticket_collaborators.ticket_id', '=', 'tickets.id').where('ticket_collaborators.user_id', 'in', ids)) : sql<SqlBool>`false`;
    }
    case 'organization':
    case 'group': {
      const column = t.key === 'organization' ? 'tickets.organization_id' : 'tickets.group_id';
      if (none(v)) return (eb) => eb(column, 'is', null);
      const ids = await namedIds(db, t.key === 'organization' ? 'organizations' : 'groups', v);
      return (eb) => idsOrNothing(eb, column, ids);
    }
    case 'tags':
    case 'tag':
      return () => sql<SqlBool>`tickets.tags @> ARRAY[${v.toLowerCase()}]::text[]`;
    case 'via':
      return (eb) => eb('tickets.via_channel', '=', v.toLowerCase());
    case 'subject':
    case 'description':
    case 'comment': {
      const term: TextTerm = { kind: 'text', text: v, phrase: v.includes(' '), prefix: false, negated: false };
      return () => fieldTextMatch(term, t.key as 'subject' | 'description' | 'comment', t.negated ? 'probe' : form);
    }
    case 'has_attachment':
      return (eb) => {
        const has = eb.exists(eb.selectFrom('attachments').select(sql`1`.as('x')).whereRef('attachments.ticket_id', '=', 'tickets.id').where('attachments.deleted_at', 'is', null));
        return v.toLowerCase() === 'false' ? eb.not(has) : has;
      };
    case 'created':
    case 'updated':
    case 'solved':
      parseDateValue(v, now); // reports a bad date before any SQL runs
      return (eb) => dateCondition(eb, `tickets.${t.key}_at` as 'tickets.created_at', t, now);
    case 'form': {
      const forms = await db.selectFrom('ticket_forms').select('id').where('name', 'ilike', v.replace(/[%_\\]/g, '\\$&')).execute();
      return (eb) => (forms.length ? eb('tickets.form_id', 'in', forms.map((f) => f.id)) : sql<SqlBool>`false`);
    }
    case 'fieldvalue':
      return () => sql<SqlBool>`EXISTS (SELECT 1 FROM jsonb_each_text(tickets.custom_fields) f WHERE lower(f.value) = ${v.toLowerCase()})`;
    default: {
      const custom = /^custom_field_(\d{1,15})$/.exec(t.key);
      if (custom) return () => sql<SqlBool>`lower(tickets.custom_fields ->> ${custom[1]}) = ${v.toLowerCase()}`;
      throw new QueryError(`Unknown search keyword "${t.key}"`);
    }
  }
}

