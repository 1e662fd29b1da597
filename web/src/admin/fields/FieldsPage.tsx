import { Accordion, Badge, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { get } from '../../api/client';
import { QueryView } from '../../ui/PageState';
import { keys, type TicketField, type TicketForm } from '../api';
import { PageHeader } from '../ui';
import { OptionsEditor } from './OptionsEditor';

const TYPE_LABEL: Record<string, string> = {
  subject: 'System',
  description: 'System',
  status: 'System',
  priority: 'System',
  group: 'System',
  assignee: 'System',
  tagger: 'Drop-down',
  multiselect: 'Multi-select',
  text: 'Text',
  textarea: 'Multi-line text',
  regexp: 'Text with format',
  checkbox: 'Checkbox',
  date: 'Date',
  integer: 'Number',
  decimal: 'Decimal',
};

/** Fields whose choices the admin edits here: drop-downs with custom options. */
const hasOptions = (f: TicketField) => f.type === 'tagger' || f.type === 'multiselect';

async function loadFormsAndFields() {
  const [forms, fields] = await Promise.all([
    get<{ ticket_forms: TicketForm[] }>('/api/v2/ticket_forms'),
    get<{ ticket_fields: TicketField[] }>('/api/v2/ticket_fields'),
  ]);
  return { forms: forms.ticket_forms, fields: fields.ticket_fields };
}

export function FieldsPage() {
  const data = useQuery({ queryKey: keys.fields, queryFn: loadFormsAndFields });
  return (
    <Stack>
      <PageHeader
        title="Ticket fields"
        description="The request forms customers fill in, and the choices of their drop-down fields. Deactivated choices stay on existing tickets but cannot be picked for new ones."
      />
      <QueryView query={data} loadingLabel="Loading forms…" emptyTitle="No request forms" isEmpty={(d) => !d.forms.length}>
        {({ forms, fields }) => forms.map((form) => <FormCard key={form.id} form={form} fields={fields} />)}
      </QueryView>
    </Stack>
  );
}

function FormCard({ form, fields }: { form: TicketForm; fields: TicketField[] }) {
  const byId = new Map(fields.map((f) => [f.id, f]));
  const own = form.ticket_field_ids.map((id) => byId.get(id)).filter((f): f is TicketField => !!f);
  const withOptions = own.filter(hasOptions);
  return (
    <Paper withBorder p="md" component="section" aria-label={form.name}>
      <Stack>
        <Group justify="space-between">
          <Title order={2} size="h3">
            {form.name}
          </Title>
          {!form.active && <Badge color="gray">Inactive</Badge>}
        </Group>
        <Table.ScrollContainer minWidth={560}>
          <Table verticalSpacing="xs" aria-label={`Fields of ${form.name}`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Field</Table.Th>
                <Table.Th>Type</Table.Th>
                <Table.Th>Customers must fill it</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {own.map((f) => (
                <Table.Tr key={f.id}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {f.title}
                    </Text>
                    {f.description && (
                      <Text size="xs" c="dimmed" lineClamp={1}>
                        {f.description}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{TYPE_LABEL[f.type] ?? f.type}</Table.Td>
                  <Table.Td>{f.required_in_portal ? 'Required' : 'Optional'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {withOptions.length > 0 && (
          <Accordion multiple variant="separated">
            {withOptions.map((f) => {
              const options = f.custom_field_options ?? [];
              const inactive = options.filter((o) => o.active === false).length;
              return (
                <Accordion.Item key={f.id} value={String(f.id)}>
                  <Accordion.Control>
                    {f.title} choices
                    <Text span size="sm" c="dimmed" ml="xs">
                      {options.length} {options.length === 1 ? 'option' : 'options'}
                      {inactive ? `, ${inactive} deactivated` : ''}
                    </Text>
                  </Accordion.Control>
                  <Accordion.Panel>
                    <OptionsEditor field={f} formName={form.name} />
                  </Accordion.Panel>
                </Accordion.Item>
              );
            })}
          </Accordion>
        )}
      </Stack>
    </Paper>
  );
}
