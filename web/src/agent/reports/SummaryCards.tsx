import { Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import type { ReportParams, ReportRow } from '../api/reports';
import { DrillFigure } from './DrillDown';
import { fieldValue, figureDrill, FIGURES, type Figure } from './figures';
import { countText } from './reportText';

/** The small print under each card: how many tickets the figures rest on. */
const BASIS: Record<string, (t: ReportRow) => string> = {
  'First reply': (t) => `${countText(t.first_reply.count)} replied · ${countText(t.first_reply.with_target)} with a target · business hours`,
  'Next reply': (t) => `${countText(t.next_reply.count)} replies · ${countText(t.next_reply.with_target)} with a target · business hours`,
  'Regular updates': (t) => `${countText(t.regular_updates.count)} update targets · ${countText(t.regular_updates.missed)} missed`,
  'Requester wait': (t) => `${countText(t.requester_wait.count)} solved tickets · calendar time`,
  Resolution: (t) => `${countText(t.resolution.count)} solved tickets · calendar time`,
  Satisfaction: (t) => `${countText(t.csat.responses)} responses`,
};

const GROUPS = [...new Set(FIGURES.map((f) => f.group))];

/** One card per group of figures for the whole period; every figure opens the tickets behind it. */
export function SummaryCards({ totals, base }: { totals: ReportRow; base: ReportParams }) {
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm">
      {GROUPS.map((group) => (
        <Paper key={group} withBorder p="sm" role="group" aria-label={group}>
          <Stack gap={6}>
            <Text size="sm" fw={700} c="dimmed" tt="uppercase">
              {group}
            </Text>
            {FIGURES.filter((f) => f.group === group).map((f) => (
              <Stat key={f.id} figure={f} totals={totals} base={base} />
            ))}
            {BASIS[group] && (
              <Text size="xs" c="dimmed">
                {BASIS[group](totals)}
              </Text>
            )}
          </Stack>
        </Paper>
      ))}
    </SimpleGrid>
  );
}

function Stat({ figure, totals, base }: { figure: Figure; totals: ReportRow; base: ReportParams }) {
  const text = figure.text(totals);
  // The raw number rides along as data, so a test can compare the card with the API without parsing "3 h 10 min".
  return (
    <Group justify="space-between" gap="xs" wrap="nowrap" data-testid={`stat-${figure.id}`} data-field={figure.field} data-value={fieldValue(totals, figure.field) ?? ''}>
      <Text size="sm">{figure.label}</Text>
      <DrillFigure drill={figureDrill(figure, totals, base)} fw={700} size="lg">
        {text}
      </DrillFigure>
    </Group>
  );
}
