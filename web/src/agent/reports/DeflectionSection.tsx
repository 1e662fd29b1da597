import { Group, Stack, Text } from '@mantine/core';
import { useDeflectionRate } from '../../help/api';
import type { ReportParams } from '../api/reports';
import { ReportSection } from './ReportSection';

/**
 * Help-center deflection over the period: questions answered by a suggested article (no request
 * created) against requests submitted on the web form. Only the period applies, not the ticket filters.
 */
export function DeflectionSection({ params }: { params: ReportParams }) {
  const period: Record<string, string> = {};
  if (params.from) period.from = params.from;
  if (params.to) period.to = params.to;
  const rate = useDeflectionRate(period);
  return (
    <ReportSection title="Help center deflection" description="Deflections ÷ (deflections + requests submitted on the web form), for the period." query={rate}>
      {(d) => (
        <Group gap="xl" data-testid="deflection">
          <Stack gap={0}>
            <Text size="sm">Deflection rate</Text>
            <Text fw={700} size="lg" data-testid="deflection-rate" data-value={d.deflection_rate_pct ?? ''}>
              {d.deflection_rate_pct === null ? '—' : `${d.deflection_rate_pct} %`}
            </Text>
          </Stack>
          <Stack gap={0}>
            <Text size="sm">Answered by an article</Text>
            <Text fw={700} size="lg">
              {d.deflections}
            </Text>
          </Stack>
          <Stack gap={0}>
            <Text size="sm">Requests on the web form</Text>
            <Text fw={700} size="lg">
              {d.web_requests}
            </Text>
          </Stack>
        </Group>
      )}
    </ReportSection>
  );
}
