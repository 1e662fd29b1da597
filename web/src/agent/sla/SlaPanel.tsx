import { Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import { Fragment, useState } from 'react';
import { EmptyState, ErrorState, Loading } from '../../ui/PageState';
import { useMetricEvents, useTicketSlas } from '../api/sla';
import type { SlaPolicyMetric, TicketMetricEvent } from '../api/types';
import { dateTime } from '../format';
import { useNow } from '../useNow';
import { UNSQUEEZED } from '../views/TicketBadges';
import { SlaTimeline } from './SlaTimeline';
import { STAGE_COLOR, STAGE_LABEL, metricLabel, metricTarget, minutesText, stageDetail } from './slaText';

const keyOf = (m: { metric: string; instance_id: number }) => `${m.metric}-${m.instance_id}`;

/** The ticket's SLA clocks: one row per clock with a target, each with its ledger on demand. */
export function SlaPanel({ ticketId }: { ticketId: number }) {
  const metrics = useTicketSlas(ticketId);
  const events = useMetricEvents(ticketId);
  useNow(); // re-renders every 30 s so "due in" keeps counting
  const now = Date.now(); // read at render: fresh data must not be measured against a stale tick
  const [open, setOpen] = useState<Set<string>>(new Set());

  if (metrics.isPending) return <Loading label="Loading SLAs…" />;
  if (metrics.isError) return <ErrorState error={metrics.error} onRetry={() => void metrics.refetch()} />;
  if (!metrics.data.length) {
    return <EmptyState title="No SLA applies to this ticket">The organization's plan and the ticket's priority set no targets.</EmptyState>;
  }

  // Events per clock instance; the ledger is already in time order.
  const ledger = new Map<string, TicketMetricEvent[]>();
  for (const e of events.data ?? []) ledger.set(keyOf(e), [...(ledger.get(keyOf(e)) ?? []), e]);
  const toggle = (key: string) =>
    setOpen((old) => {
      const next = new Set(old);
      if (!next.delete(key)) next.add(key);
      return next;
    });

  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed">
        Due times are calendar time; business-hour targets count only open hours toward their goal.
      </Text>
      {events.isError && <ErrorState error={events.error} onRetry={() => void events.refetch()} />}
      <Table verticalSpacing={6} aria-label="SLA targets">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Clock</Table.Th>
            <Table.Th>Target</Table.Th>
            <Table.Th>Stage</Table.Th>
            <Table.Th>Elapsed</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {metrics.data.map((m) => {
            const key = keyOf(m);
            const own = ledger.get(key) ?? [];
            const expanded = open.has(key);
            const label = metricLabel(m.metric, m.instance_id);
            return (
              <Fragment key={key}>
                <Table.Tr data-testid={`sla-${key}`}>
                  <Table.Td fw={500}>{label}</Table.Td>
                  <Table.Td>{metricTarget(m)}</Table.Td>
                  <Table.Td>
                    <StageCell metric={m} now={now} fulfilledAt={own.filter((e) => e.type === 'fulfill').pop()?.time} />
                  </Table.Td>
                  <Table.Td>{minutesText(m.elapsed_minutes)}</Table.Td>
                  <Table.Td ta="right">
                    <Button size="compact-xs" variant="subtle" aria-expanded={expanded} aria-label={`${expanded ? 'Hide' : 'Show'} ${label} timeline`} onClick={() => toggle(key)}>
                      {expanded ? 'Hide timeline' : 'Timeline'}
                    </Button>
                  </Table.Td>
                </Table.Tr>
                {expanded && (
                  <Table.Tr id={`sla-timeline-${key}`}>
                    <Table.Td colSpan={5} px="md">
                      {events.isPending || events.isError ? (
                        <Text size="sm" c={events.isError ? 'red' : 'dimmed'}>
                          {events.isError ? 'Could not load the timeline (see above).' : 'Loading the timeline…'}
                        </Text>
                      ) : (
                        <SlaTimeline events={own} label={label} />
                      )}
                    </Table.Td>
                  </Table.Tr>
                )}
              </Fragment>
            );
          })}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

function StageCell({ metric, now, fulfilledAt }: { metric: SlaPolicyMetric; now: number; fulfilledAt?: string }) {
  const detail = stageDetail(metric, now, fulfilledAt);
  return (
    <Group gap={6}>
      <Badge color={STAGE_COLOR[metric.stage]} variant="light" size="sm" style={UNSQUEEZED}>
        {STAGE_LABEL[metric.stage]}
      </Badge>
      {detail && (
        <Text size="xs" c={metric.stage === 'breached' ? 'red' : 'dimmed'} title={metric.breach_at ? `Due ${dateTime(metric.breach_at)}` : undefined} style={{ whiteSpace: 'nowrap' }}>
          {detail}
        </Text>
      )}
    </Group>
  );
}
