import { ScrollArea, Table } from '@mantine/core';
import { EmptyState } from '../../ui/PageState';
import type { ReportParams, ReportRow, SummaryReport } from '../api/reports';
import { DrillFigure } from './DrillDown';
import { figureDrill, FIGURES } from './figures';

const GROUPS = [...new Set(FIGURES.map((f) => f.group))];

/**
 * A summary split by one dimension (priority, plan, region, agent, day…): a row per value and the
 * totals, every cell opening the tickets behind it.
 */
export function BreakdownTable({ report, base, dimension }: { report: SummaryReport; base: ReportParams; dimension: string }) {
  if (!report.rows.length) return <EmptyState title="No tickets in this period">Try a longer period or fewer filters.</EmptyState>;
  return (
    <ScrollArea type="auto" offsetScrollbars>
      <Table striped withColumnBorders verticalSpacing={4} fz="sm" aria-label={`Figures by ${dimension}`} miw={1400}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th rowSpan={2}>{dimension}</Table.Th>
            {GROUPS.map((g) => (
              <Table.Th key={g} colSpan={FIGURES.filter((f) => f.group === g).length} ta="center">
                {g}
              </Table.Th>
            ))}
          </Table.Tr>
          <Table.Tr>
            {FIGURES.map((f) => (
              <Table.Th key={f.id} fw={500} style={{ whiteSpace: 'nowrap' }}>
                {f.label}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {report.rows.map((row) => (
            <Row key={row.key} row={row} base={base} groupBy={report.group_by} />
          ))}
        </Table.Tbody>
        <Table.Tfoot>
          <Row row={report.totals} base={base} total />
        </Table.Tfoot>
      </Table>
    </ScrollArea>
  );
}

function Row({ row, base, groupBy, total }: { row: ReportRow; base: ReportParams; groupBy?: SummaryReport['group_by']; total?: boolean }) {
  const label = total ? 'Total' : row.label;
  return (
    <Table.Tr data-testid={total ? 'breakdown-total' : `breakdown-row-${row.key}`} fw={total ? 700 : undefined}>
      <Table.Th scope="row" fw={total ? 700 : 500} style={{ whiteSpace: 'nowrap' }}>
        {label}
      </Table.Th>
      {FIGURES.map((f) => {
        const text = f.text(row);
        const drill = figureDrill(f, row, base, total || !groupBy ? undefined : { groupBy, key: row.key, label });
        return (
          <Table.Td key={f.id} style={{ whiteSpace: 'nowrap' }}>
            <DrillFigure drill={drill}>{text}</DrillFigure>
          </Table.Td>
        );
      })}
    </Table.Tr>
  );
}
