import { Anchor, Button, Drawer, Group, ScrollArea, Stack, Table, Text, UnstyledButton } from '@mantine/core';
import { createContext, useContext, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { EmptyState, ErrorState, Loading } from '../../ui/PageState';
import { useReportTickets, type ReportParams } from '../api/reports';
import { dateTime } from '../format';
import { PriorityBadge, StatusBadge, UNSQUEEZED } from '../views/TicketBadges';
import { CsvLink } from './CsvLink';
import { durationText } from './reportText';

/** Which tickets to list: the drill-down endpoint's parameters and a title saying what they are. */
export interface Drill {
  title: string;
  params: ReportParams;
}

const DrillContext = createContext<(drill: Drill) => void>(() => {});

/** Opens the drawer listing the tickets behind a figure. */
export const useDrill = () => useContext(DrillContext);

/** Holds the drawer for the whole dashboard, so any figure on it can open the tickets behind it. */
export function DrillProvider({ children }: { children: ReactNode }) {
  const [drill, setDrill] = useState<Drill | null>(null);
  return (
    <DrillContext.Provider value={setDrill}>
      {children}
      <Drawer opened={drill !== null} onClose={() => setDrill(null)} position="right" size="xl" title={drill ? <Text fw={600}>{drill.title}</Text> : null}>
        {drill && <DrillTickets drill={drill} />}
      </Drawer>
    </DrillContext.Provider>
  );
}

/**
 * A figure that opens its tickets when clicked. Without a drill (a median has no single list behind it
 * beyond its population) it is plain text.
 */
export function DrillFigure({ drill, children, ...text }: { drill: Drill | null; children: ReactNode; fw?: number; size?: string }) {
  const open = useDrill();
  if (!drill) {
    return (
      <Text span inherit {...text}>
        {children}
      </Text>
    );
  }
  // Named "First reply breached: 3", so a screen reader hears what opens, not just a number.
  const label = typeof children === 'string' || typeof children === 'number' ? `${drill.title}: ${children}` : drill.title;
  return (
    <UnstyledButton onClick={() => open(drill)} aria-label={label} title="Show the tickets" style={{ textDecoration: 'underline dotted', textUnderlineOffset: 3 }}>
      <Text span inherit {...text}>
        {children}
      </Text>
    </UnstyledButton>
  );
}

function DrillTickets({ drill }: { drill: Drill }) {
  const tickets = useReportTickets(drill.params);
  if (tickets.isPending) return <Loading label="Loading tickets…" />;
  if (tickets.isError) return <ErrorState error={tickets.error} onRetry={() => void tickets.refetch()} />;
  const rows = tickets.data.pages.flatMap((p) => p.tickets);
  const count = tickets.data.pages[0]?.count ?? rows.length;
  return (
    <Stack gap="sm" role="region" aria-label={`Tickets: ${drill.title}`}>
      <Group justify="space-between">
        <Text size="sm" c="dimmed" aria-label="Ticket count">
          {count === 1 ? '1 ticket' : `${count} tickets`}
        </Text>
        <CsvLink endpoint="tickets" params={drill.params} label={`Tickets: ${drill.title}`} />
      </Group>
      {!rows.length ? (
        <EmptyState title="No tickets">Nothing in this period matches the figure.</EmptyState>
      ) : (
        <ScrollArea type="auto" offsetScrollbars>
          <Table striped verticalSpacing={6} aria-label="Tickets behind the figure" miw={760}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Ticket</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Priority</Table.Th>
                <Table.Th>Organization</Table.Th>
                <Table.Th>Assignee</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th>First reply</Table.Th>
                <Table.Th>Resolution</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((t) => (
                <Table.Tr key={t.id} data-testid={`drill-ticket-${t.id}`}>
                  <Table.Td>
                    <Anchor component={Link} to={`/agent/tickets/${t.id}`} size="sm">
                      #{t.id} {t.subject}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge status={t.status} />
                  </Table.Td>
                  <Table.Td>
                    <PriorityBadge priority={t.priority} />
                  </Table.Td>
                  <Table.Td>{t.organization_name ?? '—'}</Table.Td>
                  <Table.Td>{t.assignee_name ?? '—'}</Table.Td>
                  <Table.Td style={UNSQUEEZED} title={t.solved_at ? `Solved ${dateTime(t.solved_at)}` : undefined}>
                    {dateTime(t.created_at)}
                  </Table.Td>
                  <Table.Td>{durationText(t.first_reply_minutes)}</Table.Td>
                  <Table.Td>{durationText(t.resolution_minutes)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
      {tickets.hasNextPage && (
        <Button variant="light" size="xs" onClick={() => void tickets.fetchNextPage()} loading={tickets.isFetchingNextPage} style={{ alignSelf: 'center' }}>
          Load more
        </Button>
      )}
    </Stack>
  );
}
