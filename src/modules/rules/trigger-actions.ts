import type { Executor } from '../../platform/db.js';
import type { Status } from '../../platform/db-types.js';
import { AppError, Problems } from '../../platform/errors.js';
import { checkFieldValues, type CustomValues } from '../tickets/field-values.js';
import { cachedForm, type FormWithFields } from '../tickets/forms.repository.js';
import { checkSolveGuards } from '../tickets/solve-guards.js';
import { canTransition } from '../tickets/status-machine.js';
import { applyTagEdit } from '../tickets/tags.service.js';
import { checkAssignee } from '../tickets/ticket-parts.js';
import { actionName, tagList } from './actions.js';
import { customFieldId, PRIORITY_ORDER, TICKET_TYPES, type RuleState, type RuleTicket } from './conditions.js';
import type { Trigger } from './rules.presenter.js';

/** What one fired trigger did: its ticket changes (before → after) and what it asked to send. */
export interface TriggerEffect {
  trigger: Trigger;
  before: RuleTicket;
  after: RuleTicket;
  mails: { recipient: string; subject: string; body: string; kind: 'user' | 'group' }[];
  webhooks: { webhookId: string; body: string }[];
  skipped: { trigger_id: number; field: string; reason: string }[];
}

const snapshot = (t: RuleTicket): RuleTicket => ({ ...t, tags: [...t.tags], custom_fields: { ...t.custom_fields } });
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Condition field names of the ticket fields an effect may change, for `previous`. */
const CHANGE_KEYS: [keyof RuleTicket, string][] = [
  ['status', 'status'], ['priority', 'priority'], ['type', 'type'], ['group_id', 'group_id'], ['assignee_id', 'assignee_id'], ['form_id', 'ticket_form_id'],
];

/** Per run: forms are loaded once. */
export class ActionContext {
  private forms = new Map<number, FormWithFields | null>();
  constructor(
    readonly tx: Executor,
    readonly ticketId: number,
  ) {}
  async form(id: number) {
    if (!this.forms.has(id)) this.forms.set(id, await cachedForm(this.tx, id));
    return this.forms.get(id)!;
  }
}

const reasonOf = (e: unknown) => (e instanceof AppError ? (Object.values(e.details ?? {})[0]?.[0]?.description ?? e.description) : (e as Error).message);

async function setAssignee(ac: ActionContext, t: RuleTicket, value: unknown, state: RuleState): Promise<string | null> {
  if (value === '' || value === null) {
    t.assignee_id = null;
    return null;
  }
  const id = value === 'current_user' ? state.updater.id : Number(value);
  if (!id || (value === 'current_user' && state.updater.role !== 'agent' && state.updater.role !== 'admin')) return 'the current user is not an agent';
  try {
    const assignee = await checkAssignee(ac.tx, id, t.group_id);
    t.assignee_id = assignee.id;
    if (t.group_id === null) t.group_id = assignee.default_group_id;
    // As in the workflow, assigning a New ticket opens it.
    if (t.status === 'new') t.status = 'open';
    return null;
  } catch (e) {
    return reasonOf(e);
  }
}

async function setGroup(ac: ActionContext, t: RuleTicket, value: unknown, state: RuleState): Promise<string | null> {
  if (value === '' || value === null) {
    t.group_id = null;
    return null;
  }
  let id = Number(value);
  if (value === 'current_groups') {
    const me = state.updater.id ? await ac.tx.selectFrom('users').select('default_group_id').where('id', '=', state.updater.id).executeTakeFirst() : undefined;
    if (!me?.default_group_id) return 'the current user has no default group';
    id = me.default_group_id;
  }
  const group = await ac.tx.selectFrom('groups').select('id').where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  if (!group) return `group ${String(value)} does not exist`;
  t.group_id = group.id;
  // Moving to a group the assignee is not in unassigns, as a manual change would.
  if (t.assignee_id !== null) {
    const member = await ac.tx.selectFrom('group_memberships').select('id').where('user_id', '=', t.assignee_id).where('group_id', '=', group.id).executeTakeFirst();
    if (!member) t.assignee_id = null;
  }
  return null;
}

async function setCustomField(ac: ActionContext, t: RuleTicket, fieldId: number, value: unknown): Promise<string | null> {
  const form = await ac.form(t.form_id);
  if (!form) return 'the ticket form no longer exists';
  const problems = new Problems();
  const raw = value === 'true' ? true : value === 'false' ? false : value;
  const values = checkFieldValues({ form, current: t.custom_fields as CustomValues, submitted: [{ id: fieldId, value: raw }], priority: t.priority as never, portal: false, enforceRequired: false }, problems);
  if (!problems.empty) return `field ${fieldId} cannot take this value on the ticket's form`;
  t.custom_fields = values;
  return null;
}

/**
 * Applies one trigger's actions to the ticket the cycle is building (nothing is written yet). An
 * action that cannot apply (a status the workflow forbids, an assignee outside the group, solving
 * without an assignee) is skipped with its reason, and the others still apply.
 */
export async function applyTrigger(ac: ActionContext, state: RuleState, trigger: Trigger): Promise<TriggerEffect> {
  const t = state.ticket;
  const before = snapshot(t);
  const effect: TriggerEffect = { trigger, before, after: before, mails: [], webhooks: [], skipped: [] };
  const skip = (field: string, reason: string) => effect.skipped.push({ trigger_id: trigger.id, field, reason });
  const closed = t.status === 'closed';

  for (const { field, value } of trigger.actions) {
    const name = actionName(field);
    const fieldId = customFieldId(name);
    if (closed && !['notification_user', 'notification_group', 'notification_webhook', 'set_tags', 'current_tags', 'remove_tags'].includes(name)) {
      skip(field, 'Status: closed prevents ticket update');
      continue;
    }
    let problem: string | null = null;
    if (fieldId !== null) problem = await setCustomField(ac, t, fieldId, value);
    else
      switch (name) {
        case 'status':
          if (!canTransition(t.status as Status, value as Status, 'agent')) problem = `cannot change from ${t.status} to ${String(value)}`;
          else t.status = value as Status;
          break;
        case 'priority':
          if ((PRIORITY_ORDER as readonly string[]).includes(String(value))) t.priority = String(value);
          else problem = 'a priority, once set, cannot be removed';
          break;
        case 'type':
          t.type = (TICKET_TYPES as readonly string[]).includes(String(value)) ? String(value) : null;
          break;
        case 'group_id':
          problem = await setGroup(ac, t, value, state);
          break;
        case 'assignee_id':
          problem = await setAssignee(ac, t, value, state);
          break;
        case 'set_tags':
          t.tags = applyTagEdit(t.tags, { set: tagList(value) ?? [] });
          break;
        case 'current_tags':
          t.tags = applyTagEdit(t.tags, { add: tagList(value) ?? [] });
          break;
        case 'remove_tags':
          t.tags = applyTagEdit(t.tags, { remove: tagList(value) ?? [] });
          break;
        case 'notification_user':
        case 'notification_group': {
          const [recipient, subject, body] = value as [unknown, string, string];
          effect.mails.push({ recipient: String(recipient), subject, body, kind: name === 'notification_user' ? 'user' : 'group' });
          break;
        }
        case 'notification_webhook': {
          const [webhookId, body] = value as [unknown, string | undefined];
          effect.webhooks.push({ webhookId: String(webhookId), body: body ?? '' });
          break;
        }
        default:
          problem = 'not a trigger action';
      }
    if (problem) skip(field, problem);
  }

  // Solving needs an assignee and no objection (an open escalation); checked on the whole result.
  if (t.status === 'solved' && before.status !== 'solved') {
    let problem: string | null = t.assignee_id === null ? 'Assignee: is required when solving a ticket' : null;
    if (!problem) {
      try {
        await checkSolveGuards(ac.tx, ac.ticketId, undefined);
      } catch (e) {
        problem = reasonOf(e);
      }
    }
    if (problem) {
      t.status = before.status;
      skip('status', problem);
    }
  }

  effect.after = snapshot(t);
  // Later triggers in the cycle see these as changes of this update ("changed", "changed from").
  for (const [key, field] of CHANGE_KEYS) if (!same(before[key], t[key]) && !state.previous.has(field)) state.previous.set(field, before[key]);
  for (const id of new Set([...Object.keys(before.custom_fields), ...Object.keys(t.custom_fields)])) {
    const field = `custom_fields_${id}`;
    if (!same(before.custom_fields[id], t.custom_fields[id]) && !state.previous.has(field)) state.previous.set(field, before.custom_fields[id] ?? null);
  }
  return effect;
}

/** Whether an effect changed the ticket itself (as opposed to only sending something). */
export const changesTicket = (e: TriggerEffect) => !same(e.before, e.after);
