import { cachedConfig } from '../../platform/config-cache.js';
import type { Executor } from '../../platform/db.js';
import type { FieldCondition, TicketField, TicketForm } from '../../platform/db-types.js';
import { sql, type Selectable } from 'kysely';
import type { TicketFieldOptionsTable } from '../../platform/db-types.js';

export type FieldOption = Selectable<TicketFieldOptionsTable>;
export interface FieldWithOptions extends TicketField {
  options: FieldOption[];
}
export interface FormWithFields extends TicketForm {
  fields: FieldWithOptions[];
}

/** Fields with their options, in one statement (options arrive as JSON: every column of theirs is JSON-safe). */
export async function listFields(db: Executor, ids?: number[]): Promise<FieldWithOptions[]> {
  if (ids && !ids.length) return [];
  let q = db
    .selectFrom('ticket_fields')
    .selectAll('ticket_fields')
    .select(
      sql<FieldOption[]>`coalesce((SELECT json_agg(o ORDER BY o.position, o.id) FROM ticket_field_options o WHERE o.field_id = ticket_fields.id), '[]'::json)`.as('options'),
    )
    .orderBy('position')
    .orderBy('id');
  if (ids) q = q.where('id', 'in', ids);
  return q.execute();
}

/** Field ids of each form in form order. */
export async function formFieldIds(db: Executor, formIds: number[]): Promise<Map<number, number[]>> {
  const map = new Map<number, number[]>(formIds.map((id) => [id, []]));
  if (!formIds.length) return map;
  const rows = await db.selectFrom('ticket_form_fields').selectAll().where('form_id', 'in', formIds).orderBy('position').execute();
  for (const r of rows) map.get(r.form_id)?.push(r.field_id);
  return map;
}

export async function listForms(db: Executor): Promise<TicketForm[]> {
  return db.selectFrom('ticket_forms').selectAll().orderBy('position').orderBy('id').execute();
}

/** A form with its fields and options: what validating a ticket against it needs. Two statements. */
export async function loadForm(db: Executor, id: number): Promise<FormWithFields | null> {
  const row = await db
    .selectFrom('ticket_forms')
    .selectAll()
    .select(sql<number[]>`array(SELECT ff.field_id FROM ticket_form_fields ff WHERE ff.form_id = ticket_forms.id ORDER BY ff.position)`.as('field_ids'))
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  const { field_ids: ids, ...form } = row;
  const byId = new Map((await listFields(db, ids)).map((f) => [f.id, f]));
  return { ...form, fields: ids.map((i) => byId.get(i)!).filter(Boolean) };
}

/** loadForm from the node's configuration cache, for ticket writes (services that edit forms read the tables). */
export const cachedForm = (db: Executor, id: number) => cachedConfig(db, `form:${id}`, (d) => loadForm(d, id));

/** The form a ticket gets when none is named, from the configuration cache. */
export const cachedDefaultFormId = (db: Executor) => cachedConfig(db, 'default-form', defaultFormId);

export async function defaultFormId(db: Executor): Promise<number> {
  const form = await db.selectFrom('ticket_forms').select('id').where('active', '=', true).orderBy('is_default', 'desc').orderBy('position').executeTakeFirstOrThrow();
  return form.id;
}

export const conditionsOf = (form: TicketForm, portal: boolean): FieldCondition[] =>
  (portal ? form.end_user_conditions : form.agent_conditions) as unknown as FieldCondition[];
