import type { RuleAction, RuleCondition } from '../../platform/db-types.js';
import type { Problems } from '../../platform/errors.js';
import { CONDITIONS, CUSTOM_FIELD_OPERATORS, customFieldId, PRIORITY_ORDER, TERMINAL, TICKET_TYPES, VIA_IDS, type Operator, type ValueSource } from './conditions.js';
import { renderPlaceholders } from './placeholders.js';

export type RuleKind = 'trigger' | 'macro';

export interface ActionSpec {
  title: string;
  group: 'ticket' | 'notification' | 'comment';
  type: 'list' | 'text' | 'tags' | 'notification' | 'webhook' | 'comment' | 'checkbox';
  values?: readonly { value: string; title: string }[];
  source?: ValueSource | 'webhooks';
  special?: readonly { value: string; title: string }[];
  nullable: boolean;
  kinds: readonly RuleKind[];
  /** Another name clients use for the same action (Zendesk's is `notification_webhook`). */
  aliasOf?: string;
}

const listed = (values: readonly string[]) => values.map((v) => ({ value: v, title: v.charAt(0).toUpperCase() + v.slice(1) }));
const SETTABLE_STATUSES = ['open', 'pending', 'hold', 'solved'] as const;
const BOTH = ['trigger', 'macro'] as const;

/** Every action macros and triggers can take; `custom_fields_<id>` is added per ticket field. */
export const ACTIONS: Record<string, ActionSpec> = {
  status: { title: 'Status', group: 'ticket', type: 'list', values: listed(SETTABLE_STATUSES), nullable: false, kinds: BOTH },
  priority: { title: 'Priority', group: 'ticket', type: 'list', values: listed(PRIORITY_ORDER), nullable: false, kinds: BOTH },
  type: { title: 'Type', group: 'ticket', type: 'list', values: [{ value: '', title: '-' }, ...listed(TICKET_TYPES)], nullable: true, kinds: BOTH },
  group_id: { title: 'Group', group: 'ticket', type: 'list', source: 'groups', special: [{ value: '', title: '-' }, { value: 'current_groups', title: "(assignee's default group)" }], nullable: true, kinds: BOTH },
  assignee_id: { title: 'Assignee', group: 'ticket', type: 'list', source: 'agents', special: [{ value: '', title: '-' }, { value: 'current_user', title: '(current user)' }], nullable: true, kinds: BOTH },
  subject: { title: 'Set subject', group: 'ticket', type: 'text', nullable: false, kinds: ['macro'] },
  set_tags: { title: 'Set tags', group: 'ticket', type: 'tags', nullable: true, kinds: BOTH },
  current_tags: { title: 'Add tags', group: 'ticket', type: 'tags', nullable: false, kinds: BOTH },
  add_tags: { title: 'Add tags', group: 'ticket', type: 'tags', nullable: false, kinds: ['trigger'], aliasOf: 'current_tags' },
  remove_tags: { title: 'Remove tags', group: 'ticket', type: 'tags', nullable: false, kinds: BOTH },
  comment_value: { title: 'Comment/description', group: 'comment', type: 'comment', nullable: false, kinds: ['macro'] },
  comment_value_html: { title: 'Comment/description (HTML)', group: 'comment', type: 'comment', nullable: false, kinds: ['macro'] },
  comment_mode_is_public: { title: 'Comment mode', group: 'comment', type: 'checkbox', values: [{ value: 'true', title: 'Public' }, { value: 'false', title: 'Private' }], nullable: false, kinds: ['macro'] },
  notification_user: {
    title: 'Email user', group: 'notification', type: 'notification', source: 'users',
    special: [
      { value: 'requester_id', title: '(requester)' },
      { value: 'requester_and_ccs', title: '(requester and CCs)' },
      { value: 'assignee_id', title: '(assignee)' },
      { value: 'current_user', title: '(current user)' },
      { value: 'all_agents', title: '(all non-restricted agents)' },
    ],
    nullable: false, kinds: ['trigger'],
  },
  notification_group: { title: 'Email group', group: 'notification', type: 'notification', source: 'groups', special: [{ value: 'group_id', title: '(assigned group)' }], nullable: false, kinds: ['trigger'] },
  notification_webhook: { title: 'Notify active webhook', group: 'notification', type: 'webhook', source: 'webhooks', nullable: false, kinds: ['trigger'] },
  notify_webhook: { title: 'Notify active webhook', group: 'notification', type: 'webhook', source: 'webhooks', nullable: false, kinds: ['trigger'], aliasOf: 'notification_webhook' },
};

/** The canonical name of an action field (aliases folded). */
export const actionName = (field: string) => ACTIONS[field]?.aliasOf ?? field;

/** A custom ticket field as rules see it. */
export interface RuleField {
  id: number;
  type: string;
  title: string;
  options: string[];
}

/** Existence checks the validators need; the service answers them from the database. */
export interface RuleLookup {
  exists(kind: ValueSource | 'webhooks', id: string): Promise<boolean>;
  field(id: number): Promise<RuleField | null>;
  webhookFormat(id: string): Promise<string | null>;
}

const isId = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) || (typeof v === 'string' && /^\d{1,15}$/.test(v));
const TAG = /^[^\s,]{1,80}$/;

/** Tags an action value names: a space-separated string (Zendesk) or a list. */
export function tagList(value: unknown): string[] | null {
  if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean).map((t) => t.toLowerCase());
  if (Array.isArray(value) && value.every((t) => typeof t === 'string')) return value.flatMap((t) => t.split(/[\s,]+/)).filter(Boolean).map((t) => t.toLowerCase());
  return null;
}

/** Checks a value against a field's choices: a listed value, a special value or an existing record. */
async function checkChoice(spec: { values?: readonly { value: string }[]; source?: ValueSource | 'webhooks'; special?: readonly { value: string }[] }, value: unknown, lookup: RuleLookup): Promise<string | null> {
  const text = value === null ? '' : typeof value === 'number' || typeof value === 'string' ? String(value) : null;
  if (text === null) return 'must be a single value';
  if (spec.values) return spec.values.some((v) => v.value.toLowerCase() === text.toLowerCase()) ? null : `"${text.slice(0, 60)}" is not one of ${spec.values.map((v) => v.value || '""').join(', ')}`;
  if (spec.special?.some((s) => s.value === text)) return null;
  if (spec.source === 'webhooks') return (await lookup.exists('webhooks', text)) ? null : `webhook "${text.slice(0, 60)}" does not exist`;
  if (!isId(text)) return `"${text.slice(0, 60)}" is not a valid id`;
  return (await lookup.exists(spec.source!, text)) ? null : `${spec.source!.replace(/s$/, '')} ${text} does not exist`;
}

async function checkCustomValue(fieldId: number, value: unknown, lookup: RuleLookup): Promise<string | null> {
  const field = await lookup.field(fieldId);
  if (!field) return `ticket field ${fieldId} does not exist or is not a custom field`;
  if (value === null || value === '') return null;
  if (field.type === 'tagger') return typeof value === 'string' && field.options.includes(value) ? null : `must be one of ${field.options.join(', ')}`;
  if (field.type === 'multiselect') {
    const list = tagList(value);
    return list && list.every((v) => field.options.includes(v)) ? null : `must name options among ${field.options.join(', ')}`;
  }
  if (field.type === 'checkbox') return ['true', 'false'].includes(String(value)) ? null : 'must be true or false';
  return typeof value === 'string' || typeof value === 'number' ? null : 'must be text or a number';
}

async function checkAction(kind: RuleKind, a: RuleAction, lookup: RuleLookup): Promise<string | null> {
  const custom = customFieldId(a.field);
  if (custom !== null) return checkCustomValue(custom, a.value, lookup);
  const spec = ACTIONS[a.field];
  if (!spec || !spec.kinds.includes(kind)) return `"${String(a.field).slice(0, 60)}" is not a ${kind} action`;
  switch (spec.type) {
    case 'list':
      return checkChoice(spec, a.value, lookup);
    case 'checkbox':
      return ['true', 'false'].includes(String(a.value)) ? null : 'must be true or false';
    case 'tags': {
      const tags = tagList(a.value);
      if (!tags) return 'must be tags separated by spaces';
      return tags.every((t) => TAG.test(t)) ? null : 'tags must be at most 80 characters, without spaces or commas';
    }
    case 'text':
      return typeof a.value === 'string' && a.value.trim() && a.value.length <= 150 ? null : 'must be text of 1 to 150 characters';
    case 'comment': {
      const text = Array.isArray(a.value) ? a.value[a.value.length - 1] : a.value;
      return typeof text === 'string' && text.length <= 65_535 ? null : 'must be the comment text (or ["channel:all", text])';
    }
    case 'notification': {
      if (!Array.isArray(a.value) || a.value.length !== 3 || typeof a.value[1] !== 'string' || typeof a.value[2] !== 'string') return 'must be [recipient, subject, body]';
      if (!a.value[1].trim()) return 'the email subject cannot be blank';
      return checkChoice(spec, a.value[0], lookup);
    }
    case 'webhook': {
      if (!Array.isArray(a.value) || a.value.length < 1 || a.value.length > 2 || (a.value[1] !== undefined && typeof a.value[1] !== 'string')) return 'must be [webhook_id, body]';
      const problem = await checkChoice(spec, a.value[0], lookup);
      if (problem) return problem;
      const body = (a.value[1] as string | undefined) ?? '';
      if ((await lookup.webhookFormat(String(a.value[0]))) === 'json' && body.trim()) {
        // Placeholders are replaced before sending; with sample values the body must be JSON.
        try {
          JSON.parse(renderPlaceholders(body, {}, 'json').replace(/:\s*(,|\})/g, ': 0$1'));
        } catch {
          return 'the body of a JSON webhook must be valid JSON';
        }
      }
      return null;
    }
  }
}

/** Validates actions, adding one problem per bad action under `actions`. */
export async function checkActions(kind: RuleKind, actions: RuleAction[], lookup: RuleLookup, problems: Problems): Promise<void> {
  if (!actions.length) problems.add('actions', 'Actions: you must select at least one action', 'BlankValue');
  for (const [i, a] of actions.entries()) {
    const problem = await checkAction(kind, a, lookup);
    if (problem) problems.add('actions', `Actions: ${i + 1} (${String(a.field).slice(0, 60)}): ${problem}`, 'InvalidValue', { index: i });
  }
}

async function checkCondition(c: RuleCondition, lookup: RuleLookup): Promise<string | null> {
  const custom = customFieldId(c.field);
  const spec = custom === null ? CONDITIONS[c.field] : null;
  if (custom === null && !spec) return `"${String(c.field).slice(0, 60)}" is not a condition`;
  const operators = spec?.operators ?? CUSTOM_FIELD_OPERATORS;
  if (!operators.includes(c.operator as Operator)) return `operator "${String(c.operator).slice(0, 40)}" does not apply (use ${operators.join(', ')})`;
  if (TERMINAL.has(c.operator as Operator)) return null;
  if (custom !== null) return checkCustomValue(custom, c.value, lookup);
  if (spec!.type !== 'list') return typeof c.value === 'string' && c.value.trim() ? null : 'needs a value';
  if ((c.value === '' || c.value === null) && spec!.nullable) return null;
  // Channels may be named ("email") as well as numbered (4).
  if ((c.field === 'via_id' || c.field === 'current_via_id') && typeof c.value === 'string' && c.value in VIA_IDS) return null;
  return checkChoice(spec!, c.value, lookup);
}

/** Validates trigger conditions; at least one condition is required, as in Zendesk. */
export async function checkConditions(conditions: { all: RuleCondition[]; any: RuleCondition[] }, lookup: RuleLookup, problems: Problems): Promise<void> {
  if (!conditions.all.length && !conditions.any.length) problems.add('conditions', 'Conditions: you must select at least one condition', 'BlankValue');
  for (const key of ['all', 'any'] as const) {
    for (const [i, c] of conditions[key].entries()) {
      const problem = await checkCondition(c, lookup);
      if (problem) problems.add('conditions', `Conditions: ${key} ${i + 1} (${String(c.field).slice(0, 60)}): ${problem}`, 'InvalidValue', { index: i, group: key });
    }
  }
}
