import { Badge } from '@mantine/core';
import type { TicketPriority, TicketStatus } from '../api/types';
import { PRIORITY_COLOR, PRIORITY_LABEL, STATUS_COLOR, STATUS_LABEL } from '../format';

/** Badges keep their full width: a squeezed table column must not cut "Urgent" down to "Urge…". */
export const UNSQUEEZED = { minWidth: 'max-content' } as const;

export function StatusBadge({ status }: { status: TicketStatus }) {
  return (
    <Badge color={STATUS_COLOR[status]} variant="filled" size="sm" radius="sm" style={UNSQUEEZED}>
      {STATUS_LABEL[status]}
    </Badge>
  );
}

export function PriorityBadge({ priority }: { priority: TicketPriority | null }) {
  if (!priority) return <>—</>;
  return (
    <Badge color={PRIORITY_COLOR[priority]} variant="light" size="sm" style={UNSQUEEZED}>
      {PRIORITY_LABEL[priority]}
    </Badge>
  );
}
