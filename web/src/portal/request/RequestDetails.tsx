import { Anchor, Paper, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { useFormsAndFields } from '../api/queries';
import type { SupportRequest } from '../api/types';
import { PRIORITY_GUIDE } from '../new-request/PriorityField';
import { formatDateTime } from '../requests/status';

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>{label}</Text>
      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>{children}</Text>
    </div>
  );
}

/** Side facts: form, priority, the custom field answers (by their labels), CCs, follow-up links. */
export function RequestDetails({ request }: { request: SupportRequest }) {
  const forms = useFormsAndFields();
  const form = forms.data?.forms.find((f) => f.id === request.ticket_form_id);
  const answers = (request.custom_fields ?? [])
    .filter((cf) => cf.value !== null && cf.value !== '' && !(Array.isArray(cf.value) && !cf.value.length))
    .map((cf) => {
      const field = forms.data?.fields.get(cf.id);
      if (!field) return null; // fields hidden from the portal are not shown
      const options = field.custom_field_options ?? [];
      const show = (v: unknown) => options.find((o) => o.value === v)?.name ?? String(v);
      return { id: cf.id, label: field.title_in_portal || field.title, value: Array.isArray(cf.value) ? cf.value.map(show).join(', ') : typeof cf.value === 'boolean' ? (cf.value ? 'Yes' : 'No') : show(cf.value) };
    })
    .filter((a): a is { id: number; label: string; value: string } => !!a);
  const priority = PRIORITY_GUIDE.find((p) => p.value === request.priority)?.label;

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label="Request details">
      <Stack gap="sm">
        {form && <Row label="Type">{form.display_name}</Row>}
        {priority && <Row label="Priority">{priority}</Row>}
        {answers.map((a) => <Row key={a.id} label={a.label}>{a.value}</Row>)}
        <Row label="Submitted">{formatDateTime(request.created_at)}</Row>
        <Row label="Last activity">{formatDateTime(request.updated_at)}</Row>
        {request.email_cc_ids.length > 0 && <Row label="CCs">{request.email_cc_ids.length} {request.email_cc_ids.length === 1 ? 'person' : 'people'} copied</Row>}
        {request.followup_source_id && (
          <Row label="Follow-up to">
            <Anchor component={Link} to={`/requests/${request.followup_source_id}`}>#{request.followup_source_id}</Anchor>
          </Row>
        )}
        {request.followup_ids.length > 0 && (
          <Row label="Follow-ups">
            {request.followup_ids.map((id, i) => (
              <span key={id}>{i > 0 && ', '}<Anchor component={Link} to={`/requests/${id}`}>#{id}</Anchor></span>
            ))}
          </Row>
        )}
      </Stack>
    </Paper>
  );
}
