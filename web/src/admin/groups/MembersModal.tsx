import { Button, Group as Row, Select, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { del, post } from '../../api/client';
import { EmptyState, ErrorState, Loading } from '../../ui/PageState';
import { fetchAll, keys, type Group, type Membership } from '../api';
import { AdminModal } from '../ui';
import { useAdminMutation, useAllStaff } from '../hooks';
import { ROLE_LABEL } from '../users/labels';

/** Who is in a group; agents are added from the staff list, removed with an inline confirmation. */
export function MembersModal({ group, onClose }: { group: Group; onClose: () => void }) {
  const memberships = useQuery({ queryKey: keys.memberships(group.id), queryFn: () => fetchAll<Membership>(`/api/v2/groups/${group.id}/memberships`, 'group_memberships') });
  const staff = useAllStaff();
  const [adding, setAdding] = useState<string | null>(null);
  // Inline "are you sure" instead of a second modal on top of this one.
  const [confirming, setConfirming] = useState<number | null>(null);
  const invalidate = [keys.memberships(group.id), [...keys.groups, 'memberships', 'all']];
  const userOf = (id: number) => staff.data?.find((u) => u.id === id);

  const add = useAdminMutation({
    mutationFn: (userId: number) => post('/api/v2/group_memberships', { group_membership: { user_id: userId, group_id: group.id } }),
    invalidate,
    success: (_d, userId) => `${userOf(userId)?.name ?? 'The agent'} was added to ${group.name}`,
    onSuccess: () => setAdding(null),
  });
  const remove = useAdminMutation({
    mutationFn: (m: Membership) => del(`/api/v2/group_memberships/${m.id}`),
    invalidate,
    success: (_d, m) => `${userOf(m.user_id)?.name ?? 'The agent'} was removed from ${group.name}`,
    onSuccess: () => setConfirming(null),
  });

  const memberIds = new Set(memberships.data?.map((m) => m.user_id));
  const candidates = (staff.data ?? []).filter((u) => u.active && !memberIds.has(u.id)).map((u) => ({ value: String(u.id), label: `${u.name} (${u.email})` }));

  return (
    <AdminModal opened onClose={onClose} title={`Members of ${group.name}`} size="lg">
      <Stack>
        <Row align="flex-end" wrap="nowrap">
          <Select
            label="Add an agent"
            placeholder={staff.isPending ? 'Loading agents…' : 'Search agents'}
            data={candidates}
            value={adding}
            onChange={setAdding}
            searchable
            nothingFoundMessage="No agent by that name outside this group"
            style={{ flex: 1 }}
          />
          <Button disabled={!adding} loading={add.isPending} onClick={() => adding && add.mutate(Number(adding))}>
            Add
          </Button>
        </Row>
        {memberships.isPending || staff.isPending ? (
          <Loading label="Loading members…" />
        ) : memberships.isError || staff.isError ? (
          <ErrorState error={memberships.error ?? staff.error} onRetry={() => (memberships.refetch(), staff.refetch())} />
        ) : !memberships.data.length ? (
          <EmptyState title="No members yet">Add the agents who work this group's tickets.</EmptyState>
        ) : (
          <Table verticalSpacing="xs" aria-label={`Members of ${group.name}`}>
            <Table.Tbody>
              {memberships.data.map((m) => {
                const u = userOf(m.user_id);
                return (
                  <Table.Tr key={m.id}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {u?.name ?? `User #${m.user_id}`}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {u ? `${u.email} · ${ROLE_LABEL[u.role]}${u.active ? '' : ' · deactivated'}` : 'No longer staff'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Row gap="xs" justify="flex-end" wrap="nowrap">
                        {confirming === m.id ? (
                          <>
                            <Text size="sm">Remove from {group.name}?</Text>
                            <Button size="xs" variant="default" onClick={() => setConfirming(null)}>
                              Cancel
                            </Button>
                            <Button size="xs" color="red" loading={remove.isPending} onClick={() => remove.mutate(m)}>
                              Remove
                            </Button>
                          </>
                        ) : (
                          <Button size="xs" variant="subtle" color="red" onClick={() => setConfirming(m.id)} aria-label={`Remove ${u?.name ?? 'member'}`}>
                            Remove
                          </Button>
                        )}
                      </Row>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </AdminModal>
  );
}
