import { Badge } from '@mantine/core';
import type { RequestStatus } from '../api/types';

/**
 * What customers call each status (spec §5.3): on-hold is internal, so it reads "Open"; pending means
 * we are waiting for them.
 */
export const CUSTOMER_STATUS: Record<RequestStatus, string> = {
  new: 'Open',
  open: 'Open',
  hold: 'Open',
  pending: 'Awaiting your reply',
  solved: 'Solved',
  closed: 'Closed',
};

const COLOR: Record<RequestStatus, string> = { new: 'blue', open: 'blue', hold: 'blue', pending: 'orange', solved: 'green', closed: 'gray' };

/** The customer's status filter: label → the API's `status=` value ("open" includes on-hold server-side). */
export const STATUS_FILTERS = [
  { value: '', label: 'Any status' },
  { value: 'new,open', label: 'Open' },
  { value: 'pending', label: 'Awaiting your reply' },
  { value: 'solved', label: 'Solved' },
  { value: 'closed', label: 'Closed' },
];

export function StatusBadge({ status }: { status: RequestStatus }) {
  return (
    <Badge color={COLOR[status]} variant="light" radius="sm" style={{ flexShrink: 0 }}>
      {CUSTOMER_STATUS[status]}
    </Badge>
  );
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export const formatDateTime = (iso: string) => dateTime.format(new Date(iso));
export const formatDate = (iso: string) => dateOnly.format(new Date(iso));
