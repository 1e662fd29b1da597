import { Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import type { User } from '../api';
import { OverridesSection } from './OverridesSection';
import { DeleteButton, EditButton } from '../ui';
import { rotationText, when, type OnCallSchedule, type OnCallShift } from './model';

/** One rotation: its turns, who is on call now, the next shifts as the server computes them, and overrides. */
export function ScheduleCard({ schedule: s, staff, onEdit, onDelete }: { schedule: OnCallSchedule; staff: User[]; onEdit: () => void; onDelete: () => void }) {
  const nameOf = (id: number | null) => (id === null ? 'Nobody' : (staff.find((u) => u.id === id)?.name ?? `Agent #${id}`));
  const shifts = [s.on_call_now, ...s.upcoming];
  return (
    <Paper withBorder p="md" component="section" aria-label={`${s.name} schedule`}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <div>
            <Group gap="xs">
              <Title order={2} size="h3">
                {s.name}
              </Title>
              <Badge color={s.paging ? 'red' : 'gray'} variant="light">
                {s.paging ? 'Paged' : 'Not paged'}
              </Badge>
            </Group>
            <Text size="sm" c="dimmed">
              Turns of {rotationText(s.rotation_hours)} from {when(s.rotation_start)} · {s.participant_ids.length ? s.participant_ids.map(nameOf).join(' → ') : 'no participants'}
            </Text>
          </div>
          <Group gap="xs" wrap="nowrap">
            <EditButton name={s.name} onClick={onEdit} />
            <DeleteButton name={s.name} onClick={onDelete} />
          </Group>
        </Group>
        <Table verticalSpacing={4} fz="sm" aria-label={`Shifts of ${s.name}`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Shift</Table.Th>
              <Table.Th>Primary</Table.Th>
              <Table.Th>Backup</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shifts.map((shift, i) => (
              <ShiftRow key={`${shift.starts_at}-${i}`} shift={shift} now={i === 0} nameOf={nameOf} />
            ))}
          </Table.Tbody>
        </Table>
        <OverridesSection schedule={s} staff={staff} />
      </Stack>
    </Paper>
  );
}

function ShiftRow({ shift, now, nameOf }: { shift: OnCallShift; now: boolean; nameOf: (id: number | null) => string }) {
  const mark = (role: 'primary' | 'backup') => (shift.overridden.includes(role) ? ' (override)' : '');
  return (
    <Table.Tr bg={now ? 'orange.0' : undefined} data-testid={now ? 'on-call-now' : undefined}>
      <Table.Td>
        {now && (
          <Badge size="xs" mr={6}>
            Now
          </Badge>
        )}
        {when(shift.starts_at)} – {when(shift.ends_at)}
      </Table.Td>
      <Table.Td>
        {nameOf(shift.primary_id)}
        {mark('primary')}
      </Table.Td>
      <Table.Td>
        {nameOf(shift.backup_id)}
        {mark('backup')}
      </Table.Td>
    </Table.Tr>
  );
}
