import { Button, Group as Row, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { del } from '../../api/client';
import { QueryView } from '../../ui/PageState';
import { fetchAll, keys, type Group, type Membership } from '../api';
import { useAdminMutation } from '../hooks';
import { ConfirmModal, DeleteButton, EditButton, PageHeader } from '../ui';
import { GroupModal } from './GroupModal';
import { MembersModal } from './MembersModal';

export function GroupsPage() {
  // Groups are few (teams, not people), so the whole list is shown without paging.
  const groups = useQuery({ queryKey: [...keys.groups, 'all'], queryFn: () => fetchAll<Group>('/api/v2/groups', 'groups') });
  const memberships = useQuery({ queryKey: [...keys.groups, 'memberships', 'all'], queryFn: () => fetchAll<Membership>('/api/v2/group_memberships', 'group_memberships') });
  const memberCount = (id: number) => memberships.data?.filter((m) => m.group_id === id).length;
  const [editing, setEditing] = useState<Group | 'new' | null>(null);
  const [members, setMembers] = useState<Group | null>(null);
  const [deleting, setDeleting] = useState<Group | null>(null);
  const remove = useAdminMutation({
    mutationFn: (g: Group) => del(`/api/v2/groups/${g.id}`),
    invalidate: [keys.groups],
    success: (_d, g) => `${g.name} was deleted`,
    notifyError: false,
    onSuccess: () => setDeleting(null),
  });

  return (
    <Stack>
      <PageHeader
        title="Groups"
        description="Teams of agents that tickets are assigned to. Technical Support, Sales and Sustained Engineering drive the support workflows and cannot be deleted."
        action={<Button onClick={() => setEditing('new')}>New group</Button>}
      />
      <QueryView query={groups} loadingLabel="Loading groups…" emptyTitle="No groups yet">
        {(data) => (
          <Table.ScrollContainer minWidth={640}>
            <Table striped highlightOnHover verticalSpacing="sm" aria-label="Groups">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Description</Table.Th>
                  <Table.Th>Members</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.map((g) => (
                  <Table.Tr key={g.id}>
                    <Table.Td fw={500}>{g.name}</Table.Td>
                    <Table.Td>
                      <Text size="sm" c={g.description ? undefined : 'dimmed'}>
                        {g.description || 'No description'}
                      </Text>
                    </Table.Td>
                    <Table.Td>{memberCount(g.id) ?? '…'}</Table.Td>
                    <Table.Td>
                      <Row gap="xs" justify="flex-end" wrap="nowrap">
                        <Button size="xs" variant="light" onClick={() => setMembers(g)} aria-label={`Members of ${g.name}`}>
                          Members
                        </Button>
                        <EditButton name={g.name} onClick={() => setEditing(g)} />
                        <DeleteButton name={g.name} onClick={() => setDeleting(g)} />
                      </Row>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryView>
      {editing && <GroupModal group={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />}
      {members && <MembersModal group={members} onClose={() => setMembers(null)} />}
      <ConfirmModal target={deleting} action={remove} onClose={() => setDeleting(null)} title={`Delete ${deleting?.name ?? ''}?`} confirmLabel="Delete group">
        Its members are removed from it. Tickets assigned to the group keep their history.
      </ConfirmModal>
    </Stack>
  );
}
