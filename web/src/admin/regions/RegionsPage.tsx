import { Badge, Button, Group, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useState } from 'react';
import { del } from '../../api/client';
import { QueryView } from '../../ui/PageState';
import { keys } from '../api';
import { weekdays } from '../../ui/weekdays';
import { useAdminMutation, useAllStaff } from '../hooks';
import { ConfirmModal, DeleteButton, EditButton, PageHeader } from '../ui';
import { regionKeys, shiftText, useAllRegions, type Region } from './model';
import { RegionModal } from './RegionModal';
import { RoutingSettingsCard } from './RoutingSettingsCard';

const at = (iso: string) => new Date(iso).toLocaleString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' }) + ' UTC';

/** /admin/regions: follow-the-sun regions with their UTC shifts and agents, and the routing setting. */
export function RegionsPage() {
  const regions = useAllRegions();
  const staff = useAllStaff();
  const nameOf = (id: number) => staff.data?.find((u) => u.id === id)?.name ?? `Agent #${id}`;
  const [editing, setEditing] = useState<Region | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Region | null>(null);
  const remove = useAdminMutation({
    mutationFn: (r: Region) => del(`/api/v2/regions/${r.id}`),
    invalidate: [regionKeys.regions, keys.users],
    success: (_d, r) => `${r.name} was deleted`,
    notifyError: false,
    onSuccess: () => setDeleting(null),
  });

  return (
    <Stack>
      <PageHeader
        title="Regions & routing"
        description="Follow-the-sun regions work shifts defined in UTC; at each shift end the region hands its open work to the next. Agents belong to one region."
        action={<Button onClick={() => setEditing('new')}>New region</Button>}
      />
      <QueryView
        query={regions}
        loadingLabel="Loading regions…"
        emptyTitle="No regions"
        emptyText="Without regions nobody is on shift and routing assigns nothing."
      >
        {(data) => (
          <Table.ScrollContainer minWidth={760}>
            <Table striped verticalSpacing="sm" aria-label="Regions">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Region</Table.Th>
                  <Table.Th>Shift</Table.Th>
                  <Table.Th>Starts on (UTC)</Table.Th>
                  <Table.Th>Members</Table.Th>
                  <Table.Th>Now</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.map((r) => (
                  <Table.Tr key={r.id} data-testid={`region-${r.id}`}>
                    <Table.Td fw={600}>{r.name}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{shiftText(r)}</Table.Td>
                    <Table.Td>{weekdays(r.shift_days)}</Table.Td>
                    <Table.Td>
                      <Text size="sm" c={r.member_ids.length ? undefined : 'dimmed'}>
                        {r.member_ids.length ? r.member_ids.map(nameOf).join(', ') : 'No agents'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {r.on_shift ? (
                        <Badge color="green" variant="light" title={r.shift_ends_at ? `Until ${at(r.shift_ends_at)}` : undefined}>
                          On shift
                        </Badge>
                      ) : (
                        <Text size="xs" c="dimmed">
                          {r.next_shift_start ? `Next ${at(r.next_shift_start)}` : 'Off shift'}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Group gap="xs" justify="flex-end" wrap="nowrap">
                        <EditButton name={r.name} onClick={() => setEditing(r)} />
                        <DeleteButton name={r.name} onClick={() => setDeleting(r)} />
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryView>
      <RoutingSettingsCard />
      {editing && <RegionModal region={editing === 'new' ? undefined : editing} regions={regions.data ?? []} onClose={() => setEditing(null)} />}
      <ConfirmModal target={deleting} action={remove} onClose={() => setDeleting(null)} title={`Delete ${deleting?.name ?? ''}?`} confirmLabel="Delete region">
        Its agents keep working without a region, so routing gives them no tickets until they join another one. Its handovers are deleted with it.
      </ConfirmModal>
    </Stack>
  );
}
