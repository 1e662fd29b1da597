import { Button, Group, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { del, post } from '../../api/client';
import { EmptyState, ErrorState, Loading, QueryView } from '../../ui/PageState';
import { useAdminMutation } from '../hooks';
import { ConfirmModal, DeleteButton, FormError, splitApiError } from '../ui';
import { fetchHolidays, fetchSchedules, formatDates, slaKeys, type Holiday, type Schedule } from './model';

/** Holidays of the default business-hours schedule: days on which business-hours targets do not run. */
export function HolidaysSection() {
  const schedules = useQuery({ queryKey: slaKeys.schedules, queryFn: fetchSchedules });
  const schedule = schedules.data?.find((s) => s.default) ?? schedules.data?.[0];
  return (
    <Paper withBorder p="md" component="section" aria-label="Holidays">
      <Stack>
        <div>
          <Title order={2} size="h3">
            Holidays
          </Title>
          <Text size="sm" c="dimmed">
            Business-hours targets pause on these days{schedule ? ` (schedule “${schedule.name}”)` : ''}. Calendar-hours targets keep running.
          </Text>
        </div>
        {schedules.isPending ? (
          <Loading label="Loading the schedule…" />
        ) : schedules.isError ? (
          <ErrorState error={schedules.error} onRetry={() => schedules.refetch()} />
        ) : !schedule ? (
          <EmptyState title="No business-hours schedule" />
        ) : (
          <ScheduleHolidays schedule={schedule} />
        )}
      </Stack>
    </Paper>
  );
}

function ScheduleHolidays({ schedule }: { schedule: Schedule }) {
  const holidays = useQuery({ queryKey: slaKeys.holidays(schedule.id), queryFn: () => fetchHolidays(schedule.id) });
  const [deleting, setDeleting] = useState<Holiday | null>(null);
  const remove = useAdminMutation({
    mutationFn: (h: Holiday) => del(`/api/v2/business_hours/schedules/${schedule.id}/holidays/${h.id}`),
    invalidate: [slaKeys.holidays(schedule.id)],
    success: (_d, h) => `“${h.name}” was deleted`,
    notifyError: false,
    onSuccess: () => setDeleting(null),
  });
  return (
    <Stack>
      <AddHoliday schedule={schedule} />
      <QueryView query={holidays} loadingLabel="Loading holidays…" emptyTitle="No holidays" emptyText="Business-hours targets run on every weekday.">
        {(data) => (
          <Table verticalSpacing="xs" aria-label="Holidays">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Dates</Table.Th>
                <Table.Th ta="right">Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.map((h) => (
                <Table.Tr key={h.id}>
                  <Table.Td>{h.name}</Table.Td>
                  <Table.Td>{formatDates(h.start_date, h.end_date)}</Table.Td>
                  <Table.Td ta="right">
                    <DeleteButton name={h.name} onClick={() => setDeleting(h)} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </QueryView>
      <ConfirmModal target={deleting} action={remove} onClose={() => setDeleting(null)} title={`Delete ${deleting?.name ?? 'holiday'}?`} confirmLabel="Delete holiday">
        Business-hours targets will run on {deleting ? formatDates(deleting.start_date, deleting.end_date) : 'these days'} again.
      </ConfirmModal>
    </Stack>
  );
}

const FIELDS = ['name', 'start_date', 'end_date'] as const;

function AddHoliday({ schedule }: { schedule: Schedule }) {
  const [name, setName] = useState('');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [errors, setErrors] = useState<{ name?: string; start_date?: string; end_date?: string; general?: string | null }>({});
  const add = useAdminMutation({
    mutationFn: () => post(`/api/v2/business_hours/schedules/${schedule.id}/holidays`, { holiday: { name: name.trim(), start_date: start, end_date: end || start } }),
    invalidate: [slaKeys.holidays(schedule.id)],
    success: `“${name.trim()}” was added`,
    notifyError: false,
    onSuccess: () => {
      setName('');
      setStart('');
      setEnd('');
    },
  });
  const submit = () => {
    const next: typeof errors = {};
    if (!name.trim()) next.name = 'Enter a name';
    if (!start) next.start_date = 'Pick the first day';
    if (start && end && end < start) next.end_date = 'Must not be before the start date';
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
    >
      <Stack gap="xs">
        <Group align="flex-start" wrap="wrap">
          <TextInput label="Holiday name" placeholder="e.g. Christmas Eve" value={name} error={errors.name} onChange={(e) => setName(e.currentTarget.value)} style={{ flex: 2, minWidth: 200 }} />
          <TextInput type="date" label="Start date" value={start} error={errors.start_date} onChange={(e) => setStart(e.currentTarget.value)} style={{ flex: 1, minWidth: 160 }} />
          <TextInput
            type="date"
            label="End date"
            description="Leave empty for one day"
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            value={end}
            min={start || undefined}
            error={errors.end_date}
            onChange={(e) => setEnd(e.currentTarget.value)}
            style={{ flex: 1, minWidth: 160 }}
          />
          <Button type="submit" mt={25} loading={add.isPending}>
            Add holiday
          </Button>
        </Group>
        <FormError message={errors.general} />
      </Stack>
    </form>
  );
}
