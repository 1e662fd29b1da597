import type { Executor } from '../../platform/db.js';
import type { FieldCondition, TicketField, TicketForm } from '../../platform/db-types.js';
import type { Selectable } from 'kysely';
import type { TicketFieldOptionsTable } from '../../platform/db-types.js';

export type FieldOption = Selectable<TicketFieldOptionsTable>;
export interface FieldWithOptions extends TicketField {
  options: FieldOption[];
}
export interface FormWithFields extends TicketForm {
  fields: FieldWithOptions[];
}

export async function listFields(db: Executor, ids?: number[]): Promise<FieldWithOptions[]> {
  let q = db.selectFrom('ticket_fields').selectAll().orderBy('position').orderBy('id');
  if (ids) {
    if (!ids.length) return [];
    q = q.where('id', 'in', ids);
  }
  const fields = await q.execute();
  if (!fields.length) return [];
  const options = await db
    .selectFrom('ticket_field_options')
    .selectAll()
    .where('field_id', 'in', fields.map((f) => f.id))
    .orderBy('position')
    .orderBy('id')
    .execute();
  return fields.map((f) => ({ ...f, options: options.filter((o) => o.field_id === f.id) }));
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

/** A form with its fields and options: what validating a ticket against it needs. */
export async function loadForm(db: Executor, id: number): Promise<FormWithFields | null> {
  const form = await db.selectFrom('ticket_forms').selectAll().where('id', '=', id).executeTakeFirst();
  if (!form) return null;
  const ids = (await formFieldIds(db, [form.id])).get(form.id) ?? [];
  const byId = new Map((await listFields(db, ids)).map((f) => [f.id, f]));
  return { ...form, fields: ids.map((i) => byId.get(i)!).filter(Boolean) };
}

export async function defaultFormId(db: Executor): Promise<number> {
  const form = await db.selectFrom('ticket_forms').select('id').where('active', '=', true).orderBy('is_default', 'desc').orderBy('position').executeTakeFirstOrThrow();
  return form.id;
}

export const conditionsOf = (form: TicketForm, portal: boolean): FieldCondition[] =>
  (portal ? form.end_user_conditions : form.agent_conditions) as unknown as FieldCondition[];
