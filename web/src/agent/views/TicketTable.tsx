import { Anchor, Checkbox, Table, Text, UnstyledButton } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import type { SortField } from '../api/queries';
import { dateTime, planLabel, timeAgo } from '../format';
import { SlaBadge } from '../sla/SlaBadge';
import { PriorityBadge, StatusBadge } from './TicketBadges';
import type { TicketRow } from './ticketRows';

/** `by` may be a key the table has no column for (a view's own default order); then no header is marked. */
export interface Sort {
  by: string;
  order: 'asc' | 'desc';
}

interface Props {
  rows: TicketRow[];
  sort: Sort;
  onSort: (by: SortField) => void;
  selected: Set<number>;
  onToggle: (id: number) => void;
  onToggleAll: () => void;
  activeIndex: number;
}

function SortableHeader({ field, label, sort, onSort }: { field: SortField; label: string; sort: Sort; onSort: (by: SortField) => void }) {
  const active = sort.by === field;
  return (
    <Table.Th aria-sort={active ? (sort.order === 'asc' ? 'ascending' : 'descending') : 'none'}>
      {/* nowrap: the sort arrow stays beside its label */}
      <UnstyledButton onClick={() => onSort(field)} fw={700} fz="sm" style={{ whiteSpace: 'nowrap' }}>
        {label} {active ? (sort.order === 'asc' ? '▲' : '▼') : ''}
      </UnstyledButton>
    </Table.Th>
  );
}

/** The ticket list: sortable headers, a checkbox per row, and the keyboard-highlighted row. */
export function TicketTable({ rows, sort, onSort, selected, onToggle, onToggleAll, activeIndex }: Props) {
  const activeRow = useRef<HTMLTableRowElement>(null);
  // Keep the row j/k moved to on screen. (A block body: newer browsers return a promise from scrollIntoView, and React would take it for a cleanup.)
  useEffect(() => {
    activeRow.current?.scrollIntoView({ block: 'nearest' });
  }, [activeIndex]);
  const allSelected = rows.length > 0 && rows.every((r) => selected.has(r.ticket.id));
  const someSelected = rows.some((r) => selected.has(r.ticket.id));
  const header = (field: SortField, label: string) => <SortableHeader field={field} label={label} sort={sort} onSort={onSort} />;

  return (
    <Table.ScrollContainer minWidth={1180}>
      <Table highlightOnHover verticalSpacing={6} aria-label="Tickets" stickyHeader>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={36}>
              <Checkbox aria-label="Select all tickets on this page" checked={allSelected} indeterminate={someSelected && !allSelected} onChange={onToggleAll} />
            </Table.Th>
            {header('id', 'ID')}
            {header('subject', 'Subject')}
            <Table.Th>Requester</Table.Th>
            <Table.Th>Organization</Table.Th>
            <Table.Th>Plan</Table.Th>
            {header('priority', 'Priority')}
            {header('sla_next_breach_at', 'SLA')}
            {header('status', 'Status')}
            <Table.Th>Assignee</Table.Th>
            <Table.Th>Group</Table.Th>
            {header('updated_at', 'Updated')}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row, index) => {
            const t = row.ticket;
            const active = index === activeIndex;
            return (
              <Table.Tr
                key={t.id}
                ref={active ? activeRow : undefined}
                aria-selected={active}
                data-testid={`ticket-row-${t.id}`}
                bg={active ? 'orange.0' : selected.has(t.id) ? 'blue.0' : undefined}
                style={active ? { boxShadow: 'inset 3px 0 0 var(--mantine-color-orange-6)' } : undefined}
              >
                <Table.Td>
                  <Checkbox aria-label={`Select ticket #${t.id}`} checked={selected.has(t.id)} onChange={() => onToggle(t.id)} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c="dimmed">
                    #{t.id}
                  </Text>
                </Table.Td>
                <Table.Td maw={360}>
                  <Anchor component={Link} to={`/agent/tickets/${t.id}`} size="sm" fw={500} lineClamp={1}>
                    {t.subject || '(no subject)'}
                  </Anchor>
                </Table.Td>
                <Table.Td>{row.requester?.name ?? '—'}</Table.Td>
                <Table.Td>{row.organization?.name ?? '—'}</Table.Td>
                <Table.Td>{row.organization ? planLabel(row.organization.support_plan) : '—'}</Table.Td>
                <Table.Td>
                  <PriorityBadge priority={t.priority} />
                </Table.Td>
                <Table.Td data-testid={`sla-cell-${t.id}`}>
                  <SlaBadge due={t.sla_next_breach_at} breachedSince={t.sla_breached_since} />
                </Table.Td>
                <Table.Td>
                  <StatusBadge status={t.status} />
                </Table.Td>
                <Table.Td>{row.assignee?.name ?? <Text size="sm" c="dimmed">Unassigned</Text>}</Table.Td>
                <Table.Td>{row.group?.name ?? '—'}</Table.Td>
                <Table.Td title={dateTime(t.updated_at)}>
                  <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                    {timeAgo(t.updated_at)}
                  </Text>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
