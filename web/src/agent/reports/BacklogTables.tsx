import { Anchor, Table } from '@mantine/core';
import { Link } from 'react-router';
import { EmptyState } from '../../ui/PageState';
import { AGE_BUCKETS, type BacklogCell, type OnHoldStage, type ReportParams } from '../api/reports';
import type { TicketStatus } from '../api/types';
import { STATUS_LABEL } from '../format';
import { DrillFigure } from './DrillDown';
import { countText, stageLabel } from './reportText';

const STATUS_ORDER: TicketStatus[] = ['new', 'open', 'pending', 'hold'];
const AGE_LABEL: Record<string, string> = { '0-1d': 'Under 1 day', '1-3d': '1–3 days', '3-7d': '3–7 days', '7-14d': '7–14 days', '14d+': '14 days or more' };

/** Unsolved tickets now, a row per status and a column per age; each count opens its tickets. */
export function BacklogTable({ cells, base }: { cells: BacklogCell[]; base: ReportParams }) {
  if (!cells.some((c) => c.count > 0)) return <EmptyState title="No backlog">Every ticket is solved.</EmptyState>;
  const statuses = STATUS_ORDER.filter((s) => cells.some((c) => c.status === s));
  const count = (status: TicketStatus | null, bucket: string | null) =>
    cells.filter((c) => (status === null || c.status === status) && (bucket === null || c.age_bucket === bucket)).reduce((n, c) => n + c.count, 0);
  const cell = (status: TicketStatus | null, bucket: string | null) => {
    const n = count(status, bucket);
    const title = ['Backlog', status ? STATUS_LABEL[status] : null, bucket ? AGE_LABEL[bucket] : null].filter(Boolean).join(' · ');
    const params: ReportParams = { ...base, metric: 'backlog', status: status ?? undefined, age_bucket: bucket ?? undefined };
    return <DrillFigure drill={n ? { title, params } : null}>{countText(n)}</DrillFigure>;
  };
  return (
    <Table withColumnBorders verticalSpacing={4} fz="sm" aria-label="Backlog by status and age">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Status</Table.Th>
          {AGE_BUCKETS.map((b) => (
            <Table.Th key={b}>{AGE_LABEL[b]}</Table.Th>
          ))}
          <Table.Th>Total</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {statuses.map((s) => (
          <Table.Tr key={s} data-testid={`backlog-${s}`}>
            <Table.Th scope="row" fw={500}>
              {STATUS_LABEL[s]}
            </Table.Th>
            {AGE_BUCKETS.map((b) => (
              <Table.Td key={b}>{cell(s, b)}</Table.Td>
            ))}
            <Table.Td fw={600}>{cell(s, null)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
      <Table.Tfoot>
        <Table.Tr fw={700}>
          <Table.Th scope="row">Total</Table.Th>
          {AGE_BUCKETS.map((b) => (
            <Table.Td key={b}>{cell(null, b)}</Table.Td>
          ))}
          <Table.Td>{cell(null, null)}</Table.Td>
        </Table.Tr>
      </Table.Tfoot>
    </Table>
  );
}

/**
 * On-hold tickets now, by the stage of their open engineering escalation. The API lists on-hold tickets
 * as a whole (backlog, status on-hold), not per stage, so the total opens them; the engineering board
 * shows each stage's tickets.
 */
export function OnHoldTable({ stages, base }: { stages: OnHoldStage[]; base: ReportParams }) {
  const total = stages.reduce((n, s) => n + s.count, 0);
  if (!total) return <EmptyState title="Nothing on hold" />;
  return (
    <Table verticalSpacing={4} fz="sm" aria-label="On-hold tickets by escalation stage">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Escalation stage</Table.Th>
          <Table.Th>Tickets</Table.Th>
          <Table.Th>Oldest</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {stages.map((s) => (
          <Table.Tr key={s.stage} data-testid={`on-hold-${s.stage}`}>
            <Table.Th scope="row" fw={500}>
              {s.stage === 'no_escalation' || !s.count ? (
                stageLabel(s.stage)
              ) : (
                <Anchor component={Link} to="/agent/escalations" size="sm" title="Open the engineering board">
                  {stageLabel(s.stage)}
                </Anchor>
              )}
            </Table.Th>
            <Table.Td>{countText(s.count)}</Table.Td>
            <Table.Td>{s.oldest_days === null ? '—' : `${s.oldest_days} d`}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
      <Table.Tfoot>
        <Table.Tr fw={700}>
          <Table.Th scope="row">Total on hold</Table.Th>
          <Table.Td>
            <DrillFigure drill={{ title: 'Backlog · On-hold', params: { ...base, metric: 'backlog', status: 'hold' } }}>{countText(total)}</DrillFigure>
          </Table.Td>
          <Table.Td />
        </Table.Tr>
      </Table.Tfoot>
    </Table>
  );
}
