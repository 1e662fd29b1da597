import { Button, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { del, post } from '../../api/client';
import type { User } from '../api';
import { useAdminMutation } from '../hooks';
import { ConfirmModal, FormError, splitApiError } from '../ui';
import { fromLocalInput, pagingKeys, when, type OnCallSchedule, type ScheduleOverride } from './model';

const ROLES = [
  { value: 'primary', label: 'Primary' },
  { value: 'backup', label: 'Backup' },
];
const FIELDS = ['role', 'user_id', 'starts_at', 'ends_at'] as const;

/** Someone else takes a role for a while (a swap, a holiday); the newest override wins where several overlap. */
export function OverridesSection({ schedule, staff }: { schedule: OnCallSchedule; staff: User[] }) {
  const [removing, setRemoving] = useState<ScheduleOverride | null>(null);
  const nameOf = (id: number) => staff.find((u) => u.id === id)?.name ?? `Agent #${id}`;
  const remove = useAdminMutation({
    mutationFn: (o: ScheduleOverride) => del(`/api/v2/on_call/schedules/${schedule.id}/overrides/${o.id}`),
    invalidate: [pagingKeys.schedules],
    success: (_d, o) => `The override for ${nameOf(o.user_id)} was removed`,
    notifyError: false,
    onSuccess: () => setRemoving(null),
  });
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        Overrides
      </Title>
      {schedule.overrides.length ? (
        <Table verticalSpacing={4} fz="sm" aria-label={`Overrides of ${schedule.name}`}>
          <Table.Tbody>
            {schedule.overrides.map((o) => (
              <Table.Tr key={o.id}>
                <Table.Td>
                  <strong>{nameOf(o.user_id)}</strong> as {o.role}
                </Table.Td>
                <Table.Td>
                  {when(o.starts_at)} – {when(o.ends_at)}
                </Table.Td>
                <Table.Td ta="right">
                  <Button size="compact-xs" variant="subtle" color="red" onClick={() => setRemoving(o)} aria-label={`Remove the override for ${nameOf(o.user_id)}`}>
                    Remove
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : (
        <Text size="sm" c="dimmed">
          No current or future overrides.
        </Text>
      )}
      <AddOverride schedule={schedule} staff={staff} />
      <ConfirmModal target={removing} action={remove} onClose={() => setRemoving(null)} title="Remove this override?" confirmLabel="Remove override">
        {removing ? `${nameOf(removing.user_id)} no longer covers ${removing.role} from ${when(removing.starts_at)} to ${when(removing.ends_at)}; the rotation decides again.` : ''}
      </ConfirmModal>
    </Stack>
  );
}

function AddOverride({ schedule, staff }: { schedule: OnCallSchedule; staff: User[] }) {
  const [role, setRole] = useState<string | null>('primary');
  const [userId, setUserId] = useState<string | null>(null);
  const [starts, setStarts] = useState('');
  const [ends, setEnds] = useState('');
  const [errors, setErrors] = useState<Partial<Record<(typeof FIELDS)[number], string>> & { general?: string | null }>({});
  const add = useAdminMutation({
    mutationFn: () => post(`/api/v2/on_call/schedules/${schedule.id}/overrides`, { override: { role, user_id: Number(userId), starts_at: fromLocalInput(starts), ends_at: fromLocalInput(ends) } }),
    invalidate: [pagingKeys.schedules],
    success: `The override was added to ${schedule.name}`,
    notifyError: false,
    onSuccess: () => {
      setUserId(null);
      setStarts('');
      setEnds('');
    },
  });
  const submit = () => {
    const next: typeof errors = {};
    if (!userId) next.user_id = 'Pick an agent';
    if (!fromLocalInput(starts)) next.starts_at = 'Pick a start';
    if (!fromLocalInput(ends)) next.ends_at = 'Pick an end';
    else if (fromLocalInput(starts) && ends <= starts) next.ends_at = 'Must be after the start';
    setErrors(next);
    if (Object.keys(next).length) return;
    add.mutate(undefined, {
      onError: (e) => {
        const { fieldErrors, general } = splitApiError(e, FIELDS);
        setErrors({ ...fieldErrors, general });
      },
    });
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      noValidate
      aria-label={`Add an override to ${schedule.name}`}
    >
      <Stack gap="xs">
        <Group align="flex-start" wrap="wrap" gap="xs">
          <Select label="Role" data={ROLES} value={role} onChange={setRole} allowDeselect={false} w={120} error={errors.role} />
          <Select
            label="Covered by"
            data={staff.filter((u) => u.active).map((u) => ({ value: String(u.id), label: u.name }))}
            value={userId}
            onChange={setUserId}
            searchable
            placeholder="Search agents"
            error={errors.user_id}
            style={{ flex: 1, minWidth: 180 }}
          />
          <TextInput type="datetime-local" label="From" value={starts} onChange={(e) => setStarts(e.currentTarget.value)} error={errors.starts_at} />
          <TextInput type="datetime-local" label="Until" value={ends} onChange={(e) => setEnds(e.currentTarget.value)} error={errors.ends_at} />
          <Button type="submit" variant="light" mt={25} loading={add.isPending}>
            Add override
          </Button>
        </Group>
        <FormError message={errors.general} />
      </Stack>
    </form>
  );
}
