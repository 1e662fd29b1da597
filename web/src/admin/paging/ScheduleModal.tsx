import { ActionIcon, Group, List, MultiSelect, NumberInput, Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { post, put } from '../../api/client';
import { useAdminMutation, useAllStaff } from '../hooks';
import { AdminModal, FormError, useFormSubmit, ModalActions } from '../ui';
import { fromLocalInput, pagingKeys, toLocalInput, type OnCallSchedule } from './model';

const FIELDS = ['name', 'rotation_start', 'rotation_hours', 'participant_ids', 'paging'] as const;
const UNITS = [
  { value: '1', label: 'hours' },
  { value: '24', label: 'days' },
  { value: '168', label: 'weeks' },
];

interface Values {
  name: string;
  rotation_start: string;
  length: number | string;
  unit: string;
  participant_ids: string[];
  paging: boolean;
}

/** The largest unit that divides the length: 168 h is "1 week", 36 h stays hours. */
function lengthOf(hours: number): { length: number; unit: string } {
  for (const u of ['168', '24', '1']) if (hours % Number(u) === 0) return { length: hours / Number(u), unit: u };
  return { length: hours, unit: '1' };
}

/**
 * Creates (no `schedule`) or edits an on-call rotation: participants take turns of the rotation
 * length from its start, in the order listed; the next participant is the backup. Mounted only while open.
 */
export function ScheduleModal({ schedule, onClose }: { schedule?: OnCallSchedule; onClose: () => void }) {
  const staff = useAllStaff();
  const initialLength = lengthOf(schedule?.rotation_hours ?? 168);
  const form = useForm<Values>({
    initialValues: {
      name: schedule?.name ?? '',
      rotation_start: schedule ? toLocalInput(schedule.rotation_start) : '',
      length: initialLength.length,
      unit: initialLength.unit,
      participant_ids: (schedule?.participant_ids ?? []).map(String),
      paging: schedule?.paging ?? true,
    },
    validate: {
      name: (v) => (v.trim() ? null : 'Enter a name'),
      rotation_start: (v) => (fromLocalInput(v) ? null : 'Pick the date and time of the first hand-off'),
      length: (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 1 ? null : 'Enter a whole number, at least 1'),
    },
  });
  const save = useAdminMutation({
    mutationFn: (v: Values) => {
      const body = {
        schedule: {
          name: v.name.trim(),
          rotation_start: fromLocalInput(v.rotation_start),
          rotation_hours: Number(v.length) * Number(v.unit),
          participant_ids: v.participant_ids.map(Number),
          paging: v.paging,
        },
      };
      return schedule ? put<{ schedule: OnCallSchedule }>(`/api/v2/on_call/schedules/${schedule.id}`, body) : post<{ schedule: OnCallSchedule }>('/api/v2/on_call/schedules', body);
    },
    invalidate: [pagingKeys.schedules],
    success: (d) => `${d.schedule.name} was ${schedule ? 'updated' : 'created'}`,
    notifyError: false,
    onSuccess: onClose,
  });
  const { submit: send, general } = useFormSubmit(form, save, FIELDS, ({ fieldErrors: { rotation_hours, ...rest }, general }) => ({
    fieldErrors: { ...rest, ...(rotation_hours ? { length: rotation_hours } : {}) },
    general,
  }));
  const submit = form.onSubmit(send);

  const nameOf = (id: string) => staff.data?.find((u) => String(u.id) === id)?.name ?? `Agent #${id}`;
  const agents = (staff.data ?? []).filter((u) => u.active || form.values.participant_ids.includes(String(u.id))).map((u) => ({ value: String(u.id), label: u.name }));
  const order = form.values.participant_ids;
  const moveUp = (i: number) => form.setFieldValue('participant_ids', [...order.slice(0, i - 1), order[i], order[i - 1], ...order.slice(i + 1)]);

  return (
    <AdminModal opened onClose={onClose} title={schedule ? `Edit ${schedule.name}` : 'New on-call schedule'} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput label="Name" required data-autofocus {...form.getInputProps('name')} />
          <TextInput
            type="datetime-local"
            label="Rotation start"
            description={`The first hand-off, in your time zone (${Intl.DateTimeFormat().resolvedOptions().timeZone}); turns follow each other from here`}
            required
            {...form.getInputProps('rotation_start')}
          />
          <Group align="flex-start" grow>
            <NumberInput label="Each turn lasts" min={1} allowDecimal={false} required {...form.getInputProps('length')} />
            <Select label="Unit" aria-label="Rotation unit" data={UNITS} allowDeselect={false} {...form.getInputProps('unit')} />
          </Group>
          <MultiSelect
            label="Participants"
            description="In rotation order: each turn the next participant is primary and the one after is backup"
            placeholder={staff.isPending ? 'Loading agents…' : 'Search agents'}
            data={agents}
            searchable
            nothingFoundMessage="No agent by that name"
            {...form.getInputProps('participant_ids')}
          />
          {order.length > 1 && (
            <List type="ordered" size="sm" aria-label="Rotation order">
              {order.map((id, i) => (
                <List.Item key={id}>
                  <Group gap={6} wrap="nowrap">
                    <Text size="sm">{nameOf(id)}</Text>
                    {i > 0 && (
                      <ActionIcon size="xs" variant="subtle" onClick={() => moveUp(i)} aria-label={`Move ${nameOf(id)} up`}>
                        ↑
                      </ActionIcon>
                    )}
                  </Group>
                </List.Item>
              ))}
            </List>
          )}
          <Switch
            label="Page this schedule"
            description="Premier urgent and high tickets page whoever is on call here"
            {...form.getInputProps('paging', { type: 'checkbox' })}
          />
          <FormError message={general} />
          <ModalActions onCancel={onClose} pending={save.isPending} submitLabel={schedule ? 'Save changes' : 'Create schedule'} />
        </Stack>
      </form>
    </AdminModal>
  );
}
