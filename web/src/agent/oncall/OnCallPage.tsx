import { Badge, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { ErrorState, QueryView } from '../../ui/PageState';
import { useAgents } from '../api/queries';
import { useMe, useOnCallNow, useOnCallSchedules, type OnCallShift, type StaffMember } from '../api/oncall';
import { byId } from '../format';
import { UNSQUEEZED } from '../views/TicketBadges';
import { AwaySwitch } from './AwayToggle';
import { agentZone, when } from './oncallText';
import { RegionsSection } from './RegionsSection';

/**
 * /agent/on-call: who answers Premier pages now and next, the follow-the-sun regions with their
 * shifts, and the agent's own "Away" switch.
 */
export function OnCallPage() {
  const me = useMe();
  const agents = useAgents();
  const staff = byId(agents.data as StaffMember[] | undefined);
  const zone = agentZone(me.data?.iana_time_zone);
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>On call & shifts</Title>
          <Text size="sm" c="dimmed">
            Who answers Premier pages, and which region is working now. Times are in your time zone ({zone}).
          </Text>
        </div>
        <Paper withBorder p="sm">
          <AwaySwitch />
        </Paper>
      </Group>
      <OnCallNowSection staff={staff} zone={zone} />
      <RegionsSection staff={staff} myRegionId={me.data?.region_id ?? null} zone={zone} />
    </Stack>
  );
}

function OnCallNowSection({ staff, zone }: { staff: Map<number, StaffMember>; zone: string }) {
  const now = useOnCallNow();
  const schedules = useOnCallSchedules();
  const name = (id: number | null) => (id === null ? '—' : (staff.get(id)?.name ?? `Agent #${id}`));
  return (
    <Paper withBorder p="md" component="section" aria-label="On call now">
      <Stack gap="sm">
        <div>
          <Title order={3} size="h4">
            On call now
          </Title>
          <Text size="sm" c="dimmed">
            Premier urgent and high tickets page the primary at once, repeat until acknowledged and go to the backup if nobody acknowledges.
          </Text>
        </div>
        <QueryView
          query={now}
          loadingLabel="Loading who is on call…"
          emptyTitle="No on-call schedules"
          emptyText="An administrator sets up the rotation under On-call schedules."
        >
          {(data) => (
            <Table verticalSpacing="xs" aria-label="On call now">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Schedule</Table.Th>
                  <Table.Th>Primary</Table.Th>
                  <Table.Th>Backup</Table.Th>
                  <Table.Th>Until</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.map((s) => (
                  <Table.Tr key={s.schedule_id} data-testid={`on-call-${s.schedule_id}`}>
                    <Table.Td>
                      <Group gap={6} wrap="nowrap">
                        <Text fw={500}>{s.schedule_name}</Text>
                        {!s.paging && (
                          <Badge size="xs" color="gray" variant="light" style={UNSQUEEZED}>
                            Not paged
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Person person={s.primary} overridden={s.overridden.includes('primary')} />
                    </Table.Td>
                    <Table.Td>
                      <Person person={s.backup} overridden={s.overridden.includes('backup')} />
                    </Table.Td>
                    <Table.Td>{when(s.ends_at, zone)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </QueryView>
        {schedules.data?.some((s) => s.upcoming.length) && (
          <Stack gap="xs">
            <Title order={4} size="h5">
              Upcoming rotation
            </Title>
            {schedules.data.map((s) => (
              <Upcoming key={s.id} name={s.name} shifts={s.upcoming} person={name} zone={zone} />
            ))}
          </Stack>
        )}
        {schedules.isError && <ErrorState error={schedules.error} onRetry={() => void schedules.refetch()} />}
      </Stack>
    </Paper>
  );
}

function Person({ person, overridden }: { person: { name: string; email: string } | null; overridden: boolean }) {
  if (!person) return <Text c="dimmed">Nobody</Text>;
  return (
    <Group gap={6} wrap="nowrap">
      <Text title={person.email}>{person.name}</Text>
      {overridden && (
        <Badge size="xs" color="violet" variant="light" style={UNSQUEEZED}>
          Override
        </Badge>
      )}
    </Group>
  );
}

function Upcoming({ name, shifts, person, zone }: { name: string; shifts: OnCallShift[]; person: (id: number | null) => string; zone: string }) {
  if (!shifts.length) return null;
  return (
    <Table verticalSpacing={4} fz="sm" aria-label={`Upcoming shifts of ${name}`}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{name}</Table.Th>
          <Table.Th>Primary</Table.Th>
          <Table.Th>Backup</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {shifts.map((s) => (
          <Table.Tr key={s.starts_at}>
            <Table.Td>
              {when(s.starts_at, zone)} – {when(s.ends_at, zone)}
            </Table.Td>
            <Table.Td>
              {person(s.primary_id)}
              {s.overridden.includes('primary') ? ' (override)' : ''}
            </Table.Td>
            <Table.Td>
              {person(s.backup_id)}
              {s.overridden.includes('backup') ? ' (override)' : ''}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
