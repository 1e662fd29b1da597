import { Badge, Button, Group, Paper, Select, Stack, Switch, TagsInput, Text } from '@mantine/core';
import { useAgents, useFormsAndFields, useGroups } from '../api/queries';
import type { Abilities, Ticket, TicketPriority, TicketStatus } from '../api/types';
import { PRIORITIES, PRIORITY_LABEL, STATUS_LABEL } from '../format';
import { CustomFieldInput } from './CustomFieldInput';
import type { FieldEdits } from './useTicketDraft';

// Fields every ticket has; the form's own fields (Category…) are the rest.
const SYSTEM_FIELD_TYPES = new Set(['subject', 'description', 'status', 'priority', 'group', 'assignee', 'tickettype', 'custom_status']);

interface Props {
  ticket: Ticket;
  abilities: Abilities;
  statuses: TicketStatus[];
  edits: FieldEdits;
  onEdit: (change: Partial<FieldEdits>) => void;
  onDiscard: () => void;
  ccEmails: string[];
  onTake: () => void;
  taking: boolean;
}

/** The ticket's properties; edits are staged and go out with the next Submit. */
export function FieldsPanel({ ticket, abilities, statuses, edits, onEdit, onDiscard, ccEmails, onTake, taking }: Props) {
  const agents = useAgents();
  const groups = useGroups();
  const { forms, fields } = useFormsAndFields();
  const form = forms.data?.find((f) => f.id === ticket.ticket_form_id);
  const formFields = (form?.ticket_field_ids ?? []).flatMap((id) => fields.data?.filter((f) => f.id === id && f.active && !SYSTEM_FIELD_TYPES.has(f.type)) ?? []);
  const disabled = !abilities.can_edit;
  const dirty = Object.keys(edits).length > 0;
  const customValue = (id: number) => (edits.custom && id in edits.custom ? edits.custom[id] : (ticket.custom_fields.find((c) => c.id === id)?.value ?? null));
  const assignee = edits.assignee_id !== undefined ? edits.assignee_id : ticket.assignee_id;
  const group = edits.group_id !== undefined ? edits.group_id : ticket.group_id;

  return (
    <Paper withBorder p="sm" role="region" aria-label="Ticket fields">
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={600}>Properties</Text>
          {dirty && (
            <Group gap={4}>
              <Badge color="orange" variant="light" size="sm">
                Unsaved changes
              </Badge>
              <Button size="compact-xs" variant="subtle" onClick={onDiscard}>
                Discard
              </Button>
            </Group>
          )}
        </Group>
        {form && (
          <Text size="xs" c="dimmed">
            Form: {form.name}
          </Text>
        )}
        <Select label="Status" size="xs" data={statuses.map((s) => ({ value: s, label: STATUS_LABEL[s] }))} value={edits.status ?? ticket.status} onChange={(v) => v && onEdit({ status: v as TicketStatus })} disabled={disabled} allowDeselect={false} />
        <Select label="Priority" size="xs" data={PRIORITIES.map((p) => ({ value: p, label: PRIORITY_LABEL[p] }))} value={edits.priority ?? ticket.priority} onChange={(v) => v && onEdit({ priority: v as TicketPriority })} disabled={disabled} allowDeselect={false} />
        {formFields.map((field) => (
          <CustomFieldInput key={field.id} field={field} value={customValue(field.id)} disabled={disabled} onChange={(value) => onEdit({ custom: { ...edits.custom, [field.id]: value } })} />
        ))}
        <Select
          label="Assignee"
          size="xs"
          searchable
          clearable
          placeholder={agents.isPending ? 'Loading agents…' : 'Unassigned'}
          data={(agents.data ?? []).map((a) => ({ value: String(a.id), label: a.name }))}
          value={assignee ? String(assignee) : null}
          onChange={(v) => onEdit({ assignee_id: v ? Number(v) : null })}
          disabled={disabled}
          error={agents.isError ? 'Could not load agents' : undefined}
        />
        {abilities.can_take && (
          <Button size="xs" variant="light" onClick={onTake} loading={taking}>
            Take it
          </Button>
        )}
        <Select
          label="Group"
          size="xs"
          clearable
          data={(groups.data ?? []).map((g) => ({ value: String(g.id), label: g.name }))}
          value={group ? String(group) : null}
          onChange={(v) => onEdit({ group_id: v ? Number(v) : null })}
          disabled={disabled}
          error={groups.isError ? 'Could not load groups' : undefined}
        />
        <TagsInput label="CCs" size="xs" placeholder="Add an email address" value={edits.ccEmails ?? ccEmails} onChange={(list) => onEdit({ ccEmails: list })} disabled={disabled} splitChars={[',', ' ']} />
        <Switch label="Do not close" size="xs" checked={edits.do_not_close ?? ticket.do_not_close} onChange={(e) => onEdit({ do_not_close: e.currentTarget.checked })} disabled={disabled} />
      </Stack>
    </Paper>
  );
}
