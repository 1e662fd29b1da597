import { Badge, Button, Group, Table, Text, VisuallyHidden } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { del } from '../../api/client';
import { useSession } from '../../auth/session';
import { EmptyState, ErrorState, Loading } from '../../ui/PageState';
import { fetchPage, keys, PER_PAGE, type User } from '../api';
import { useAdminMutation, useAllOrganizations } from '../hooks';
import { ConfirmModal, EditButton, Pager } from '../ui';
import { EditUserModal } from './EditUserModal';
import { useAllRegions } from '../regions/model';
import { formatLogin, ROLE_LABEL, statusOf } from './labels';

export function UsersTable({ kind, path }: { kind: 'staff' | 'customers'; path: string }) {
  const [page, setPage] = useState(1);
  // Newest first, so someone just invited is on the first page.
  const list = useQuery({
    queryKey: [...keys.users, kind, page],
    queryFn: () => fetchPage<User>(`${path}&sort_order=desc`, 'users', page),
    placeholderData: keepPreviousData,
  });
  const me = useSession().data;
  const orgs = useAllOrganizations();
  const regions = useAllRegions();
  const regionName = (id: number | null) => (id === null ? '—' : (regions.data?.find((r) => r.id === id)?.name ?? `#${id}`));
  const orgName = (id: number | null) => (id === null ? '—' : (orgs.data?.find((o) => o.id === id)?.name ?? `#${id}`));
  const [editing, setEditing] = useState<User | null>(null);
  const [deactivating, setDeactivating] = useState<User | null>(null);
  const deactivate = useAdminMutation({
    mutationFn: (u: User) => del(`/api/v2/users/${u.id}`),
    invalidate: [keys.users],
    success: (_d, u) => `${u.name} was deactivated`,
    notifyError: false,
    onSuccess: () => setDeactivating(null),
  });

  if (list.isPending) return <Loading label="Loading users…" />;
  if (list.isError) return <ErrorState error={list.error} onRetry={() => list.refetch()} />;
  const { items, count, hasNext } = list.data;
  if (!items.length && page === 1) {
    return <EmptyState title={kind === 'staff' ? 'No agents yet' : 'No customers yet'}>Use “Invite user” to add the first one.</EmptyState>;
  }

  return (
    <>
      <Table.ScrollContainer minWidth={760}>
        <Table striped highlightOnHover verticalSpacing="sm" aria-label={kind === 'staff' ? 'Staff' : 'Customers'}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th>{kind === 'staff' ? 'Region' : 'Organization'}</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Last sign-in</Table.Th>
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((u) => {
              const status = statusOf(u);
              return (
                <Table.Tr key={u.id} data-testid={`user-${u.id}`}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {u.name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {u.email}
                    </Text>
                  </Table.Td>
                  <Table.Td>{ROLE_LABEL[u.role]}</Table.Td>
                  <Table.Td>{kind === 'staff' ? regionName(u.region_id) : orgName(u.organization_id)}</Table.Td>
                  <Table.Td>
                    <Badge color={status.color} variant="light">
                      {status.label}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{formatLogin(u.last_login_at)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" justify="flex-end" wrap="nowrap">
                      <EditButton name={u.name} onClick={() => setEditing(u)} variant="light" />
                      {/* The server refuses self-deactivation; not offering it avoids locking oneself out by mistake. */}
                      {u.active && u.id !== me?.id && (
                        <Button size="xs" variant="subtle" color="red" onClick={() => setDeactivating(u)} aria-label={`Deactivate ${u.name}`}>
                          Deactivate
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Pager page={page} count={count} perPage={PER_PAGE} hasNext={hasNext} onChange={setPage} />
      {editing && <EditUserModal user={editing} onClose={() => setEditing(null)} />}
      <ConfirmModal target={deactivating} action={deactivate} onClose={() => setDeactivating(null)} title={`Deactivate ${deactivating?.name ?? ''}?`} confirmLabel="Deactivate">
        {deactivating?.name} ({deactivating?.email}) will be signed out everywhere and can no longer sign in or use API tokens. Their tickets and comments stay.
      </ConfirmModal>
    </>
  );
}
