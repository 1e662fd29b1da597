import { ScrollArea, Table, Text } from '@mantine/core';
import { EmptyState } from '../../ui/PageState';
import type { ReportParams, SlaAchievementCell } from '../api/reports';
import { planLabel, PRIORITIES, PRIORITY_LABEL } from '../format';
import { DrillFigure, type Drill } from './DrillDown';
import { metricLabel } from '../sla/slaText';
import { pctText } from './reportText';

/** The drill-down metric listing the misses of an SLA metric (metrics without one are not drillable). */
const MISSED: Record<string, { metric: string; title: string }> = {
  first_reply_time: { metric: 'first_reply_breached', title: 'First reply breached' },
  next_reply_time: { metric: 'next_reply_breached', title: 'Next reply breached' },
  pausable_update_time: { metric: 'regular_updates_missed', title: 'Regular updates missed' },
};

const PLAN_ORDER = ['premier', 'enterprise', 'professional', 'free'];
const order = (list: string[]) => (value: string) => (list.indexOf(value) === -1 ? list.length : list.indexOf(value));
const sortBy = <T,>(values: T[], rank: (v: T) => number) => [...values].sort((a, b) => rank(a) - rank(b));

/**
 * SLA achievement per metric × priority × plan: a block of priority rows per metric, a column per
 * plan. A cell reads "achieved % (achieved / measured)" and opens the misses behind it.
 */
export function SlaMatrix({ cells, base }: { cells: SlaAchievementCell[]; base: ReportParams }) {
  if (!cells.some((c) => c.measured > 0)) return <EmptyState title="No SLA targets measured in this period">Targets come from the SLA policies of each plan and priority.</EmptyState>;
  const metrics = [...new Set(cells.map((c) => c.metric))];
  const plans = sortBy([...new Set(cells.map((c) => c.plan))], order(PLAN_ORDER));
  const priorities = sortBy([...new Set(cells.map((c) => c.priority))], order(PRIORITIES));
  const at = new Map(cells.map((c) => [`${c.metric}|${c.priority}|${c.plan}`, c]));

  const drillOf = (c: SlaAchievementCell): Drill | null => {
    const missed = MISSED[c.metric];
    if (!missed || c.measured === c.achieved) return null;
    return { title: `${missed.title} · ${PRIORITY_LABEL[c.priority as keyof typeof PRIORITY_LABEL] ?? c.priority} · ${planLabel(c.plan)}`, params: { ...base, priority: c.priority, plan: c.plan, metric: missed.metric } };
  };

  return (
    <ScrollArea type="auto" offsetScrollbars>
      <Table withColumnBorders verticalSpacing={4} fz="sm" aria-label="SLA achievement by metric, priority and plan">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Metric</Table.Th>
            <Table.Th>Priority</Table.Th>
            {plans.map((p) => (
              <Table.Th key={p}>{planLabel(p)}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {metrics.flatMap((metric) => {
            const rows = priorities.filter((p) => plans.some((plan) => at.has(`${metric}|${p}|${plan}`)));
            return rows.map((priority, i) => (
              <Table.Tr key={`${metric}|${priority}`} data-testid={`sla-matrix-${metric}-${priority}`}>
                {i === 0 && (
                  <Table.Th scope="rowgroup" rowSpan={rows.length} fw={600} style={{ verticalAlign: 'top' }}>
                    {metricLabel(metric)}
                  </Table.Th>
                )}
                <Table.Th scope="row" fw={500}>
                  {PRIORITY_LABEL[priority as keyof typeof PRIORITY_LABEL] ?? priority}
                </Table.Th>
                {plans.map((plan) => {
                  const c = at.get(`${metric}|${priority}|${plan}`);
                  return (
                    <Table.Td key={plan} style={{ whiteSpace: 'nowrap' }}>
                      {c && c.measured > 0 ? (
                        <>
                          <DrillFigure drill={drillOf(c)} fw={600}>
                            {pctText(c.achieved_pct)}
                          </DrillFigure>{' '}
                          <Text span size="xs" c="dimmed">
                            ({c.achieved}/{c.measured})
                          </Text>
                        </>
                      ) : (
                        <Text span c="dimmed">
                          —
                        </Text>
                      )}
                    </Table.Td>
                  );
                })}
              </Table.Tr>
            ));
          })}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
}
