import { Anchor, Badge, Button, Group, Paper, Select, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { Link, useSearchParams } from 'react-router';
import { QueryView } from '../../ui/PageState';
import { useAgents } from '../api/queries';
import { useHandovers } from '../api/handovers';
import { useMe, useRegions } from '../api/oncall';
import { byId } from '../format';
import { agentZone, when } from '../oncall/oncallText';
import { UNSQUEEZED } from '../views/TicketBadges';

/**
 * /agent/handovers: the notes written at each shift change, newest first. Filters live in the URL so
 * a link to "EMEA, not yet acknowledged" can be shared.
 */
export function HandoversPage() {
  const [params, setParams] = useSearchParams();
  const regionId = params.get('region') ? Number(params.get('region')) : null;
  const unacknowledged = params.get('open') === '1';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const list = useHandovers({ regionId, unacknowledged, page });
  const regions = useRegions();
  const agents = useAgents();
  const me = useMe();
  const zone = agentZone(me.data?.iana_time_zone);
  const regionName = (id: number | null) => (id === null ? 'no region' : (regions.data?.find((r) => r.id === id)?.name ?? `Region #${id}`));
  const people = byId(agents.data);

  const setParam = (key: string, value: string | null) =>
    setParams(
      (old) => {
        const next = new URLSearchParams(old);
        if (value) next.set(key, value);
        else next.delete(key);
        if (key !== 'page') next.delete('page');
        return next;
      },
      { replace: true },
    );

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>Handovers</Title>
          <Text size="sm" c="dimmed">
            At each shift change the outgoing region hands its tickets that need attention to the incoming region, which acknowledges them.
          </Text>
        </div>
        <Group gap="sm" align="flex-end">
          <Select
            label="Region"
            placeholder="All regions"
            data={(regions.data ?? []).map((r) => ({ value: String(r.id), label: r.name }))}
            value={regionId === null ? null : String(regionId)}
            onChange={(v) => setParam('region', v)}
            clearable
            w={160}
          />
          <Switch label="Not acknowledged only" checked={unacknowledged} onChange={(e) => setParam('open', e.currentTarget.checked ? '1' : null)} mb={8} />
        </Group>
      </Group>
      <Paper withBorder>
        <QueryView
          query={list}
          loadingLabel="Loading handovers…"
          emptyTitle={unacknowledged ? 'Every handover is acknowledged' : 'No handovers yet'}
          emptyText="A handover is written when a region’s shift ends."
          isEmpty={(data) => !data.handovers.length}
        >
          {(data) => (
            <Table.ScrollContainer minWidth={720}>
              <Table highlightOnHover verticalSpacing="sm" aria-label="Handovers">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Shift change</Table.Th>
                    <Table.Th>From → to</Table.Th>
                    <Table.Th>Tickets</Table.Th>
                    <Table.Th>Reassigned</Table.Th>
                    <Table.Th>Acknowledged</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.handovers.map((h) => {
                    const mine = me.data?.region_id != null && h.to_region_id === me.data.region_id;
                    return (
                      <Table.Tr key={h.id} data-testid={`handover-${h.id}`}>
                        <Table.Td>
                          <Anchor component={Link} to={`/agent/handovers/${h.id}`} fw={500}>
                            {when(h.shift_ended_at, zone)}
                          </Anchor>
                        </Table.Td>
                        <Table.Td>
                          {regionName(h.from_region_id)} → {regionName(h.to_region_id)}
                        </Table.Td>
                        <Table.Td>{h.items.length}</Table.Td>
                        <Table.Td>{h.reassigned.length}</Table.Td>
                        <Table.Td>
                          {h.acknowledged ? (
                            <Text size="sm">
                              <Badge color="green" variant="light" size="sm" style={UNSQUEEZED}>
                                Acknowledged
                              </Badge>{' '}
                              by {h.acknowledged_by ? (people.get(h.acknowledged_by)?.name ?? `agent #${h.acknowledged_by}`) : '—'}
                            </Text>
                          ) : (
                            <Badge color={mine ? 'red' : 'yellow'} variant={mine ? 'filled' : 'light'} size="sm" style={UNSQUEEZED}>
                              {mine ? 'Waiting for your region' : 'Not acknowledged'}
                            </Badge>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </QueryView>
      </Paper>
      {list.data && (list.data.previous_page || list.data.next_page) && (
        <Group justify="flex-end" gap="xs">
          <Button size="xs" variant="default" disabled={!list.data.previous_page} onClick={() => setParam('page', String(page - 1))}>
            Newer
          </Button>
          <Button size="xs" variant="default" disabled={!list.data.next_page} onClick={() => setParam('page', String(page + 1))}>
            Older
          </Button>
        </Group>
      )}
    </Stack>
  );
}
