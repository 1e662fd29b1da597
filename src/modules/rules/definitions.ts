import type { Db } from '../../platform/db.js';
import { isCustom } from '../tickets/field-values.js';
import { ACTIONS, type ActionSpec } from './actions.js';
import { CONDITIONS, CUSTOM_FIELD_OPERATORS, OPERATOR_TITLES, TERMINAL, type ConditionSpec, type Operator, type ValueSource } from './conditions.js';

type Choice = { value: string; title: string; enabled: boolean };

/** Records a definition may offer as values (capped: a huge desk gets the first 500 by name). */
async function sources(db: Db): Promise<Record<ValueSource | 'webhooks', Choice[]>> {
  const choice = (value: string | number, title: string): Choice => ({ value: String(value), title, enabled: true });
  const [groups, agents, organizations, forms, webhooks] = await Promise.all([
    db.selectFrom('groups').select(['id', 'name']).where('deleted_at', 'is', null).orderBy('name').limit(500).execute(),
    db.selectFrom('users').select(['id', 'name']).where('role', 'in', ['agent', 'admin']).where('active', '=', true).orderBy('name').limit(500).execute(),
    db.selectFrom('organizations').select(['id', 'name']).where('deleted_at', 'is', null).orderBy('name').limit(500).execute(),
    db.selectFrom('ticket_forms').select(['id', 'name']).orderBy('id').execute(),
    db.selectFrom('webhooks').select(['id', 'name', 'status']).orderBy('name').execute(),
  ]);
  return {
    groups: groups.map((g) => choice(g.id, g.name)),
    agents: agents.map((u) => choice(u.id, u.name)),
    organizations: organizations.map((o) => choice(o.id, o.name)),
    forms: forms.map((f) => choice(f.id, f.name)),
    webhooks: webhooks.map((w) => ({ ...choice(w.id, w.name), enabled: w.status === 'active' })),
    // Any user may be named by id; listing them all would not scale, so agents are offered.
    users: agents.map((u) => choice(u.id, u.name)),
    custom_field: [],
  };
}

const operatorList = (ops: readonly Operator[]) => ops.map((op) => ({ value: op, title: OPERATOR_TITLES[op], terminal: TERMINAL.has(op) }));

/**
 * `GET /triggers/definitions`: what conditions and actions exist, with their operators and values, in
 * Zendesk's shape (Mattermost's Zendesk app builds its trigger form from `conditions_all`).
 */
export async function triggerDefinitions(db: Db) {
  const values = await sources(db);
  const choices = (spec: { values?: readonly { value: string; title: string }[]; source?: ValueSource | 'webhooks'; special?: readonly { value: string; title: string }[] }) => [
    ...(spec.special ?? []).map((s) => ({ ...s, enabled: true })),
    ...(spec.values ?? []).map((v) => ({ ...v, enabled: true })),
    ...(spec.source ? values[spec.source] : []),
  ];
  const fields = (await db.selectFrom('ticket_fields').select(['id', 'type', 'title']).where('active', '=', true).orderBy('position').execute()).filter(isCustom);
  const options = fields.length ? await db.selectFrom('ticket_field_options').select(['field_id', 'name', 'value']).where('field_id', 'in', fields.map((f) => f.id)).orderBy('position').execute() : [];
  const customChoices = (id: number) => options.filter((o) => o.field_id === id).map((o) => ({ value: o.value, title: o.name, enabled: true }));

  const condition = (subject: string, spec: ConditionSpec) => ({
    subject,
    title: spec.title,
    type: spec.type,
    group: spec.group,
    nullable: spec.nullable,
    repeatable: false,
    operators: operatorList(spec.operators),
    values: spec.type === 'list' ? choices(spec) : [],
  });
  const customConditions = fields.map((f) => ({
    subject: `custom_fields_${f.id}`,
    title: f.title,
    type: f.type === 'tagger' || f.type === 'multiselect' ? 'list' : 'text',
    group: 'ticket',
    nullable: true,
    repeatable: false,
    operators: operatorList(CUSTOM_FIELD_OPERATORS),
    values: customChoices(f.id),
  }));
  const conditions = [...Object.entries(CONDITIONS).map(([subject, spec]) => condition(subject, spec)), ...customConditions];

  const action = (subject: string, spec: ActionSpec) => ({
    subject,
    title: spec.title,
    type: spec.type,
    group: spec.group,
    nullable: spec.nullable,
    repeatable: spec.group === 'notification',
    values: choices(spec),
  });
  const actions = [
    ...Object.entries(ACTIONS)
      .filter(([, spec]) => spec.kinds.includes('trigger') && !spec.aliasOf)
      .map(([subject, spec]) => action(subject, spec)),
    ...fields.map((f) => ({ subject: `custom_fields_${f.id}`, title: f.title, type: f.type === 'tagger' ? 'list' : 'text', group: 'ticket', nullable: true, repeatable: false, values: customChoices(f.id) })),
  ];
  return { definitions: { actions, conditions_all: conditions, conditions_any: conditions } };
}
