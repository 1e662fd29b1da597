import { Alert, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { QueryView } from '../../ui/PageState';
import { PageHeader } from '../ui';
import { HolidaysSection } from './HolidaysSection';
import { fetchPolicies, slaKeys } from './model';
import { PolicyCard } from './PolicyCard';

/** /admin/sla: the response targets per support plan, and the holidays that stop business-hours clocks. */
export function SlaPage() {
  const policies = useQuery({ queryKey: slaKeys.policies, queryFn: fetchPolicies });
  return (
    <Stack>
      <PageHeader title="SLA policies" description="Response targets per support plan and ticket priority, in minutes of calendar or business hours. Internal targets are for agents only." />
      <Alert variant="light" color="blue" title="Business hours">
        <Text size="sm">
          Business hours are Mon–Fri 09:00–17:00 in the customer organization’s time zone; Premier urgent and high tickets also run over the Pacific weekend.
        </Text>
      </Alert>
      <QueryView
        query={policies}
        loadingLabel="Loading SLA policies…"
        emptyTitle="No SLA policies"
        emptyText="Tickets of customers on any plan have no response targets."
      >
        {(data) => data.map((p) => <PolicyCard key={p.id} policy={p} />)}
      </QueryView>
      <HolidaysSection />
    </Stack>
  );
}
