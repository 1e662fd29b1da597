import { Badge, Button, Code, Group, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { get } from '../../api/client';
import { EmptyState, ErrorState, Loading } from '../../ui/PageState';

export interface AuditLogEntry {
  id: number;
  action: string;
  action_label: string;
  actor_id: number | null;
  actor_name: string;
  source_id: number | null;
  source_type: string;
  source_label: string;
  change_description: string;
  ip_address: string | null;
  user_agent: string | null;
  created_at: string;
}

interface Page {
  audit_logs: AuditLogEntry[];
  meta: { has_more: boolean; after_cursor: string | null; before_cursor: string | null };
}

const SOURCE_TYPES = [
  { value: 'user', label: 'Users (roles, suspension, deactivation, 2FA reset)' },
  { value: 'security_settings', label: 'Security settings' },
  { value: 'sla_policy', label: 'SLA policies' },
  { value: 'business_schedule', label: 'Business hours and holidays' },
  { value: 'routing_settings', label: 'Routing settings' },
  { value: 'region', label: 'Regions' },
  { value: 'trigger', label: 'Triggers' },
  { value: 'macro', label: 'Macros' },
  { value: 'organization', label: 'Organizations' },
  { value: 'group', label: 'Groups and members' },
  { value: 'webhook', label: 'Webhooks' },
  { value: 'paging_target', label: 'Paging targets' },
  { value: 'on_call_schedule', label: 'On-call schedules' },
  { value: 'ticket_form', label: 'Ticket forms' },
  { value: 'ticket_field', label: 'Ticket fields' },
  { value: 'help_center_category', label: 'Help-center categories' },
  { value: 'help_center_section', label: 'Help-center sections' },
  { value: 'api_token', label: 'API tokens' },
  { value: 'oauth_client', label: 'OAuth clients' },
  { value: 'oauth_token', label: 'OAuth tokens' },
  { value: 'export', label: 'Exports' },
];

export interface AuditFilter {
  sourceType: string | null;
  actorId: string;
  from: string;
  to: string;
}

/** The query string of a filter, in the API's `filter[...]` form (shared by the list and the CSV link). */
export function filterQuery(f: AuditFilter): URLSearchParams {
  const q = new URLSearchParams();
  if (f.sourceType) q.set('filter[source_type]', f.sourceType);
  if (/^\d+$/.test(f.actorId.trim())) q.set('filter[actor_id]', f.actorId.trim());
  if (f.from || f.to) {
    q.append('filter[created_at][]', new Date(f.from ? `${f.from}T00:00:00` : 0).toISOString());
    q.append('filter[created_at][]', new Date(f.to ? `${f.to}T23:59:59.999` : Date.now() + 86_400_000).toISOString());
  }
  return q;
}

/** Who did what to which administrative object, when and from where; filter and export as CSV. */
export function AuditLogPage() {
  const [filter, setFilter] = useState<AuditFilter>({ sourceType: null, actorId: '', from: '', to: '' });
  const [cursor, setCursor] = useState<string | null>(null);
  const [trail, setTrail] = useState<string[]>([]);
  const set = (change: Partial<AuditFilter>) => {
    setFilter((f) => ({ ...f, ...change }));
    setCursor(null);
    setTrail([]);
  };
  const query = filterQuery(filter);
  const page = useQuery({
    queryKey: ['audit-logs', query.toString(), cursor],
    queryFn: () => {
      const q = new URLSearchParams(query);
      q.set('page[size]', '50');
      if (cursor) q.set('page[after]', cursor);
      return get<Page>(`/api/v2/audit_logs?${q}`);
    },
  });

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1} size="h2">
            Audit log
          </Title>
          <Text size="sm" c="dimmed">
            Role changes, policies, settings, tokens, exports and two-factor resets, newest first.
          </Text>
        </div>
        <Button component="a" href={`/api/v2/audit_logs/export?${query}`} variant="default" download>
          Export CSV
        </Button>
      </Group>
      <Paper withBorder p="sm">
        <Group align="flex-end" wrap="wrap">
          <Select label="What" placeholder="Everything" clearable data={SOURCE_TYPES} value={filter.sourceType} onChange={(v) => set({ sourceType: v })} w={300} />
          <TextInput label="Actor (user id)" value={filter.actorId} onChange={(e) => set({ actorId: e.currentTarget.value })} w={140} />
          <TextInput label="From" type="date" value={filter.from} onChange={(e) => set({ from: e.currentTarget.value })} />
          <TextInput label="To" type="date" value={filter.to} onChange={(e) => set({ to: e.currentTarget.value })} />
        </Group>
      </Paper>
      {page.isPending ? (
        <Loading label="Loading the audit log…" />
      ) : page.isError ? (
        <ErrorState error={page.error} onRetry={() => page.refetch()} />
      ) : page.data.audit_logs.length === 0 ? (
        <EmptyState title="No entries">Nothing recorded matches these filters.</EmptyState>
      ) : (
        <Paper withBorder>
          <Table striped highlightOnHover aria-label="Audit log entries">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th>Who</Table.Th>
                <Table.Th>Action</Table.Th>
                <Table.Th>On</Table.Th>
                <Table.Th>Change</Table.Th>
                <Table.Th>From</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {page.data.audit_logs.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{new Date(e.created_at).toLocaleString()}</Table.Td>
                  <Table.Td>
                    {e.actor_name}
                    {e.actor_id !== null && (
                      <Text size="xs" c="dimmed">
                        #{e.actor_id}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light">{e.action_label}</Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{e.source_label}</Text>
                    <Text size="xs" c="dimmed">
                      {e.source_type}
                      {e.source_id !== null ? ` #${e.source_id}` : ''}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" style={{ wordBreak: 'break-word' }}>
                      {e.change_description}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Code>{e.ip_address ?? '—'}</Code>
                    {e.user_agent && (
                      <Text size="xs" c="dimmed" lineClamp={1} title={e.user_agent}>
                        {e.user_agent}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      <Group justify="flex-end">
        <Button variant="default" disabled={trail.length === 0} onClick={() => (setCursor(trail[trail.length - 1] || null), setTrail(trail.slice(0, -1)))}>
          Newer
        </Button>
        <Button
          variant="default"
          disabled={!page.data?.meta.has_more}
          onClick={() => {
            setTrail([...trail, cursor ?? '']);
            setCursor(page.data!.meta.after_cursor);
          }}
        >
          Older
        </Button>
      </Group>
    </Stack>
  );
}
