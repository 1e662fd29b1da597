import { Badge } from '@mantine/core';
import { dateTime } from '../format';
import { useNow } from '../useNow';
import { UNSQUEEZED } from '../views/TicketBadges';
import { countdown } from './slaText';

const SOON_MS = 60 * 60_000;

/**
 * Calendar time until the ticket's next SLA target is due, from `sla_next_breach_at` alone (lists
 * never fetch per-ticket details). Orange under an hour; nothing when no target is running.
 */
export function SlaBadge({ due, breachedSince }: { due: string | null | undefined; breachedSince?: string | null }) {
  useNow(); // re-renders every 30 s
  if (breachedSince) {
    return (
      <Badge color="red" variant="filled" size="sm" radius="sm" title={`A running SLA target breached at ${dateTime(breachedSince)}`} data-sla="breached" style={{ ...UNSQUEEZED, textTransform: 'none' }}>
        Breached
      </Badge>
    );
  }
  if (!due) return null;
  // Read the clock at render: a due time that just arrived (after a reply) must not count from a stale tick.
  const left = new Date(due).getTime() - Date.now();
  // The list can be up to a minute old: a due time already passed reads as overdue, not as a countdown.
  const overdue = left <= 0;
  return (
    <Badge
      color={overdue ? 'red' : left < SOON_MS ? 'orange' : 'gray'}
      variant={overdue || left < SOON_MS ? 'filled' : 'light'}
      size="sm"
      radius="sm"
      title={`Next SLA target due ${dateTime(due)}`}
      data-sla={overdue ? 'overdue' : left < SOON_MS ? 'soon' : 'later'}
      style={{ ...UNSQUEEZED, textTransform: 'none' }}
    >
      {overdue ? 'Overdue' : countdown(left)}
    </Badge>
  );
}
