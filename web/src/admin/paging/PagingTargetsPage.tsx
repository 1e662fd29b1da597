import { Badge, Button, Group, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { del, put } from '../../api/client';
import { QueryView } from '../../ui/PageState';
import { useAdminMutation } from '../hooks';
import { ConfirmModal, DeleteButton, EditButton, PageHeader } from '../ui';
import { fetchTargets, kindLabel, pagingKeys, type PagingTarget } from './model';
import { TargetModal } from './TargetModal';

/** Where a target sends pages, in words. */
function destination(t: PagingTarget): string {
  if (t.kind === 'email') return t.target_url ? t.target_url.replace(/^mailto:/i, '') : 'The person paged';
  if (t.kind === 'pagerduty') return `${t.target_url ?? 'PagerDuty Events API v2'}${t.routing_key ? ` · key ${t.routing_key}` : ''}`;
  return t.target_url ?? '—';
}

/** /admin/paging: the channels Premier pages go to (chat webhooks, PagerDuty, email). */
export function PagingTargetsPage() {
  const targets = useQuery({ queryKey: pagingKeys.targets, queryFn: fetchTargets });
  const [editing, setEditing] = useState<PagingTarget | 'new' | null>(null);
  const [deleting, setDeleting] = useState<PagingTarget | null>(null);
  const toggle = useAdminMutation({
    mutationFn: (t: PagingTarget) => put<{ target: PagingTarget }>(`/api/v2/paging/targets/${t.id}`, { target: { active: !t.active } }),
    invalidate: [pagingKeys.targets],
    success: (d) => `${d.target.name} was ${d.target.active ? 'enabled' : 'disabled'}`,
  });
  const remove = useAdminMutation({
    mutationFn: (t: PagingTarget) => del(`/api/v2/paging/targets/${t.id}`),
    invalidate: [pagingKeys.targets],
    success: (_d, t) => `${t.name} was deleted`,
    notifyError: false,
    onSuccess: () => setDeleting(null),
  });

  return (
    <Stack>
      <PageHeader
        title="Paging"
        description="When a Premier ticket is urgent or high, Sundial pages the on-call engineer through every active target, repeats until acknowledged and escalates to the backup."
        action={<Button onClick={() => setEditing('new')}>New target</Button>}
      />
      <QueryView
        query={targets}
        loadingLabel="Loading paging targets…"
        emptyTitle="No paging targets"
        emptyText="Pages are recorded on the ticket but reach nobody until you add a channel."
      >
        {(data) => (
          <Table.ScrollContainer minWidth={760}>
            <Table striped verticalSpacing="sm" aria-label="Paging targets">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Kind</Table.Th>
                  <Table.Th>Sends to</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.map((t) => (
                  <Table.Tr key={t.id} data-testid={`target-${t.id}`}>
                    <Table.Td fw={500}>{t.name}</Table.Td>
                    <Table.Td>{kindLabel(t.kind)}</Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ wordBreak: 'break-all' }}>
                        {destination(t)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge color={t.active ? 'green' : 'gray'} variant="light">
                        {t.active ? 'Active' : 'Disabled'}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Group gap="xs" justify="flex-end" wrap="nowrap">
                        <EditButton name={t.name} onClick={() => setEditing(t)} />
                        <Button size="xs" variant="light" color={t.active ? 'gray' : 'green'} loading={toggle.isPending && toggle.variables?.id === t.id} onClick={() => toggle.mutate(t)} aria-label={`${t.active ? 'Disable' : 'Enable'} ${t.name}`}>
                          {t.active ? 'Disable' : 'Enable'}
                        </Button>
                        <DeleteButton name={t.name} onClick={() => setDeleting(t)} />
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryView>
      {editing && <TargetModal target={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />}
      <ConfirmModal target={deleting} action={remove} onClose={() => setDeleting(null)} title={`Delete ${deleting?.name ?? ''}?`} confirmLabel="Delete target">
        Pages stop going to this {deleting ? kindLabel(deleting.kind) : ''} target, and its delivery history disappears from tickets’ Pages panels. Disable it instead to keep the history.
      </ConfirmModal>
    </Stack>
  );
}
