import { Alert, Button, Group, List, Menu, Paper, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessages, putTicket, refreshLists } from '../api/queries';
import type { Ticket, TicketStatus, TicketUpdate } from '../api/types';
import { STATUS_LABEL } from '../format';
import { useCurrentAgent } from '../layout/CurrentAgent';

interface Failure {
  id: number;
  message: string;
}

const BULK_STATUSES: TicketStatus[] = ['open', 'pending', 'hold', 'solved'];

/**
 * Actions on the selected tickets: one safe PUT per ticket, all at once. Each ticket succeeds or
 * fails on its own (a Sales ticket needs a Sales agent, a ticket changed meanwhile is refused), so
 * failures are listed per ticket and only those stay selected.
 */
export function BulkBar({ tickets, onFinished, onClear }: { tickets: Ticket[]; onFinished: (succeeded: number[]) => void; onClear: () => void }) {
  const me = useCurrentAgent();
  const qc = useQueryClient();
  const [running, setRunning] = useState<string | null>(null);
  const [failures, setFailures] = useState<Failure[]>([]);

  const run = async (label: string, changes: TicketUpdate) => {
    setRunning(label);
    setFailures([]);
    const results = await Promise.allSettled(tickets.map((t) => putTicket(t.id, changes, t.updated_at)));
    const succeeded = tickets.filter((_, i) => results[i].status === 'fulfilled').map((t) => t.id);
    const failed = tickets.flatMap((t, i) => {
      const r = results[i];
      return r.status === 'rejected' ? [{ id: t.id, message: errorMessages(r.reason).join(' ') }] : [];
    });
    setRunning(null);
    setFailures(failed);
    if (succeeded.length) notifications.show({ color: 'green', message: `${label}: ${succeeded.length} of ${tickets.length} ticket${tickets.length === 1 ? '' : 's'} updated` });
    onFinished(succeeded);
    await refreshLists(qc);
  };

  return (
    <Paper withBorder p="xs" mb="sm" bg="blue.0" role="region" aria-label="Bulk actions">
      <Group justify="space-between">
        <Text size="sm" fw={600}>
          {tickets.length} selected
        </Text>
        <Group gap="xs">
          <Button size="xs" loading={running === 'Take'} disabled={!!running} onClick={() => void run('Take', { assignee_id: me.id })}>
            Assign to me
          </Button>
          <Menu position="bottom-end">
            <Menu.Target>
              <Button size="xs" variant="default" loading={running === 'Status'} disabled={!!running}>
                Change status
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              {BULK_STATUSES.map((status) => (
                <Menu.Item key={status} onClick={() => void run('Status', { status })}>
                  {STATUS_LABEL[status]}
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
          <Button size="xs" variant="subtle" onClick={onClear} disabled={!!running}>
            Clear selection
          </Button>
        </Group>
      </Group>
      {failures.length > 0 && (
        <Alert color="red" mt="xs" title={`${failures.length} ticket${failures.length === 1 ? '' : 's'} not updated`} role="alert" withCloseButton onClose={() => setFailures([])}>
          <List size="sm">
            {failures.map((f) => (
              <List.Item key={f.id}>
                #{f.id}: {f.message}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
    </Paper>
  );
}
