import { Anchor, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { SupportRequest } from '../api/types';
import { StatusBadge, formatDate, formatDateTime } from './status';

/** Requests as rows: subject (the link), status, dates. Two columns at phone width. */
export function RequestTable({ requests, caption }: { requests: SupportRequest[]; caption: string }) {
  return (
    <Table highlightOnHover verticalSpacing="sm" captionSide="top">
      <Table.Caption style={{ textAlign: 'left' }}>
        <Text size="sm" c="dimmed" span>{caption}</Text>
      </Table.Caption>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Subject</Table.Th>
          <Table.Th visibleFrom="sm">Created</Table.Th>
          <Table.Th w={150}>Status</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {requests.map((r) => (
          <Table.Tr key={r.id}>
            <Table.Td style={{ wordBreak: 'break-word' }}>
              <Anchor component={Link} to={`/requests/${r.id}`} fw={500}>{r.subject || `Request #${r.id}`}</Anchor>
              <Text size="xs" c="dimmed">#{r.id} · Updated {formatDateTime(r.updated_at)}</Text>
            </Table.Td>
            <Table.Td visibleFrom="sm">
              <Text size="sm">{formatDate(r.created_at)}</Text>
            </Table.Td>
            <Table.Td>
              <StatusBadge status={r.status} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
