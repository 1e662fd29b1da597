import { Anchor, Badge, Group, ScrollArea, Stack, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { EmptyState } from '../../ui/PageState';
import type { CsatReport, ReportParams, TicketScore } from '../api/reports';
import { dateTime, planLabel } from '../format';
import { DrillFigure } from './DrillDown';
import { countText, pctText } from './reportText';

/** CSAT = good / (good + bad), the responses it rests on, and what customers wrote, newest first. */
export function CsatComments({ csat, base }: { csat: CsatReport; base: ReportParams }) {
  const comments = csat.comments; // newest first, as the API sends them
  return (
    <Stack gap="sm">
      <Group gap="xl" data-testid="csat-figures">
        {[
          // The score opens the bad ratings: what it falls short by.
          { label: 'Score', text: pctText(csat.score_pct), count: csat.bad, metric: 'csat_bad', title: 'Rated bad' },
          { label: 'Good', text: countText(csat.good), count: csat.good, metric: 'csat_good', title: 'Rated good' },
          { label: 'Bad', text: countText(csat.bad), count: csat.bad, metric: 'csat_bad', title: 'Rated bad' },
        ].map((f) => (
          <Text size="sm" key={f.label}>
            {f.label}{' '}
            <DrillFigure drill={f.count ? { title: f.title, params: { ...base, metric: f.metric } } : null} fw={700} size="lg">
              {f.text}
            </DrillFigure>
          </Text>
        ))}
        <Text size="sm" c="dimmed">
          {countText(csat.responses)} responses
        </Text>
      </Group>
      {csat.comments_total > comments.length && (
        <Text size="xs" c="dimmed">
          The newest {comments.length} of {countText(csat.comments_total)} comments; the CSV has them all.
        </Text>
      )}
      {!comments.length ? (
        <EmptyState title="No comments in this period">Customers can add a comment when they rate a solved ticket.</EmptyState>
      ) : (
        <ScrollArea type="auto" offsetScrollbars>
          <Table striped verticalSpacing={6} fz="sm" aria-label="Satisfaction comments">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Ticket</Table.Th>
                <Table.Th>Rating</Table.Th>
                <Table.Th>Comment</Table.Th>
                <Table.Th>Rated</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {comments.map((c) => (
                <Table.Tr key={`${c.ticket_id}-${c.rated_at}`}>
                  <Table.Td>
                    <Anchor component={Link} to={`/agent/tickets/${c.ticket_id}`} size="sm">
                      #{c.ticket_id}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={c.score === 'good' ? 'teal' : 'red'} variant="light" size="sm">
                      {c.score === 'good' ? 'Good' : 'Bad'}
                    </Badge>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{c.comment || <Text span c="dimmed">No comment</Text>}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{dateTime(c.rated_at)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
    </Stack>
  );
}

/**
 * The customer-success ticket score per organization (spec §13), from its tickets of the last 90 days,
 * in the API's order: lowest score first, so the accounts to call are on top.
 */
export function TicketScoreTable({ scores, base }: { scores: TicketScore[]; base: ReportParams }) {
  if (!scores.length) return <EmptyState title="No organizations with tickets in the last 90 days" />;
  return (
    <ScrollArea type="auto" offsetScrollbars>
      <Table striped verticalSpacing={4} fz="sm" aria-label="Ticket score by organization">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Organization</Table.Th>
            <Table.Th>Plan</Table.Th>
            <Table.Th>Tickets (90 days)</Table.Th>
            <Table.Th>Health</Table.Th>
            <Table.Th>Score</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {scores.map((s) => (
            <Table.Tr key={s.organization_id} data-testid={`ticket-score-${s.organization_id}`}>
              <Table.Th scope="row" fw={500}>
                {s.organization_name}
              </Table.Th>
              <Table.Td>{planLabel(s.plan)}</Table.Td>
              <Table.Td>
                <DrillFigure drill={s.tickets_90d ? { title: `Tickets created · ${s.organization_name}`, params: { ...base, organization_id: String(s.organization_id), metric: 'created' } } : null}>
                  {countText(s.tickets_90d)}
                </DrillFigure>
              </Table.Td>
              <Table.Td>{pctText(s.health_pct)}</Table.Td>
              <Table.Td fw={700}>{s.score}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
}
