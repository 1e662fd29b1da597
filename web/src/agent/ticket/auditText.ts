import type { AuditEvent, Group, TicketField, TicketForm, TicketPriority, TicketStatus, User } from '../api/types';
import { PRIORITY_LABEL, STATUS_LABEL } from '../format';

/** Everything needed to turn ids in audit events into names. */
export interface AuditNames {
  users: Map<number, User>;
  groups: Map<number, Group>;
  fields: Map<number, TicketField>;
  forms: Map<number, TicketForm>;
}

const FIELD_LABEL: Record<string, string> = {
  status: 'status',
  priority: 'priority',
  assignee_id: 'assignee',
  requester_id: 'requester',
  group_id: 'group',
  organization_id: 'organization',
  ticket_form_id: 'form',
  do_not_close: '"do not close"',
  collaborator_ids: 'CCs',
  tags: 'tags',
  subject: 'subject',
  type: 'type',
  external_id: 'external ID',
};

/** Custom fields are audited under their numeric id; everything else under the ticket attribute name. */
export function fieldLabel(name: string | undefined, names: AuditNames): string {
  if (!name) return 'ticket';
  if (/^\d+$/.test(name)) return names.fields.get(Number(name))?.title ?? `field ${name}`;
  return FIELD_LABEL[name] ?? name.replace(/_/g, ' ');
}

const userName = (id: unknown, names: AuditNames) => (typeof id === 'number' ? (names.users.get(id)?.name ?? `user #${id}`) : String(id));

export function formatValue(name: string | undefined, value: unknown, names: AuditNames): string {
  if (value === null || value === undefined || value === '') return 'nothing';
  switch (name) {
    case 'status':
      return STATUS_LABEL[value as TicketStatus] ?? String(value);
    case 'priority':
      return PRIORITY_LABEL[value as TicketPriority] ?? String(value);
    case 'assignee_id':
    case 'requester_id':
      return userName(value, names);
    case 'group_id':
      return names.groups.get(Number(value))?.name ?? `group #${value}`;
    case 'ticket_form_id':
      return names.forms.get(Number(value))?.name ?? `form #${value}`;
    case 'organization_id':
      return `organization #${value}`;
    case 'collaborator_ids':
      return Array.isArray(value) && value.length ? value.map((id) => userName(id, names)).join(', ') : 'nobody';
    case 'do_not_close':
      return value ? 'on' : 'off';
  }
  if (Array.isArray(value)) return value.length ? value.join(', ') : 'none';
  if (name && /^\d+$/.test(name)) {
    const option = names.fields.get(Number(name))?.custom_field_options?.find((o) => o.value === value);
    if (option) return option.name;
  }
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return typeof value === 'object' ? 'a new value' : String(value); // never dump raw JSON at the agent
}

/** One line per event: "changed status from Pending to Open", "added an internal note". */
export function describeEvent(event: AuditEvent, names: AuditNames): string {
  switch (event.type) {
    case 'Change':
      if (event.field_name === 'pending_auto_solve_blocked') return `Did not auto-solve the pending ticket: ${String(event.value)}`;
      return `changed ${fieldLabel(event.field_name, names)} from ${formatValue(event.field_name, event.previous_value, names)} to ${formatValue(event.field_name, event.value, names)}`;
    case 'Create':
      return `set ${fieldLabel(event.field_name, names)} to ${formatValue(event.field_name, event.value, names)}`;
    case 'Comment':
      return event.public === false ? 'added an internal note' : 'added a public comment';
    case 'FollowUp':
      return `created this as a follow-up of #${String(event.value)}`;
    case 'Page':
      return describePage(event, names);
    case 'SatisfactionRating':
    case 'Notification':
      return describeCustomerMail(event, names);
    default:
      return `recorded ${event.type.toLowerCase()}`;
  }
}

const SCORE_LABEL: Record<string, string> = { good: 'Good', bad: 'Bad', offered: 'offered' };

/** Satisfaction surveys and ratings (spec §7) and pending reminders (spec §5.2) sent by rules. */
function describeCustomerMail(event: AuditEvent, names: AuditNames): string {
  const v = (event.value && typeof event.value === 'object' ? event.value : {}) as Record<string, unknown>;
  if (event.type === 'Notification') {
    const to = Array.isArray(v.recipients) && v.recipients.length ? v.recipients.map((id) => userName(id, names)).join(', ') : 'nobody (no active recipients)';
    return `Sent pending reminder ${String(v.reminder ?? '')} of ${String(v.of ?? '')} to ${to}`;
  }
  if (v.score === 'offered') return `Sent the satisfaction survey to ${userName(v.recipient_id, names)}`;
  const previous = (v.previous && typeof v.previous === 'object' ? v.previous : null) as { score?: string } | null;
  const score = SCORE_LABEL[String(v.score)] ?? String(v.score);
  const comment = typeof v.comment === 'string' && v.comment ? `: “${v.comment}”` : '';
  return previous?.score ? `changed the satisfaction rating from ${SCORE_LABEL[previous.score] ?? previous.score} to ${score}${comment}` : `rated the support ${score}${comment}`;
}

/** What a Premier page event records (spec §9.3); every key is optional for older events. */
interface PageValue {
  user_id?: number | null;
  level?: 'primary' | 'backup';
  send?: number;
  reason?: string;
  from_user_id?: number | null;
  no_backup?: boolean;
  via?: 'agent' | 'link';
}

/** "Paged Pat Primary (send 2)", "Escalated to backup Bo Backup", "Page acknowledged by …", "Page resolved: …". */
function describePage(event: AuditEvent, names: AuditNames): string {
  const v = (event.value && typeof event.value === 'object' ? event.value : {}) as PageValue;
  const who = (id: number | null | undefined) => (typeof id === 'number' ? userName(id, names) : 'nobody (no one is on call)');
  switch (event.field_name) {
    case 'paged':
    case 'repaged': {
      const backup = v.level === 'backup' ? 'backup ' : '';
      const why = v.reason === 'first_reply_75' ? ': 75 % of the first-reply target used without a reply' : '';
      return `Paged ${backup}${who(v.user_id)} (send ${v.send ?? 1})${why}`;
    }
    case 'escalated':
      return v.no_backup
        ? `Escalation to the backup: no backup is on call, still paging ${who(v.user_id)}`
        : `Escalated to backup ${who(v.user_id)}${typeof v.from_user_id === 'number' ? ` (${userName(v.from_user_id, names)} did not acknowledge)` : ''}`;
    case 'acknowledged':
      return `Page acknowledged by ${who(v.user_id)}${v.via === 'link' ? ' from the link in the page' : ''}`;
    case 'resolved':
      return `Page resolved: ${v.reason ?? 'no longer needed'}`;
    default:
      return `recorded a page event (${event.field_name ?? 'unknown'})`;
  }
}
