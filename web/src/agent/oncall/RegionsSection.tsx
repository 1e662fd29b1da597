import { Badge, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { QueryView } from '../../ui/PageState';
import { useRegions, useRoutingSettings, type Region, type StaffMember } from '../api/oncall';
import { UNSQUEEZED } from '../views/TicketBadges';
import { weekdays } from '../../ui/weekdays';
import { utcShift } from '../../api/shifts';
import { localShift, when } from './oncallText';

const STRATEGY_LABEL = { least_open: 'least open tickets', round_robin: 'round robin' } as const;

/** Follow-the-sun regions: shift hours in UTC and in the agent's own time, who is on shift now, members. */
export function RegionsSection({ staff, myRegionId, zone }: { staff: Map<number, StaffMember>; myRegionId: number | null; zone: string }) {
  const regions = useRegions();
  const routing = useRoutingSettings();
  const onShift = regions.data?.filter((r) => r.on_shift) ?? [];
  return (
    <Paper withBorder p="md" component="section" aria-label="Regions and shifts">
      <Stack gap="sm">
        <div>
          <Title order={3} size="h4">
            Follow-the-sun shifts
          </Title>
          <Text size="sm" c="dimmed">
            Shift hours are set in UTC; your time is {zone}.{' '}
            {routing.data && (routing.data.enabled ? `New technical tickets go to an on-shift agent by ${STRATEGY_LABEL[routing.data.strategy]}, skipping agents who are away.` : 'Routing is off: new tickets wait for agents to take them.')}
          </Text>
        </div>
        <QueryView query={regions} loadingLabel="Loading regions…" emptyTitle="No regions" emptyText="An administrator sets up regions and their shifts.">
          {(data) => (
            <>
              <Text size="sm" data-testid="on-shift-now">
                {onShift.length ? (
                  <>
                    On shift now: <strong>{onShift.map((r) => r.name).join(', ')}</strong>
                    {onShift.map((r) => (r.shift_ends_at ? ` (${r.name} until ${when(r.shift_ends_at, zone)})` : '')).join('')}
                  </>
                ) : (
                  'No region is on shift now: new tickets wait for the next region.'
                )}
              </Text>
              <Table.ScrollContainer minWidth={760}>
                <Table verticalSpacing="sm" aria-label="Regions">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Region</Table.Th>
                      <Table.Th>Shift (UTC)</Table.Th>
                      <Table.Th>Your time</Table.Th>
                      <Table.Th>Now</Table.Th>
                      <Table.Th>Members</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.map((r) => (
                      <RegionRow key={r.id} region={r} staff={staff} mine={r.id === myRegionId} zone={zone} />
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </>
          )}
        </QueryView>
      </Stack>
    </Paper>
  );
}

function RegionRow({ region: r, staff, mine, zone }: { region: Region; staff: Map<number, StaffMember>; mine: boolean; zone: string }) {
  return (
    <Table.Tr data-testid={`region-${r.name}`}>
      <Table.Td>
        <Group gap={6} wrap="nowrap">
          <Text fw={600}>{r.name}</Text>
          {mine && (
            <Badge size="xs" variant="outline" style={UNSQUEEZED}>
              Your region
            </Badge>
          )}
        </Group>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{utcShift(r)}</Text>
        <Text size="xs" c="dimmed">
          Starts {weekdays(r.shift_days)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{localShift(r, zone) ?? '—'}</Text>
      </Table.Td>
      <Table.Td>
        {r.on_shift ? (
          <Stack gap={2}>
            <Badge color="green" variant="filled" size="sm" style={UNSQUEEZED}>
              On shift
            </Badge>
            {r.shift_ends_at && (
              <Text size="xs" c="dimmed">
                until {when(r.shift_ends_at, zone)}
              </Text>
            )}
          </Stack>
        ) : (
          <Stack gap={2}>
            <Badge color="gray" variant="light" size="sm" style={UNSQUEEZED}>
              Off shift
            </Badge>
            {r.next_shift_start && (
              <Text size="xs" c="dimmed">
                next {when(r.next_shift_start, zone)}
              </Text>
            )}
          </Stack>
        )}
      </Table.Td>
      <Table.Td>
        {r.member_ids.length ? (
          <Group gap={4}>
            {r.member_ids.map((id) => {
              const m = staff.get(id);
              return (
                <Badge key={id} size="sm" variant="light" color={m?.away ? 'gray' : 'blue'} style={{ ...UNSQUEEZED, textTransform: 'none' }} title={m?.away ? 'Away' : undefined}>
                  {m?.name ?? `Agent #${id}`}
                  {m?.away ? ' (away)' : ''}
                </Badge>
              );
            })}
          </Group>
        ) : (
          <Text size="sm" c="dimmed">
            No agents
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
