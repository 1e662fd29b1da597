import { Button, Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { del } from '../../api/client';
import { QueryView } from '../../ui/PageState';
import { useAdminMutation, useAllStaff } from '../hooks';
import { ConfirmModal, PageHeader } from '../ui';
import { fetchSchedules, pagingKeys, type OnCallSchedule } from './model';
import { ScheduleCard } from './ScheduleCard';
import { ScheduleModal } from './ScheduleModal';

/** /admin/on-call: the rotations that decide who a Premier page goes to, with overrides and the shifts ahead. */
export function OnCallSchedulesPage() {
  const schedules = useQuery({ queryKey: pagingKeys.schedules, queryFn: fetchSchedules });
  const staff = useAllStaff();
  const [editing, setEditing] = useState<OnCallSchedule | 'new' | null>(null);
  const [deleting, setDeleting] = useState<OnCallSchedule | null>(null);
  const remove = useAdminMutation({
    mutationFn: (s: OnCallSchedule) => del(`/api/v2/on_call/schedules/${s.id}`),
    invalidate: [pagingKeys.schedules],
    success: (_d, s) => `${s.name} was deleted`,
    notifyError: false,
    onSuccess: () => setDeleting(null),
  });
  return (
    <Stack>
      <PageHeader
        title="On-call schedules"
        description="Participants take turns as primary, the next one in line is backup. Pages go to the primary, repeat until acknowledged, and go to the backup when nobody acknowledges."
        action={<Button onClick={() => setEditing('new')}>New schedule</Button>}
      />
      <QueryView
        query={schedules}
        loadingLabel="Loading schedules…"
        emptyTitle="No on-call schedules"
        emptyText="Without one, pages are recorded on tickets but name nobody."
      >
        {(data) => data.map((s) => <ScheduleCard key={s.id} schedule={s} staff={staff.data ?? []} onEdit={() => setEditing(s)} onDelete={() => setDeleting(s)} />)}
      </QueryView>
      {editing && <ScheduleModal schedule={editing === 'new' ? undefined : editing} onClose={() => setEditing(null)} />}
      <ConfirmModal target={deleting} action={remove} onClose={() => setDeleting(null)} title={`Delete ${deleting?.name ?? ''}?`} confirmLabel="Delete schedule">
        Its overrides go with it. Open pages of this schedule keep their history but are no longer escalated to a backup.
      </ConfirmModal>
    </Stack>
  );
}
