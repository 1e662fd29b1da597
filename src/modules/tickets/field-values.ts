import type { Priority } from '../../platform/db-types.js';
import { Problems } from '../../platform/errors.js';
import { conditionsOf, type FieldWithOptions, type FormWithFields } from './forms.repository.js';

export type CustomValue = string | number | boolean | string[] | null;
export type CustomValues = Record<string, CustomValue>;

const SYSTEM_TYPES = new Set(['subject', 'description', 'status', 'priority', 'group', 'assignee', 'tickettype']);
export const isCustom = (f: { type: string }) => !SYSTEM_TYPES.has(f.type);

const MAX_TEXT = 10_000;

function coerce(field: FieldWithOptions, raw: unknown, problems: Problems, current: CustomValue | undefined): CustomValue | undefined {
  const label = field.title;
  const fail = (msg: string, code = 'InvalidValue') => {
    problems.add(`custom_fields.${field.id}`, `${label}: ${msg}`, code, { ticket_field_id: field.id });
    return undefined;
  };
  if (raw === null || raw === '') return null;
  switch (field.type) {
    case 'tagger': {
      if (typeof raw !== 'string') return fail('must be one of the listed options');
      const option = field.options.find((o) => o.value === raw) ?? field.options.find((o) => o.name.toLowerCase() === raw.toLowerCase());
      const choosable = field.options.filter((o) => o.active).map((o) => o.value);
      if (!option) return fail(`"${raw.slice(0, 100)}" is not one of the options (${choosable.join(', ')})`);
      // A retired option stays on the tickets that have it, but nobody can pick it again.
      if (!option.active && option.value !== current) return fail(`"${option.name}" is no longer offered; choose another option`);
      return option.value;
    }
    case 'multiselect': {
      if (!Array.isArray(raw) || raw.some((v) => typeof v !== 'string')) return fail('must be a list of option values');
      const unknown = (raw as string[]).filter((v) => !field.options.some((o) => o.value === v));
      if (unknown.length) return fail(`unknown options: ${unknown.join(', ')}`);
      return [...new Set(raw as string[])];
    }
    case 'checkbox':
      if (typeof raw !== 'boolean') return fail('must be true or false');
      return raw;
    case 'integer':
      if (typeof raw === 'number' ? !Number.isSafeInteger(raw) : !/^-?\d{1,15}$/.test(String(raw))) return fail('must be a whole number');
      return Number(raw);
    case 'decimal':
      if (!Number.isFinite(Number(raw)) || typeof raw === 'boolean') return fail('must be a number');
      return Number(raw);
    case 'date':
      if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(Date.parse(raw))) return fail('must be a date as YYYY-MM-DD');
      return raw;
    default: {
      if (typeof raw !== 'string' && typeof raw !== 'number') return fail('must be text');
      const text = String(raw).trim();
      if (text.length > MAX_TEXT) return fail(`is too long (maximum is ${MAX_TEXT} characters)`, 'ValueTooLong');
      if (field.regexp_for_validation && text && !new RegExp(field.regexp_for_validation).test(text)) return fail('is not in the expected format');
      return text === '' ? null : text;
    }
  }
}

export interface FieldCheck {
  form: FormWithFields;
  /** Current values (on update) merged with the submitted ones. */
  current: CustomValues;
  submitted: { id: number; value: unknown }[];
  priority: Priority | null;
  /** End-user submissions enforce `required_in_portal` and the end-user conditions. */
  portal: boolean;
  /** Required fields are enforced when the ticket is created (and on solve by agents, later). */
  enforceRequired: boolean;
}

/**
 * Validates custom field values against a form: known field, right type, a listed option, the field's
 * pattern; then required and conditionally-required fields. Collects every problem before failing.
 */
export function checkFieldValues(check: FieldCheck, problems: Problems): CustomValues {
  const { form } = check;
  const values: CustomValues = { ...check.current };
  const byId = new Map(form.fields.map((f) => [f.id, f]));
  for (const { id, value } of check.submitted) {
    const field = byId.get(Number(id));
    if (!field || !isCustom(field)) {
      problems.add(`custom_fields.${id}`, `Field ${id} is not on the ${form.name} form`, 'InvalidValue', { ticket_field_id: Number(id) });
      continue;
    }
    if (check.portal && !field.editable_in_portal) continue;
    const v = coerce(field, value, problems, check.current[String(field.id)]);
    if (v !== undefined) values[String(field.id)] = v;
  }
  if (!check.enforceRequired) return values;

  const conditionallyRequired = new Set<number>();
  for (const c of conditionsOf(form, check.portal)) {
    if (values[String(c.parent_field_id)] === c.value) c.child_fields.filter((ch) => ch.is_required).forEach((ch) => conditionallyRequired.add(ch.id));
  }
  for (const field of form.fields) {
    const required = (check.portal ? field.required_in_portal : field.required) || conditionallyRequired.has(field.id);
    if (!required) continue;
    if (field.type === 'priority') {
      if (!check.priority) problems.add('priority', 'Priority: cannot be blank', 'BlankValue', { ticket_field_id: field.id });
      continue;
    }
    if (!isCustom(field)) continue;
    const v = values[String(field.id)];
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && !v.length)) {
      problems.add(`custom_fields.${field.id}`, `${field.title}: cannot be blank`, 'BlankValue', { ticket_field_id: field.id });
    }
  }
  return values;
}

/** Only values of fields on the form are kept when a ticket moves between forms. */
export const formHasPriority = (form: FormWithFields) => form.fields.some((f) => f.type === 'priority');
