import type { Executor } from '../../platform/db.js';
import type { RuleLookup, RuleField } from './actions.js';
import { isCustom } from '../tickets/field-values.js';

/** Existence checks for rule validation, answered from the database (one small query each). */
export function ruleLookup(db: Executor): RuleLookup {
  const fields = new Map<number, RuleField | null>();
  return {
    async exists(kind, id) {
      switch (kind) {
        case 'groups':
          return !!(await db.selectFrom('groups').select('id').where('id', '=', Number(id)).where('deleted_at', 'is', null).executeTakeFirst());
        case 'agents':
          return !!(await db.selectFrom('users').select('id').where('id', '=', Number(id)).where('role', 'in', ['agent', 'admin']).executeTakeFirst());
        case 'users':
          return !!(await db.selectFrom('users').select('id').where('id', '=', Number(id)).executeTakeFirst());
        case 'organizations':
          return !!(await db.selectFrom('organizations').select('id').where('id', '=', Number(id)).where('deleted_at', 'is', null).executeTakeFirst());
        case 'forms':
          return !!(await db.selectFrom('ticket_forms').select('id').where('id', '=', Number(id)).executeTakeFirst());
        case 'webhooks':
          return !!(await db.selectFrom('webhooks').select('id').where('id', '=', id).executeTakeFirst());
        case 'custom_field':
          return !!(await this.field(Number(id)));
      }
    },
    async field(id) {
      if (fields.has(id)) return fields.get(id)!;
      const row = await db.selectFrom('ticket_fields').select(['id', 'type', 'title']).where('id', '=', id).executeTakeFirst();
      const options = row ? await db.selectFrom('ticket_field_options').select('value').where('field_id', '=', id).orderBy('position').execute() : [];
      const field = row && isCustom(row) ? { ...row, options: options.map((o) => o.value) } : null;
      fields.set(id, field);
      return field;
    },
    async webhookFormat(id) {
      return (await db.selectFrom('webhooks').select('request_format').where('id', '=', id).executeTakeFirst())?.request_format ?? null;
    },
  };
}

/** The next position at the end of a rule list. */
export async function nextPosition(db: Executor, table: 'macros' | 'triggers'): Promise<number> {
  const row = await db.selectFrom(table).select((eb) => eb.fn.max('position').as('max')).executeTakeFirst();
  return Number(row?.max ?? -1) + 1;
}

/** An ILIKE pattern matching `text` anywhere, with LIKE's wildcards in it taken literally. */
export const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

interface RuleFields {
  title?: string;
  description?: string | null;
  active?: boolean;
  position?: number;
  actions?: unknown[];
}

/** The columns macros and triggers share, for an insert: defaults filled, at the end of the order. */
export async function newRuleValues(db: Executor, table: 'macros' | 'triggers', f: RuleFields & { title: string; actions: unknown[] }) {
  return {
    title: f.title,
    description: f.description ?? null,
    active: f.active ?? true,
    position: f.position ?? (await nextPosition(db, table)),
    actions: JSON.stringify(f.actions),
    updated_at: new Date(),
  };
}

/** The columns macros and triggers share, for an update: only the keys given change. */
export const changedRuleValues = (f: RuleFields) => ({
  title: f.title,
  description: f.description,
  active: f.active,
  position: f.position,
  actions: f.actions ? JSON.stringify(f.actions) : undefined,
  updated_at: new Date(),
});
