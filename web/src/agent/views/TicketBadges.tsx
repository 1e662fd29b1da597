import { Badge } from '@mantine/core';
import type { TicketPriority, TicketStatus } from '../api/types';
import { PRIORITY_COLOR, PRIORITY_LABEL, STATUS_COLOR, STATUS_LABEL } from '../format';

export function StatusBadge({ status }: { status: TicketStatus }) {
  return (
    <Badge color={STATUS_COLOR[status]} variant="filled" size="sm" radius="sm">
      {STATUS_LABEL[status]}
    </Badge>
  );
}

export function PriorityBadge({ priority }: { priority: TicketPriority | null }) {
  if (!priority) return <>—</>;
  return (
    <Badge color={PRIORITY_COLOR[priority]} variant="light" size="sm">
      {PRIORITY_LABEL[priority]}
    </Badge>
  );
}
