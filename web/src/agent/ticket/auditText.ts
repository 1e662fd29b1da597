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
      return `changed ${fieldLabel(event.field_name, names)} from ${formatValue(event.field_name, event.previous_value, names)} to ${formatValue(event.field_name, event.value, names)}`;
    case 'Create':
      return `set ${fieldLabel(event.field_name, names)} to ${formatValue(event.field_name, event.value, names)}`;
    case 'Comment':
      return event.public === false ? 'added an internal note' : 'added a public comment';
    case 'FollowUp':
      return `created this as a follow-up of #${String(event.value)}`;
    default:
      return `recorded ${event.type.toLowerCase()}`;
  }
}
