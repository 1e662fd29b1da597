import { Text, Timeline } from '@mantine/core';
import type { TicketMetricEvent } from '../api/types';
import { dateTime, timeAgo } from '../format';
import { describeLedger } from './slaText';

const BULLET_COLOR: Record<TicketMetricEvent['type'], string> = { activate: 'green', pause: 'gray', apply_sla: 'blue', fulfill: 'teal', breach: 'red' };

/** What happened to one clock, from the ledger: the same events every figure above is computed from. */
export function SlaTimeline({ events, label }: { events: TicketMetricEvent[]; label: string }) {
  if (!events.length) {
    return (
      <Text size="sm" c="dimmed">
        No events recorded for this clock yet.
      </Text>
    );
  }
  const items = describeLedger(events);
  return (
    <Timeline bulletSize={12} lineWidth={2} active={items.length} aria-label={`${label} timeline`}>
      {items.map((item) => (
        <Timeline.Item key={item.id} title={item.text} color={BULLET_COLOR[item.type]}>
          <Text size="xs" c="dimmed">
            {dateTime(item.time)} · {timeAgo(item.time)}
          </Text>
        </Timeline.Item>
      ))}
    </Timeline>
  );
}
