import { sql, type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool } from 'kysely';
import type { Executor } from '../../platform/db.js';
import type { Database } from '../../platform/db-types.js';
import type { Actor } from '../accounts/actor.js';
import { parseDateValue, QueryError, type FieldTerm, type Operator, type TextTerm } from './query.js';

type EB = ExpressionBuilder<Database, 'tickets'>;
type Condition = Expression<SqlBool>;
export type TextField = 'all' | 'subject' | 'description' | 'comment';

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
 * How a text condition is written. `index`: `id IN (… UNION …)`, each side read from its GIN index
 * (an OR of EXISTS would make PostgreSQL scan every ticket), optionally limited to an id window.
 * `probe`: a per-ticket check of the stored vectors through their keys, for when other conditions
 * leave few tickets or the term is negated; scalar subqueries, because PostgreSQL would turn EXISTS
 * into one hashed read of every match.
 */
export type TextForm = 'index' | 'probe';

export function textMatch(t: TextTerm, form: TextForm, where: TextField = 'all', window?: RawBuilder<unknown>): Condition {
  const q = tsQuery(t);
  // The window's lexemes live in the stored vectors only, never in the field's own text.
  const stored = window ? sql`(${q} && ${window})` : q;
  const field = where === 'subject' || where === 'description' ? sql<SqlBool>`to_tsvector('simple', ${sql.ref(`tickets.${where}`)}) @@ ${q}` : null;
  if (form === 'probe') {
    const inTicket = sql<SqlBool>`coalesce((SELECT true FROM ticket_search s WHERE s.ticket_id = tickets.id AND s.vector @@ ${stored} LIMIT 1), false)`;
    const inComments = sql<SqlBool>`coalesce((SELECT true FROM comment_search c WHERE c.ticket_id = tickets.id AND c.vector @@ ${stored} LIMIT 1), false)`;
    if (where === 'comment') return inComments;
    if (field) return field;
    return sql<SqlBool>`(${inTicket} OR ${inComments})`;
  }
  const inComments = sql`SELECT ticket_id FROM comment_search WHERE vector @@ ${stored}`;
  const inTicket = sql`SELECT ticket_id FROM ticket_search WHERE vector @@ ${stored}`;
  if (where === 'comment') return sql<SqlBool>`tickets.id IN (${inComments})`;
  // The stored vector narrows the candidates through its index; the field's own text decides.
  if (field) return sql<SqlBool>`tickets.id IN (${inTicket}) AND ${field}`;
  return sql<SqlBool>`tickets.id IN (${inTicket} UNION ${inComments})`;
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
      return () => textMatch(term, t.negated ? 'probe' : form, t.key as TextField);
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

