import '@mantine/charts/styles.css';
import { Group, SegmentedControl, Stack, Tabs, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import { useBacklog, useCsatReport, useOnHold, useSlaAchievement, useSummaryReport, useTicketScores, type ReportGroupBy, type ReportParams } from '../api/reports';
import { BacklogTable, OnHoldTable } from './BacklogTables';
import { BreakdownTable } from './BreakdownTable';
import { CsatComments, TicketScoreTable } from './CsatTables';
import { DeflectionSection } from './DeflectionSection';
import { DrillProvider } from './DrillDown';
import { ReportFilters } from './ReportFilters';
import { lastDays, scopeParams, type ReportScope } from './reportScope';
import { ReportSection } from './ReportSection';
import { SlaMatrix } from './SlaMatrix';
import { SummaryCards } from './SummaryCards';
import { TrendCharts } from './TrendCharts';
import { useReportScope } from './useReportScope';

const TABS = [
  { value: 'overview', label: 'Overview' },
  { value: 'breakdown', label: 'Breakdown' },
  { value: 'sla', label: 'SLA achievement' },
  { value: 'backlog', label: 'Backlog' },
  { value: 'csat', label: 'Satisfaction' },
  { value: 'ticket-score', label: 'Ticket score' },
] as const;
type Tab = (typeof TABS)[number]['value'];

/** The dimensions a breakdown can split by; region is the follow-the-sun view. */
const BREAKDOWNS: { value: ReportGroupBy; label: string; dimension: string }[] = [
  { value: 'priority', label: 'Priority', dimension: 'Priority' },
  { value: 'plan', label: 'Plan', dimension: 'Plan' },
  { value: 'region', label: 'Region (follow-the-sun)', dimension: 'Region' },
  { value: 'agent', label: 'Agent', dimension: 'Agent' },
  { value: 'organization', label: 'Organization', dimension: 'Organization' },
  { value: 'group', label: 'Group', dimension: 'Group' },
  { value: 'form', label: 'Form', dimension: 'Form' },
  { value: 'category', label: 'Category', dimension: 'Category' },
];

/**
 * /agent/reports: the figures a support lead opens every morning, for a period and filters kept in
 * the URL. Each tab loads only its own reports; every figure opens the tickets behind it and every
 * table downloads as CSV.
 */
export function ReportsPage() {
  const [scope, update] = useReportScope();
  const tab: Tab = TABS.find((t) => t.value === scope.tab)?.value ?? 'overview';
  const params = useMemo(() => scopeParams(scope), [scope]);

  return (
    <DrillProvider>
      <Stack gap="md">
        <div>
          <Title order={2}>Reports</Title>
          <Text size="sm" c="dimmed">
            {scope.from} to {scope.to}, computed from the SLA ledger. Click a figure to see the tickets behind it.
          </Text>
        </div>
        <ReportFilters scope={scope} update={update} />
        <Tabs value={tab} onChange={(v) => update({ tab: v === 'overview' ? null : v })} keepMounted={false}>
          <Tabs.List>
            {TABS.map((t) => (
              <Tabs.Tab key={t.value} value={t.value}>
                {t.label}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          <Tabs.Panel value="overview" pt="md">
            <Overview scope={scope} params={params} update={update} />
          </Tabs.Panel>
          <Tabs.Panel value="breakdown" pt="md">
            <Breakdown params={params} groupBy={scope.groupBy} update={update} />
          </Tabs.Panel>
          <Tabs.Panel value="sla" pt="md">
            <SlaSection params={params} />
          </Tabs.Panel>
          <Tabs.Panel value="backlog" pt="md">
            <BacklogSection params={params} />
          </Tabs.Panel>
          <Tabs.Panel value="csat" pt="md">
            <CsatSection params={params} />
          </Tabs.Panel>
          <Tabs.Panel value="ticket-score" pt="md">
            <TicketScoreSection filters={scope.filters} />
          </Tabs.Panel>
        </Tabs>
      </Stack>
    </DrillProvider>
  );
}

type Update = (changes: Record<string, string | null>) => void;

function Overview({ scope, params, update }: { scope: ReportScope; params: ReportParams; update: Update }) {
  const summary = useSummaryReport(params);
  const trendParams = useMemo(() => ({ ...params, group_by: scope.interval }), [params, scope.interval]);
  const trend = useSummaryReport(trendParams);
  const unit = scope.interval === 'week' ? 'week' : 'day';
  return (
    <Stack gap="md">
      <ReportSection title="Summary" query={summary} csv={{ endpoint: 'summary', params }}>
        {(report) => <SummaryCards totals={report.totals} base={params} />}
      </ReportSection>
      <ReportSection
        title="Trends"
        description={
          <Group gap="xs" component="span">
            <span>By</span>
            <SegmentedControl
              size="xs"
              aria-label="Trend interval"
              value={scope.interval}
              onChange={(v) => update({ interval: v === 'day' ? null : v })}
              data={[
                { value: 'day', label: 'Day' },
                { value: 'week', label: 'Week' },
              ]}
            />
          </Group>
        }
        query={trend}
      >
        {(report) => <TrendCharts report={report} base={params} />}
      </ReportSection>
      <ReportSection title={`By ${unit}`} query={trend} csv={{ endpoint: 'summary', params: trendParams }}>
        {(report) => <BreakdownTable report={report} base={params} dimension={unit === 'week' ? 'Week' : 'Day'} />}
      </ReportSection>
      <DeflectionSection params={params} />
    </Stack>
  );
}

function Breakdown({ params, groupBy, update }: { params: ReportParams; groupBy: string; update: Update }) {
  const choice = BREAKDOWNS.find((b) => b.value === groupBy) ?? BREAKDOWNS[0];
  const byParams = useMemo(() => ({ ...params, group_by: choice.value }), [params, choice.value]);
  const report = useSummaryReport(byParams);
  return (
    <Stack gap="md">
      <SegmentedControl
        aria-label="Break down by"
        value={choice.value}
        onChange={(v) => update({ group_by: v === 'priority' ? null : v })}
        data={BREAKDOWNS.map((b) => ({ value: b.value, label: b.label }))}
        style={{ alignSelf: 'flex-start' }}
      />
      <ReportSection title={`By ${choice.dimension.toLowerCase()}`} query={report} csv={{ endpoint: 'summary', params: byParams }}>
        {(data) => <BreakdownTable report={data} base={params} dimension={choice.dimension} />}
      </ReportSection>
    </Stack>
  );
}

function SlaSection({ params }: { params: ReportParams }) {
  const cells = useSlaAchievement(params);
  return (
    <ReportSection title="SLA achievement" description="Targets met, per metric, priority and plan. A percentage opens the misses." query={cells} csv={{ endpoint: 'sla_achievement', params }}>
      {(data) => <SlaMatrix cells={data} base={params} />}
    </ReportSection>
  );
}

function BacklogSection({ params }: { params: ReportParams }) {
  // The backlog is a picture of now: the filters apply, the period does not.
  const { from: _from, to: _to, ...now } = params;
  const backlog = useBacklog(now);
  const onHold = useOnHold(now);
  return (
    <Stack gap="md">
      <ReportSection title="Backlog by status and age" description="Unsolved tickets now, by how long ago they were created." query={backlog} csv={{ endpoint: 'backlog', params: now }}>
        {(data) => <BacklogTable cells={data} base={now} />}
      </ReportSection>
      <ReportSection title="On hold by escalation stage" description="Tickets on hold now, by the stage of their engineering escalation." query={onHold} csv={{ endpoint: 'on_hold', params: now }}>
        {(data) => <OnHoldTable stages={data} base={now} />}
      </ReportSection>
    </Stack>
  );
}

function CsatSection({ params }: { params: ReportParams }) {
  const csat = useCsatReport(params);
  return (
    <ReportSection title="Customer satisfaction" description="Score = good ÷ (good + bad), from the surveys sent when tickets are solved." query={csat} csv={{ endpoint: 'csat', params }}>
      {(data) => <CsatComments csat={data} base={params} />}
    </ReportSection>
  );
}

function TicketScoreSection({ filters }: { filters: ReportScope['filters'] }) {
  // The score always looks at the last 90 days, whatever the period above.
  const params = useMemo(() => ({ ...filters }), [filters]);
  const base = useMemo(() => ({ ...lastDays(90), ...filters }), [filters]);
  const scores = useTicketScores(params);
  return (
    <ReportSection title="Ticket score by organization" description="Customer-success health of each account's support over the last 90 days, lowest first." query={scores} csv={{ endpoint: 'ticket_score', params }}>
      {(data) => <TicketScoreTable scores={data} base={base} />}
    </ReportSection>
  );
}
