import { Badge, Button, Group, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { del } from '../../api/client';
import { QueryView } from '../../ui/PageState';
import { fetchPage, keys, PER_PAGE, type Organization, type Plan } from '../api';
import { useAdminMutation } from '../hooks';
import { ConfirmModal, DeleteButton, EditButton, PageHeader, Pager } from '../ui';
import { OrganizationModal, PLAN_LABEL } from './OrganizationModal';
import { SHARING, sharingOf } from './sharing';

const PLAN_COLOR: Record<Plan, string> = { free: 'gray', professional: 'blue', enterprise: 'violet', premier: 'orange' };

export function OrganizationsPage() {
  const [page, setPage] = useState(1);
  const list = useQuery({
    queryKey: [...keys.organizations, 'page', page],
    queryFn: () => fetchPage<Organization>('/api/v2/organizations', 'organizations', page),
    placeholderData: keepPreviousData,
  });
  // `null` = closed, `'new'` = creating, an organization = editing it.
  const [editing, setEditing] = useState<Organization | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Organization | null>(null);
  const remove = useAdminMutation({
    mutationFn: (o: Organization) => del(`/api/v2/organizations/${o.id}`),
    // Members lose their organization, so user lists change too.
    invalidate: [keys.organizations, keys.users],
    success: (_d, o) => `${o.name} was deleted`,
    notifyError: false,
    onSuccess: () => setDeleting(null),
  });

  return (
    <Stack>
      <PageHeader
        title="Organizations"
        description="Customer companies: their support plan, time zone, email domains and ticket sharing."
        action={<Button onClick={() => setEditing('new')}>New organization</Button>}
      />
      <QueryView
        query={list}
        loadingLabel="Loading organizations…"
        emptyTitle="No organizations yet"
        emptyText="Create one for each customer company; people who sign up with its email domain join it."
        isEmpty={(data) => !data.items.length && page === 1}
      >
        {(data) => (
          <>
            <Table.ScrollContainer minWidth={820}>
              <Table striped highlightOnHover verticalSpacing="sm" aria-label="Organizations">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Plan</Table.Th>
                    <Table.Th>Time zone</Table.Th>
                    <Table.Th>Domains</Table.Th>
                    <Table.Th>Sharing</Table.Th>
                    <Table.Th>
                      <VisuallyHidden>Actions</VisuallyHidden>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.items.map((o) => (
                    <Table.Tr key={o.id}>
                      <Table.Td fw={500}>{o.name}</Table.Td>
                      <Table.Td>
                        <Badge color={PLAN_COLOR[o.support_plan]} variant="light">
                          {PLAN_LABEL[o.support_plan]}
                        </Badge>
                      </Table.Td>
                      <Table.Td>{o.time_zone}</Table.Td>
                      <Table.Td>
                        <Text size="sm">{o.domain_names.length ? o.domain_names.join(', ') : '—'}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{SHARING[sharingOf(o)].label}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Group gap="xs" justify="flex-end" wrap="nowrap">
                          <EditButton name={o.name} onClick={() => setEditing(o)} variant="light" />
                          <DeleteButton name={o.name} onClick={() => setDeleting(o)} />
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Pager page={page} count={data.count} perPage={PER_PAGE} hasNext={data.hasNext} onChange={setPage} />
          </>
        )}
      </QueryView>
      {editing && <OrganizationModal organization={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />}
      <ConfirmModal target={deleting} action={remove} onClose={() => setDeleting(null)} title={`Delete ${deleting?.name ?? ''}?`} confirmLabel="Delete organization">
        Its members stay but no longer belong to any organization, so they lose its support plan and ticket sharing. Their tickets are kept.
      </ConfirmModal>
    </Stack>
  );
}
