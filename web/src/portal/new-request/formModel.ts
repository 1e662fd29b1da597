import type { FieldErrors } from '../../api/client';
import type { TicketField, TicketForm } from '../api/types';

export type FieldValue = string | string[] | boolean;

/** Everything the customer has typed; kept across failed submissions. */
export interface Draft {
  subject: string;
  priority: string | null;
  description: string;
  custom: Record<number, FieldValue>;
  ccs: string[];
}

export const emptyDraft = (): Draft => ({ subject: '', priority: null, description: '', custom: {}, ccs: [] });

/** Zendesk's limit on email CCs per ticket (spec §11.3); the server enforces the same. */
export const MAX_CCS = 48;

// The server's address rule (src/platform/validation.ts), copied because web/ never imports src/.
const EMAIL = /^[^\s@<>()",;:\\[\]]{1,64}@(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
export const isEmail = (s: string) => s.length <= 254 && EMAIL.test(s);

/** Types the portal never renders as inputs (set by agents or by the system). */
const AGENT_ONLY = new Set(['status', 'group', 'assignee']);
const SYSTEM = new Set(['subject', 'description', 'priority', ...AGENT_ONLY]);
export const isCustomField = (f: TicketField) => !SYSTEM.has(f.type);

/** The form's fields in the admin's order, as far as the portal may show them. */
export function fieldsOf(form: TicketForm, fields: Map<number, TicketField>): TicketField[] {
  return form.ticket_field_ids.map((id) => fields.get(id)).filter((f): f is TicketField => !!f && !AGENT_ONLY.has(f.type));
}

const isBlank = (v: FieldValue | null | undefined) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

function valueOf(draft: Draft, field: TicketField | undefined): FieldValue | null {
  if (!field) return null;
  if (field.type === 'priority') return draft.priority;
  return draft.custom[field.id] ?? null;
}

/**
 * Zendesk conditional fields: a field named as a child of a condition is shown only while one of its
 * conditions holds (e.g. Mattermost Mobile Version once Category is Mobile), and then may be required.
 */
export function conditionalState(form: TicketForm, fields: Map<number, TicketField>, draft: Draft) {
  const children = new Set<number>();
  const shown = new Set<number>();
  const required = new Set<number>();
  for (const c of form.end_user_conditions ?? []) {
    const value = valueOf(draft, fields.get(c.parent_field_id));
    const holds = value !== null && !Array.isArray(value) ? String(value) === String(c.value) : Array.isArray(value) && value.includes(String(c.value));
    for (const child of c.child_fields) {
      children.add(child.id);
      if (holds) {
        shown.add(child.id);
        if (child.is_required) required.add(child.id);
      }
    }
  }
  return { hidden: new Set([...children].filter((id) => !shown.has(id))), required };
}

export const fieldLabel = (f: TicketField) => f.title_in_portal || f.title;
export const customKey = (id: number) => `custom_fields.${id}`;
/** Which error key belongs to which field (the API's `details` keys). */
export const errorKeyOf = (f: TicketField) => (f.type === 'subject' || f.type === 'description' || f.type === 'priority' ? f.type : customKey(f.id));

function matchesPattern(pattern: string | null | undefined, text: string): boolean {
  if (!pattern || !text) return true;
  try {
    return new RegExp(pattern).test(text);
  } catch {
    return true; // a pattern the browser cannot compile is left to the server
  }
}

export function ccProblem(ccs: string[]): string | undefined {
  const bad = ccs.filter((c) => !isEmail(c));
  if (bad.length) return `${bad.join(', ')} ${bad.length === 1 ? 'is not a valid email address' : 'are not valid email addresses'}`;
  if (ccs.length > MAX_CCS) return `You can add at most ${MAX_CCS} CCs (you added ${ccs.length})`;
  return undefined;
}

/** Checks done before sending so the customer hears at once; the server re-checks everything. */
export function validateDraft(visible: TicketField[], required: (f: TicketField) => boolean, draft: Draft): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const f of visible) {
    const key = errorKeyOf(f);
    const label = fieldLabel(f);
    const value = f.type === 'subject' ? draft.subject.trim() : f.type === 'description' ? draft.description.trim() : valueOf(draft, f);
    if (required(f) && (isBlank(value) || value === false)) {
      errors[key] = `${label} is required`;
    } else if (typeof value === 'string' && !matchesPattern(f.regexp_for_validation, value.trim())) {
      errors[key] = `${label} is not in the expected format${f.description ? ` (${f.description})` : ''}`;
    }
  }
  const cc = ccProblem(draft.ccs);
  if (cc) errors.email_ccs = cc;
  return errors;
}

/** Server field errors → our error keys. Anything without a field of its own lands under `base`. */
export function mapServerErrors(details: FieldErrors, draft: Draft, visibleKeys: Set<string>): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (key: string, msg: string) => {
    const target = visibleKeys.has(key) ? key : 'base';
    out[target] = out[target] ? `${out[target]} ${msg}` : msg;
  };
  for (const [key, problems] of Object.entries(details)) {
    const msg = problems[0]?.description ?? 'is invalid';
    const cc = key.match(/^(?:email_ccs|collaborators)\.(\d+)/);
    if (cc) add('email_ccs', `${draft.ccs[Number(cc[1])] ?? 'A CC'}: ${msg.replace(/^[^:]*:\s*/, '')}`);
    else if (key === 'email_ccs' || key === 'collaborators') add('email_ccs', msg);
    else if (key === 'comment' || key.startsWith('comment.body')) add('description', msg);
    else if (key.startsWith('comment.uploads')) add('uploads', msg);
    else if (/^(custom_fields|fields)\.\d+/.test(key)) add(customKey(Number(key.split('.')[1])), msg);
    else add(key, msg);
  }
  return out;
}

/** The POST /api/v2/requests body from the draft: only fields currently shown are sent. */
export function requestBody(form: TicketForm, visible: TicketField[], draft: Draft, uploads: string[]) {
  const custom = visible.filter((f) => isCustomField(f) && !isBlank(draft.custom[f.id]));
  const hasPriority = visible.some((f) => f.type === 'priority');
  return {
    request: {
      ticket_form_id: form.id,
      subject: draft.subject.trim(),
      ...(hasPriority && draft.priority ? { priority: draft.priority } : {}),
      comment: { body: draft.description, uploads },
      custom_fields: custom.map((f) => ({ id: f.id, value: typeof draft.custom[f.id] === 'string' ? (draft.custom[f.id] as string).trim() : draft.custom[f.id] })),
      email_ccs: draft.ccs,
    },
  };
}
