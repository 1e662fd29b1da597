import type { RuleCondition } from '../../platform/db-types.js';

/** Zendesk's condition operators (trigger conditions reference). */
export const OPERATOR_TITLES = {
  is: 'Is',
  is_not: 'Is not',
  less_than: 'Less than',
  greater_than: 'Greater than',
  changed: 'Changed',
  value: 'Changed to',
  value_previous: 'Changed from',
  not_changed: 'Not changed',
  not_value: 'Not changed to',
  not_value_previous: 'Not changed from',
  includes: 'Contains at least one of the following',
  not_includes: 'Contains none of the following',
} as const;
export type Operator = keyof typeof OPERATOR_TITLES;

/** Operators that take no value. */
export const TERMINAL: ReadonlySet<Operator> = new Set(['changed', 'not_changed']);

export const STATUS_ORDER = ['new', 'open', 'pending', 'hold', 'solved', 'closed'] as const;
export const PRIORITY_ORDER = ['low', 'normal', 'high', 'urgent'] as const;
export const SATISFACTION_ORDER = ['unoffered', 'offered', 'bad', 'good'] as const;
export const TICKET_TYPES = ['question', 'incident', 'problem', 'task'] as const;

/** Zendesk's numeric via ids for the channels Sundial has (conditions accept either form). */
export const VIA_IDS: Record<string, number> = { web: 0, email: 4, api: 5, rule: 8 };
const VIA_TITLES: Record<string, string> = { web: 'Web form', email: 'Email', api: 'Web service (API)', rule: 'Trigger or automation' };

/** Where a condition's choices come from when they are records rather than a fixed list. */
export type ValueSource = 'groups' | 'agents' | 'users' | 'organizations' | 'forms' | 'custom_field';

export interface ConditionSpec {
  title: string;
  group: 'ticket' | 'requester' | 'update' | 'satisfaction';
  type: 'list' | 'text' | 'tags';
  operators: readonly Operator[];
  /** Fixed choices; `source` fields take ids (and the special values in `special`). */
  values?: readonly { value: string; title: string }[];
  source?: ValueSource;
  special?: readonly { value: string; title: string }[];
  nullable: boolean;
}

const CHANGE_OPS = ['changed', 'value', 'value_previous', 'not_changed', 'not_value', 'not_value_previous'] as const;
const listed = (values: readonly string[]) => values.map((v) => ({ value: v, title: v.charAt(0).toUpperCase() + v.slice(1) }));
const NONE = { value: '', title: '-' };
const CURRENT_USER = { value: 'current_user', title: '(current user)' };

/** Every condition field triggers understand; `custom_fields_<id>` is added per ticket field. */
export const CONDITIONS: Record<string, ConditionSpec> = {
  update_type: { title: 'Ticket is', group: 'update', type: 'list', operators: ['is', 'is_not'], values: [{ value: 'Create', title: 'Created' }, { value: 'Change', title: 'Updated' }], nullable: false },
  status: { title: 'Status', group: 'ticket', type: 'list', operators: ['is', 'is_not', 'less_than', 'greater_than', ...CHANGE_OPS], values: listed(STATUS_ORDER), nullable: false },
  priority: { title: 'Priority', group: 'ticket', type: 'list', operators: ['is', 'is_not', 'less_than', 'greater_than', ...CHANGE_OPS], values: [NONE, ...listed(PRIORITY_ORDER)], nullable: true },
  type: { title: 'Type', group: 'ticket', type: 'list', operators: ['is', 'is_not', ...CHANGE_OPS], values: [NONE, ...listed(TICKET_TYPES)], nullable: true },
  group_id: { title: 'Group', group: 'ticket', type: 'list', operators: ['is', 'is_not', ...CHANGE_OPS], source: 'groups', special: [NONE], nullable: true },
  assignee_id: {
    title: 'Assignee', group: 'ticket', type: 'list', operators: ['is', 'is_not', ...CHANGE_OPS], source: 'agents',
    special: [NONE, CURRENT_USER, { value: 'requester_id', title: '(requester)' }], nullable: true,
  },
  requester_id: { title: 'Requester', group: 'requester', type: 'list', operators: ['is', 'is_not', ...CHANGE_OPS], source: 'users', special: [CURRENT_USER, { value: 'assignee_id', title: '(assignee)' }], nullable: false },
  organization_id: { title: 'Organization', group: 'requester', type: 'list', operators: ['is', 'is_not', ...CHANGE_OPS], source: 'organizations', special: [NONE], nullable: true },
  ticket_form_id: { title: 'Form', group: 'ticket', type: 'list', operators: ['is', 'is_not', ...CHANGE_OPS], source: 'forms', nullable: false },
  via_id: {
    title: 'Channel', group: 'ticket', type: 'list', operators: ['is', 'is_not'],
    values: Object.entries(VIA_IDS).map(([channel, id]) => ({ value: String(id), title: VIA_TITLES[channel] })), nullable: false,
  },
  current_via_id: {
    title: 'Update via', group: 'update', type: 'list', operators: ['is', 'is_not'],
    values: Object.entries(VIA_IDS).map(([channel, id]) => ({ value: String(id), title: VIA_TITLES[channel] })), nullable: false,
  },
  role: {
    title: 'Current user', group: 'update', type: 'list', operators: ['is', 'is_not'],
    values: [{ value: 'end_user', title: '(end user)' }, { value: 'agent', title: '(agent)' }, { value: 'admin', title: '(administrator)' }], nullable: false,
  },
  current_tags: { title: 'Tags', group: 'ticket', type: 'tags', operators: ['includes', 'not_includes'], nullable: false },
  comment_is_public: {
    title: 'Comment', group: 'update', type: 'list', operators: ['is', 'is_not'],
    values: [{ value: 'true', title: 'Public' }, { value: 'false', title: 'Private' }, { value: 'not_relevant', title: 'Present (public or private)' }, { value: 'requester_can_see_comment', title: 'Present and requester can see comment' }],
    nullable: false,
  },
  ticket_is_public: { title: 'Privacy', group: 'ticket', type: 'list', operators: ['is'], values: [{ value: 'public', title: 'Ticket has public comments' }, { value: 'private', title: 'Ticket has no public comments' }], nullable: false },
  subject_includes_word: { title: 'Subject text', group: 'ticket', type: 'text', operators: ['includes', 'not_includes', 'is', 'is_not'], nullable: false },
  comment_includes_word: { title: 'Comment text', group: 'update', type: 'text', operators: ['includes', 'not_includes', 'is', 'is_not'], nullable: false },
  description_includes_word: { title: 'Description text', group: 'ticket', type: 'text', operators: ['includes', 'not_includes', 'is', 'is_not'], nullable: false },
  satisfaction_score: { title: 'Satisfaction', group: 'satisfaction', type: 'list', operators: ['is', 'is_not', 'less_than', 'greater_than', ...CHANGE_OPS], values: listed(SATISFACTION_ORDER), nullable: false },
};

/** The custom field id of a `custom_fields_<id>` field name, or null. */
export const customFieldId = (field: string): number | null => {
  const m = /^custom_fields_(\d{1,15})$/.exec(field);
  return m ? Number(m[1]) : null;
};

export const CUSTOM_FIELD_OPERATORS: readonly Operator[] = ['is', 'is_not', 'includes', 'not_includes', ...CHANGE_OPS];

/** The ticket fields conditions read, as the trigger runner keeps them while triggers change it. */
export interface RuleTicket {
  status: string;
  priority: string | null;
  type: string | null;
  group_id: number | null;
  assignee_id: number | null;
  requester_id: number;
  organization_id: number | null;
  form_id: number;
  tags: string[];
  custom_fields: Record<string, unknown>;
  subject: string;
  description: string;
  via_channel: string;
}

/** What one ticket update looks like to the conditions. */
export interface RuleState {
  ticket: RuleTicket;
  /** Values before the update for every field it (or a trigger in this cycle) changed, by condition field name. */
  previous: Map<string, unknown>;
  isCreate: boolean;
  updater: { id: number | null; role: 'end-user' | 'agent' | 'admin' | null };
  /** Channel of the update (the audit's via). */
  updateVia: string;
  /** The comment made in this update, if any. */
  comment: { body: string; public: boolean } | null;
  satisfaction: string;
}

/** The current value of a condition field (also the key of `previous`). */
export function currentValue(state: RuleState, field: string): unknown {
  const t = state.ticket;
  const custom = customFieldId(field);
  if (custom !== null) return t.custom_fields[String(custom)] ?? null;
  switch (field) {
    case 'ticket_form_id':
      return t.form_id;
    case 'satisfaction_score':
      return state.satisfaction;
    case 'current_tags':
      return t.tags;
    case 'status':
    case 'priority':
    case 'type':
    case 'group_id':
    case 'assignee_id':
    case 'requester_id':
    case 'organization_id':
      return t[field];
    default:
      return undefined;
  }
}

const norm = (v: unknown): string => (v === null || v === undefined ? '' : String(v).toLowerCase());
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const words = (v: unknown) => String(v ?? '').toLowerCase().split(/[\s,]+/).filter(Boolean);
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Resolves the special values a person or group condition may hold to what the ticket holds. */
function resolveValue(state: RuleState, value: unknown): string {
  if (value === 'current_user') return norm(state.updater.id);
  if (value === 'requester_id') return norm(state.ticket.requester_id);
  if (value === 'assignee_id') return norm(state.ticket.assignee_id);
  return norm(value);
}

function matchesValue(state: RuleState, current: unknown, value: unknown): boolean {
  const wanted = resolveValue(state, value);
  if (Array.isArray(current)) return current.some((c) => norm(c) === wanted);
  return norm(current) === wanted;
}

function ordered(field: string): readonly string[] | null {
  if (field === 'status') return STATUS_ORDER;
  if (field === 'priority') return PRIORITY_ORDER;
  if (field === 'satisfaction_score') return SATISFACTION_ORDER;
  return null;
}

function textMatches(haystack: string, operator: Operator, value: unknown): boolean {
  const text = haystack.toLowerCase();
  const contains = text.includes(String(value ?? '').toLowerCase());
  const anyWord = words(value).some((w) => new RegExp(`(^|[^\\p{L}\\p{N}_])${escapeRegExp(w)}($|[^\\p{L}\\p{N}_])`, 'u').test(text));
  switch (operator) {
    case 'includes':
      return anyWord;
    case 'not_includes':
      return !anyWord;
    case 'is':
      return contains;
    case 'is_not':
      return !contains;
    default:
      return false;
  }
}

const viaOf = (channel: string) => String(VIA_IDS[channel] ?? channel);
const viaValue = (value: unknown) => (typeof value === 'string' && value in VIA_IDS ? String(VIA_IDS[value]) : norm(value));

/** Whether one condition holds for this update. Unknown fields and operators never match. */
export function conditionHolds(state: RuleState, c: RuleCondition): boolean {
  const op = c.operator as Operator;
  const negate = (b: boolean) => (op === 'is_not' ? !b : b);
  switch (c.field) {
    case 'update_type':
      return negate(norm(c.value) === (state.isCreate ? 'create' : 'change'));
    case 'via_id':
      return negate(viaOf(state.ticket.via_channel) === viaValue(c.value));
    case 'current_via_id':
      return negate(viaOf(state.updateVia) === viaValue(c.value));
    case 'role': {
      const role = state.updater.role;
      const wanted = norm(c.value);
      const is = wanted === 'end_user' ? role === 'end-user' : wanted === 'agent' ? role === 'agent' || role === 'admin' : role === wanted;
      return negate(is);
    }
    case 'comment_is_public': {
      const v = norm(c.value);
      const cm = state.comment;
      const is = v === 'not_relevant' ? true : v === 'false' ? !!cm && !cm.public : !!cm && cm.public;
      return negate(is);
    }
    case 'ticket_is_public':
      return norm(c.value) !== 'private';
    case 'subject_includes_word':
      return textMatches(state.ticket.subject, op, c.value);
    case 'description_includes_word':
      return textMatches(state.ticket.description, op, c.value);
    case 'comment_includes_word':
      return state.comment ? textMatches(state.comment.body, op, c.value) : op === 'not_includes' || op === 'is_not';
    case 'current_tags': {
      const any = words(c.value).some((w) => state.ticket.tags.includes(w));
      return op === 'includes' ? any : op === 'not_includes' ? !any : false;
    }
  }
  const current = currentValue(state, c.field);
  if (current === undefined) return false;
  const changed = state.previous.has(c.field) && !same(state.previous.get(c.field), current);
  const previous = state.previous.get(c.field);
  switch (op) {
    case 'is':
      return matchesValue(state, current, c.value);
    case 'is_not':
      return !matchesValue(state, current, c.value);
    case 'less_than':
    case 'greater_than': {
      const order = ordered(c.field);
      const a = order?.indexOf(norm(current)) ?? -1;
      const b = order?.indexOf(norm(c.value)) ?? -1;
      if (a < 0 || b < 0) return false;
      return op === 'less_than' ? a < b : a > b;
    }
    case 'includes':
    case 'not_includes': {
      const list = Array.isArray(current) ? current.map(norm) : [norm(current)];
      const any = words(c.value).some((w) => list.includes(w));
      return op === 'includes' ? any : !any;
    }
    case 'changed':
      return changed;
    case 'not_changed':
      return !changed;
    case 'value':
      return changed && matchesValue(state, current, c.value);
    case 'not_value':
      return !(changed && matchesValue(state, current, c.value));
    case 'value_previous':
      return changed && matchesValue(state, previous, c.value);
    case 'not_value_previous':
      return !(changed && matchesValue(state, previous, c.value));
    default:
      return false;
  }
}

/** Zendesk's rule: every `all` condition holds and, when there are `any` conditions, at least one does. */
export function conditionsHold(state: RuleState, conditions: { all: RuleCondition[]; any: RuleCondition[] }): boolean {
  return conditions.all.every((c) => conditionHolds(state, c)) && (conditions.any.length === 0 || conditions.any.some((c) => conditionHolds(state, c)));
}
