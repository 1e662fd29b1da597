import { Anchor, Group, Paper, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useRequestedTickets } from '../api/queries';
import type { Organization, Ticket, User } from '../api/types';
import { localTime, planLabel } from '../format';
import { StatusBadge } from '../views/TicketBadges';

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Group justify="space-between" gap="xs" wrap="nowrap">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" ta="right">
        {children}
      </Text>
    </Group>
  );
}

/** Who is asking: plan and time zone decide urgency and when they can answer; earlier tickets give context. */
export function RequesterPanel({ ticket, requester, organization }: { ticket: Ticket; requester: User | undefined; organization: Organization | undefined }) {
  const others = useRequestedTickets(requester?.id);
  const zone = organization?.time_zone ?? requester?.iana_time_zone ?? null;
  const now = localTime(zone);
  const otherTickets = (others.data ?? []).filter((t) => t.id !== ticket.id);

  return (
    <Paper withBorder p="sm" role="region" aria-label="Requester">
      <Stack gap={6}>
        <Text fw={600}>Requester</Text>
        <div>
          <Text size="sm" fw={500}>
            {requester?.name ?? `User #${ticket.requester_id}`}
          </Text>
          {requester && (
            <Anchor href={`mailto:${requester.email}`} size="xs">
              {requester.email}
            </Anchor>
          )}
        </div>
        <Row label="Organization">{organization?.name ?? 'None'}</Row>
        <Row label="Plan">{planLabel(organization?.support_plan)}</Row>
        <Row label="Time zone">{zone ? `${zone}${now ? ` (${now} now)` : ''}` : '—'}</Row>
        <Text size="xs" fw={600} mt="xs">
          Other requests
        </Text>
        {others.isPending && requester ? (
          <Text size="xs" c="dimmed">
            Loading…
          </Text>
        ) : others.isError ? (
          <Text size="xs" c="red">
            Could not load the other requests.
          </Text>
        ) : otherTickets.length === 0 ? (
          <Text size="xs" c="dimmed">
            No other requests.
          </Text>
        ) : (
          otherTickets.slice(0, 8).map((t) => (
            <Group key={t.id} gap="xs" wrap="nowrap" justify="space-between">
              <Anchor component={Link} to={`/agent/tickets/${t.id}`} size="xs" lineClamp={1}>
                #{t.id} {t.subject}
              </Anchor>
              <StatusBadge status={t.status} />
            </Group>
          ))
        )}
      </Stack>
    </Paper>
  );
}
