import { Paper, Radio, Stack, Switch, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { get, put } from '../../api/client';
import { ErrorState, Loading } from '../../ui/PageState';
import { useAdminMutation } from '../hooks';
import { regionKeys, STRATEGIES, type RoutingSettings } from './model';

/** The desk-wide routing switch and strategy; each change is saved at once. */
export function RoutingSettingsCard() {
  const settings = useQuery({ queryKey: regionKeys.routing, queryFn: async () => (await get<{ routing: RoutingSettings }>('/api/v2/routing/settings')).routing });
  const save = useAdminMutation({
    mutationFn: (change: Partial<RoutingSettings>) => put<{ routing: RoutingSettings }>('/api/v2/routing/settings', { routing: change }),
    invalidate: [regionKeys.routing],
    success: (d) => (d.routing.enabled ? `Routing is on: ${STRATEGIES.find((s) => s.value === d.routing.strategy)?.label.toLowerCase()}` : 'Routing is off'),
  });
  return (
    <Paper withBorder p="md" component="section" aria-label="Routing">
      <Stack>
        <div>
          <Title order={2} size="h3">
            Routing
          </Title>
          <Text size="sm" c="dimmed">
            New Technical Support tickets go to an on-shift agent of the group, skipping agents who are away. Urgent and high tickets are assigned at once; tickets created outside every shift wait for the next
            region.
          </Text>
        </div>
        {settings.isPending ? (
          <Loading label="Loading routing settings…" />
        ) : settings.isError ? (
          <ErrorState error={settings.error} onRetry={() => settings.refetch()} />
        ) : (
          <>
            <Switch
              label="Route new technical tickets to on-shift agents"
              description="Off: tickets wait for agents to take them, and handovers reassign nothing"
              checked={settings.data.enabled}
              disabled={save.isPending}
              onChange={(e) => save.mutate({ enabled: e.currentTarget.checked })}
            />
            <Radio.Group label="Who gets the next ticket" value={settings.data.strategy} onChange={(v) => save.mutate({ strategy: v as RoutingSettings['strategy'] })}>
              <Stack gap="xs" mt="xs">
                {STRATEGIES.map((s) => (
                  <Radio key={s.value} value={s.value} label={s.label} description={s.hint} disabled={save.isPending || !settings.data.enabled} />
                ))}
              </Stack>
            </Radio.Group>
          </>
        )}
      </Stack>
    </Paper>
  );
}
