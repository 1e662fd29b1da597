import { Badge, Button, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { ErrorState } from '../../ui/PageState';
import { errorMessages, useAgents, useTicket } from '../api/queries';
import { oncallKeys, useAcknowledgePage, useTicketPages, type Page, type PageDelivery } from '../api/oncall';
import { byId, dateTime } from '../format';
import { useNow } from '../useNow';
import { UNSQUEEZED } from '../views/TicketBadges';
import { DELIVERY_COLOR, DELIVERY_LABEL, KIND_LABEL, LEVEL_LABEL, PAGE_REASON_LABEL, PAGE_STATUS_COLOR, PAGE_STATUS_LABEL, relativeMinutes } from './oncallText';

/**
 * The ticket's Premier pages (spec §9.3): who is paged, how often, when it repeats or goes to the
 * backup, and how each channel took it. Shown only when the ticket has been paged.
 */
export function PagesPanel({ ticketId }: { ticketId: number }) {
  const pages = useTicketPages(ticketId);
  const people = byId(useAgents().data);
  useNow(); // re-renders every 30 s so "repeats in" keeps counting
  useRefetchOnTicketChange(ticketId);
  if (pages.isPending) return null;
  if (pages.isError) return <ErrorState error={pages.error} onRetry={() => void pages.refetch()} />;
  if (!pages.data.length) return null;
  const name = (id: number | null) => (id === null ? null : (people.get(id)?.name ?? `user #${id}`));
  // Newest first: the open page is what the agent came for.
  const list = [...pages.data].reverse();
  return (
    <Paper withBorder p="sm" role="region" aria-label="Pages">
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap">
          <Text fw={600}>Pages</Text>
          <Text size="xs" c="dimmed">
            Premier 24×7 on-call
          </Text>
        </Group>
        {list.map((p) => (
          <PageEntry key={p.id} page={p} name={name} />
        ))}
      </Stack>
    </Paper>
  );
}

/** A ticket change (raised, lowered, solved) raises or resolves pages: re-read them with the ticket's new version. */
function useRefetchOnTicketChange(ticketId: number) {
  const qc = useQueryClient();
  const updatedAt = useTicket(ticketId).data?.ticket.updated_at;
  const seen = useRef(updatedAt);
  useEffect(() => {
    if (seen.current === updatedAt) return;
    seen.current = updatedAt;
    void qc.invalidateQueries({ queryKey: oncallKeys.ticketPages(ticketId) });
  }, [qc, ticketId, updatedAt]);
}

function PageEntry({ page, name }: { page: Page; name: (id: number | null) => string | null }) {
  const ack = useAcknowledgePage();
  const now = Date.now();
  const paged = name(page.user_id) ?? 'nobody (no one is on call)';
  const acknowledge = () =>
    ack.mutate(page, {
      onSuccess: (d) => notifications.show({ color: 'green', message: d.already_acknowledged ? 'This page was already acknowledged' : 'You acknowledged the page; repeats have stopped' }),
    });
  return (
    <Stack gap={6} data-testid={`page-${page.id}`} aria-label={`Page ${page.id}`} role="group">
      <Group gap={6} wrap="wrap">
        <Badge color={PAGE_STATUS_COLOR[page.status]} variant="filled" size="sm" style={UNSQUEEZED}>
          {PAGE_STATUS_LABEL[page.status]}
        </Badge>
        <Badge color={page.level === 'backup' ? 'orange' : 'gray'} variant="light" size="sm" style={UNSQUEEZED}>
          {LEVEL_LABEL[page.level]}
        </Badge>
        <Text size="sm">
          Paging <strong>{paged}</strong>
        </Text>
      </Group>
      <Text size="xs" c="dimmed">
        {PAGE_REASON_LABEL[page.reason]} · {page.sends === 1 ? 'sent once' : `sent ${page.sends} times`} · since {dateTime(page.created_at)}
      </Text>
      {page.status === 'open' && (
        <Text size="xs">
          {page.next_send_at && <span title={dateTime(page.next_send_at)}>Repeats {relativeMinutes(page.next_send_at, now)}</span>}
          {page.escalate_at && <span title={dateTime(page.escalate_at)}> · goes to the backup {relativeMinutes(page.escalate_at, now)}</span>}
        </Text>
      )}
      {page.status === 'acknowledged' && page.acknowledged_at && (
        <Text size="xs">
          Acknowledged by {name(page.acknowledged_by) ?? 'someone'} {page.acknowledged_via === 'link' ? 'from the link in the page' : 'in the workspace'} at {dateTime(page.acknowledged_at)}
        </Text>
      )}
      {page.status === 'resolved' && (
        <Text size="xs">
          Resolved{page.resolved_reason ? `: ${page.resolved_reason}` : ''}
          {page.resolved_at ? ` at ${dateTime(page.resolved_at)}` : ''}
        </Text>
      )}
      <Deliveries deliveries={page.deliveries} />
      {ack.isError && (
        <Text size="xs" c="red" role="alert">
          {errorMessages(ack.error).join(' ')}
        </Text>
      )}
      {page.status === 'open' && (
        <Button size="xs" color="red" onClick={acknowledge} loading={ack.isPending}>
          Acknowledge
        </Button>
      )}
    </Stack>
  );
}

/** The latest delivery to each channel, with how many of its deliveries went out. */
function Deliveries({ deliveries }: { deliveries: PageDelivery[] }) {
  if (!deliveries.length) {
    return (
      <Text size="xs" c="dimmed">
        No paging channels are set up: an administrator adds them under Paging.
      </Text>
    );
  }
  const byTarget = new Map<number, PageDelivery[]>();
  for (const d of deliveries) byTarget.set(d.target_id, [...(byTarget.get(d.target_id) ?? []), d]);
  return (
    <Table verticalSpacing={4} horizontalSpacing={6} fz="xs" aria-label="Deliveries">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Channel</Table.Th>
          <Table.Th>Latest</Table.Th>
          <Table.Th>Sent</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {[...byTarget.values()].map((list) => {
          const latest = list[list.length - 1];
          const sent = list.filter((d) => d.status === 'sent').length;
          return (
            <Table.Tr key={latest.target_id} data-testid={`delivery-${latest.target_id}`}>
              <Table.Td>
                {latest.target_name}
                <Text span size="xs" c="dimmed">
                  {' '}
                  · {KIND_LABEL[latest.kind]}
                </Text>
              </Table.Td>
              <Table.Td>
                <Badge size="xs" color={DELIVERY_COLOR[latest.status]} variant="light" style={UNSQUEEZED} title={latest.sent_at ? dateTime(latest.sent_at) : undefined}>
                  {DELIVERY_LABEL[latest.status]}
                </Badge>{' '}
                <Text span size="xs" c="dimmed">
                  {latest.event === 'trigger' ? `send ${latest.send}` : latest.event}
                </Text>
                {latest.status === 'failed' && latest.error && (
                  <Text size="xs" c="red">
                    {latest.error}
                    {latest.response_status ? ` (HTTP ${latest.response_status})` : ''}, after {latest.attempts} {latest.attempts === 1 ? 'attempt' : 'attempts'}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                {sent}/{list.length}
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
