import { BarChart, LineChart } from '@mantine/charts';
import { SimpleGrid, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { EmptyState } from '../../ui/PageState';
import type { ReportParams, ReportRow, SummaryReport } from '../api/reports';
import { useDrill } from './DrillDown';
import { figureById, figureDrill } from './figures';

const hours = (minutes: number | null) => (minutes === null ? null : Math.round((minutes / 60) * 10) / 10);
const oneDecimal = (n: number) => (Math.round(n * 10) / 10).toLocaleString('en');

/**
 * The period day by day (or week by week): first-reply time and SLA achievement as lines, tickets
 * created and solved as bars. A bar opens the tickets behind it.
 */
export function TrendCharts({ report, base }: { report: SummaryReport; base: ReportParams }) {
  const drill = useDrill();
  if (!report.rows.length) return <EmptyState title="No tickets in this period">Try a longer period or fewer filters.</EmptyState>;
  const rows = report.rows;
  const lines = rows.map((r) => ({ label: r.label, median: hours(r.first_reply.median_minutes), within: r.first_reply.within_sla_pct }));
  const bars = rows.map((r) => ({ label: r.label, key: r.key, created: r.tickets_created, solved: r.tickets_solved }));
  const openBar = (series: 'created' | 'solved', row: ReportRow | undefined) => {
    const target = row && figureDrill(figureById(series), row, base, { groupBy: report.group_by, key: row.key, label: row.label });
    if (target) drill(target);
  };

  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
      <Chart title="First reply: median and % within SLA">
        <LineChart
          h={260}
          data={lines}
          dataKey="label"
          role="img"
          aria-label="Chart: first reply median hours and percent within SLA"
          series={[
            { name: 'median', label: 'Median first reply (hours)', color: 'orange.6' },
            { name: 'within', label: 'Within SLA (%)', color: 'teal.6', yAxisId: 'right' },
          ]}
          withRightYAxis
          yAxisLabel="Hours"
          rightYAxisLabel="% within SLA"
          rightYAxisProps={{ domain: [0, 100] }}
          withLegend
          connectNulls={false}
          curveType="linear"
          valueFormatter={oneDecimal}
        />
      </Chart>
      <Chart title="Tickets created and solved">
        <BarChart
          h={260}
          data={bars}
          dataKey="label"
          role="img"
          aria-label="Chart: tickets created and solved"
          series={[
            { name: 'created', label: 'Created', color: 'orange.6' },
            { name: 'solved', label: 'Solved', color: 'gray.6' },
          ]}
          withLegend
          yAxisProps={{ allowDecimals: false }}
          barProps={(series) => ({
            cursor: 'pointer',
            onClick: (_: unknown, index: number) => openBar(series.name as 'created' | 'solved', rows[index]),
          })}
        />
      </Chart>
    </SimpleGrid>
  );
}

function Chart({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        {title}
      </Text>
      {children}
    </Stack>
  );
}
