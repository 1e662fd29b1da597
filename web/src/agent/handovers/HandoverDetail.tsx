import { Alert, Anchor, Badge, Button, Group, Paper, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { EmptyState, ErrorState, Loading } from '../../ui/PageState';
import { errorMessages, useAgents } from '../api/queries';
import { useAcknowledgeHandover, useHandover, useSaveHandoverNotes, type Handover, type HandoverItem } from '../api/handovers';
import { useMe, useRegions } from '../api/oncall';
import { byId, STATUS_LABEL } from '../format';
import { useCurrentAgent } from '../layout/CurrentAgent';
import { agentZone, HANDOVER_REASON_COLOR, HANDOVER_REASON_LABEL, when } from '../oncall/oncallText';
import { PriorityBadge, StatusBadge, UNSQUEEZED } from '../views/TicketBadges';

/** /agent/handovers/:id: one shift change's tickets, reassignments, notes and acknowledgement. */
export function HandoverDetail() {
  const id = Number(useParams().id);
  if (!Number.isInteger(id) || id <= 0) return <EmptyState title="No such handover" />;
  return <HandoverView key={id} id={id} />;
}

function HandoverView({ id }: { id: number }) {
  const handover = useHandover(id);
  const regions = useRegions();
  const agents = useAgents();
  const me = useMe();
  const session = useCurrentAgent();
  if (handover.isPending) return <Loading label="Loading handover…" />;
  if (handover.isError) return <ErrorState error={handover.error} onRetry={() => void handover.refetch()} />;

  const h = handover.data;
  const zone = agentZone(me.data?.iana_time_zone);
  const regionName = (rid: number | null) => (rid === null ? 'no region' : (regions.data?.find((r) => r.id === rid)?.name ?? `Region #${rid}`));
  const people = byId(agents.data);
  const person = (uid: number | null) => (uid === null ? 'Unassigned' : (people.get(uid)?.name ?? `Agent #${uid}`));
  const admin = session.role === 'admin';
  const myRegion = me.data?.region_id ?? null;
  const outgoing = admin || (myRegion !== null && myRegion === h.from_region_id);
  const incoming = admin || (myRegion !== null && myRegion === h.to_region_id);
  const from = regionName(h.from_region_id);
  const to = regionName(h.to_region_id);

  return (
    <Stack gap="md">
      <div>
        <Anchor component={Link} to="/agent/handovers" size="sm">
          ← All handovers
        </Anchor>
        <Title order={2} mt={4}>
          Handover {from} → {to}
        </Title>
        <Text size="sm" c="dimmed">
          {from}’s shift ended {when(h.shift_ended_at, zone)} · {h.items.length} {h.items.length === 1 ? 'ticket needs' : 'tickets need'} attention
        </Text>
      </div>
      <Acknowledgement handover={h} incoming={incoming} to={to} person={person} zone={zone} />
      <Paper withBorder p="md" component="section" aria-label="Handover tickets">
        <Stack gap="sm">
          <Title order={3} size="h4">
            Tickets
          </Title>
          {h.items.length ? <Items items={h.items} person={person} zone={zone} /> : <Text c="dimmed">Nothing needed attention at the shift change.</Text>}
        </Stack>
      </Paper>
      {h.reassigned.length > 0 && (
        <Paper withBorder p="md" component="section" aria-label="Reassigned tickets">
          <Stack gap="xs">
            <Title order={3} size="h4">
              Reassigned to {to}
            </Title>
            <Text size="sm" c="dimmed">
              Urgent and high tickets of agents going off shift went to on-shift agents of the incoming region.
            </Text>
            {h.reassigned.map((r) => (
              <Text key={r.ticket_id} size="sm" data-testid={`reassigned-${r.ticket_id}`}>
                <Anchor component={Link} to={`/agent/tickets/${r.ticket_id}`}>
                  #{r.ticket_id}
                </Anchor>{' '}
                from {person(r.from_assignee_id)} to <strong>{person(r.to_assignee_id)}</strong>
              </Text>
            ))}
          </Stack>
        </Paper>
      )}
      <Notes key={h.notes} handover={h} editable={outgoing} from={from} />
    </Stack>
  );
}

function Acknowledgement({ handover: h, incoming, to, person, zone }: { handover: Handover; incoming: boolean; to: string; person: (id: number | null) => string; zone: string }) {
  const ack = useAcknowledgeHandover(h.id);
  if (h.acknowledged && h.acknowledged_at) {
    return (
      <Alert color="green" title="Acknowledged">
        {person(h.acknowledged_by)} took this handover over for {to} at {when(h.acknowledged_at, zone)}.
      </Alert>
    );
  }
  return (
    <Alert color="yellow" title={`Waiting for ${to} to acknowledge`}>
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{incoming ? 'Read the tickets and notes below, then acknowledge so the outgoing region knows its work is taken over.' : `Only agents of ${to} acknowledge this handover.`}</Text>
        {ack.isError && (
          <Text size="sm" c="red" role="alert">
            {errorMessages(ack.error).join(' ')}
          </Text>
        )}
        {incoming && (
          <Button
            color="orange"
            loading={ack.isPending}
            onClick={() => ack.mutate(undefined, { onSuccess: () => notifications.show({ color: 'green', message: `You acknowledged the handover for ${to}` }) })}
          >
            Acknowledge handover
          </Button>
        )}
      </Stack>
    </Alert>
  );
}

function Items({ items, person, zone }: { items: HandoverItem[]; person: (id: number | null) => string; zone: string }) {
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table verticalSpacing="xs" aria-label="Tickets needing attention">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Ticket</Table.Th>
            <Table.Th>Priority</Table.Th>
            <Table.Th>Assignee</Table.Th>
            <Table.Th>Why</Table.Th>
            <Table.Th>SLA due</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((i) => {
            const now = i.ticket;
            return (
              <Table.Tr key={i.ticket_id} data-testid={`handover-item-${i.ticket_id}`}>
                <Table.Td>
                  <Anchor component={Link} to={`/agent/tickets/${i.ticket_id}`} size="sm" fw={500}>
                    #{i.ticket_id} {now?.subject ?? i.subject}
                  </Anchor>
                  <Group gap={4} mt={2}>
                    <StatusBadge status={now?.status ?? i.status} />
                    {now === null && (
                      <Text size="xs" c="dimmed">
                        deleted since
                      </Text>
                    )}
                    {now && now.status !== i.status && (
                      <Text size="xs" c="dimmed">
                        was {STATUS_LABEL[i.status]}
                      </Text>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <PriorityBadge priority={now?.priority ?? i.priority} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{person(now ? now.assignee_id : i.assignee_id)}</Text>
                  {now && now.assignee_id !== i.assignee_id && (
                    <Text size="xs" c="dimmed">
                      was {person(i.assignee_id)}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {i.reasons.map((r) => (
                      <Badge key={r} size="sm" color={HANDOVER_REASON_COLOR[r]} variant="light" style={UNSQUEEZED}>
                        {HANDOVER_REASON_LABEL[r]}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{i.due_at ? when(i.due_at, zone) : '—'}</Text>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Notes from the outgoing region; its agents (and admins) edit them, everyone else reads them. */
function Notes({ handover: h, editable, from }: { handover: Handover; editable: boolean; from: string }) {
  const [text, setText] = useState(h.notes);
  const save = useSaveHandoverNotes(h.id);
  const changed = text !== h.notes;
  return (
    <Paper withBorder p="md" component="section" aria-label="Handover notes">
      <Stack gap="xs">
        <Title order={3} size="h4">
          Notes from {from}
        </Title>
        {editable ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (changed) save.mutate(text, { onSuccess: () => notifications.show({ color: 'green', message: 'Handover notes saved' }) });
            }}
          >
            <Stack gap="xs">
              <Textarea
                label="Notes for the incoming region"
                description="What is in progress, who is waiting for what, anything the next shift should know"
                autosize
                minRows={3}
                maxRows={12}
                value={text}
                onChange={(e) => setText(e.currentTarget.value)}
                error={save.isError ? errorMessages(save.error).join(' ') : undefined}
              />
              <Group justify="flex-end">
                <Button type="submit" variant="light" disabled={!changed} loading={save.isPending}>
                  Save notes
                </Button>
              </Group>
            </Stack>
          </form>
        ) : h.notes ? (
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="handover-notes">
            {h.notes}
          </Text>
        ) : (
          <Text size="sm" c="dimmed">
            {from} left no notes.
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
