import { Chip, Group, Input, MultiSelect, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { post, put } from '../../api/client';
import { keys } from '../api';
import { useAdminMutation, useAllStaff } from '../hooks';
import { AdminModal, FormError, useFormSubmit, ModalActions } from '../ui';
import { regionKeys, WEEKDAYS, type Region } from './model';

const FIELDS = ['name', 'shift_start', 'shift_end', 'shift_days', 'member_ids'] as const;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

interface Values {
  name: string;
  shift_start: string;
  shift_end: string;
  shift_days: string[];
  member_ids: string[];
}

/**
 * Creates (no `region`) or edits a region: its shift in UTC, the weekdays a shift starts on, and its
 * agents. An agent belongs to one region, so adding someone here moves them out of their old one.
 * Mounted only while open.
 */
export function RegionModal({ region, regions, onClose }: { region?: Region; regions: Region[]; onClose: () => void }) {
  const staff = useAllStaff();
  const form = useForm<Values>({
    initialValues: {
      name: region?.name ?? '',
      shift_start: region?.shift_start ?? '',
      shift_end: region?.shift_end ?? '',
      shift_days: (region?.shift_days ?? [1, 2, 3, 4, 5]).map(String),
      member_ids: (region?.member_ids ?? []).map(String),
    },
    validate: {
      name: (v) => (v.trim() ? null : 'Enter a name'),
      shift_start: (v) => (HHMM.test(v.trim()) ? null : 'Enter a time as HH:MM in UTC, e.g. 06:00'),
      shift_end: (v, all) => (!HHMM.test(v.trim()) ? 'Enter a time as HH:MM in UTC, e.g. 13:00' : v.trim() === all.shift_start.trim() ? 'Must differ from the shift start' : null),
      shift_days: (v) => (v.length ? null : 'Pick at least one weekday'),
    },
  });
  const save = useAdminMutation({
    mutationFn: (v: Values) => {
      const body = {
        region: {
          name: v.name.trim(),
          shift_start: v.shift_start.trim(),
          shift_end: v.shift_end.trim(),
          shift_days: v.shift_days.map(Number),
          member_ids: v.member_ids.map(Number),
        },
      };
      return region ? put<{ region: Region }>(`/api/v2/regions/${region.id}`, body) : post<{ region: Region }>('/api/v2/regions', body);
    },
    // Members are users' region_id: the staff list shows it too.
    invalidate: [regionKeys.regions, keys.users],
    success: (d) => `${d.region.name} was ${region ? 'updated' : 'created'}`,
    notifyError: false,
    onSuccess: onClose,
  });
  const { submit: send, general } = useFormSubmit(form, save, FIELDS);
  const submit = form.onSubmit(send);

  const regionOf = new Map(regions.flatMap((r) => r.member_ids.map((id) => [id, r] as const)));
  const agents = (staff.data ?? [])
    .filter((u) => u.active || form.values.member_ids.includes(String(u.id)))
    .map((u) => {
      const current = regionOf.get(u.id);
      const elsewhere = current && current.id !== region?.id ? ` · now in ${current.name}` : '';
      return { value: String(u.id), label: `${u.name}${elsewhere}` };
    });
  const title = region ? `Edit ${region.name}` : 'New region';

  return (
    <AdminModal opened onClose={onClose} title={title} size="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput label="Name" required data-autofocus {...form.getInputProps('name')} />
          <Group grow align="flex-start">
            <TextInput label="Shift start (UTC)" placeholder="HH:MM" required {...form.getInputProps('shift_start')} />
            <TextInput label="Shift end (UTC)" placeholder="HH:MM" description="Earlier than the start: the shift runs past midnight" required {...form.getInputProps('shift_end')} />
          </Group>
          <Input.Wrapper label="Shift starts on (UTC)" description="The weekdays a shift begins, in UTC: APAC's Monday begins on Sunday evening UTC" error={form.errors.shift_days} required>
            <Chip.Group multiple value={form.values.shift_days} onChange={(v) => form.setFieldValue('shift_days', v)}>
              <Group gap={6} mt={6} role="group" aria-label="Shift days">
                {WEEKDAYS.map((d) => (
                  <Chip key={d.value} value={String(d.value)} size="sm" aria-label={d.long}>
                    {d.short}
                  </Chip>
                ))}
              </Group>
            </Chip.Group>
          </Input.Wrapper>
          <MultiSelect
            label="Members"
            description="Agents working this shift; an agent belongs to one region, so adding one here moves them"
            placeholder={staff.isPending ? 'Loading agents…' : 'Search agents'}
            data={agents}
            searchable
            clearable
            nothingFoundMessage="No agent by that name"
            {...form.getInputProps('member_ids')}
          />
          {form.values.member_ids.length === 0 && (
            <Text size="xs" c="dimmed">
              Without members, routing gives this region’s shift no tickets.
            </Text>
          )}
          <FormError message={general} />
          <ModalActions onCancel={onClose} pending={save.isPending} submitLabel={region ? 'Save changes' : 'Create region'} />
        </Stack>
      </form>
    </AdminModal>
  );
}
