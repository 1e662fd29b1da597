import { ActionIcon, Badge, Indicator, Menu, Text, Tooltip } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { get } from '../../api/client';
import { metricLabel } from './slaText';

interface SlaWarning {
  ticket_id: number;
  subject: string;
  metric: string;
  breach_at: string;
  warned_at: string;
}

/**
 * The in-app side of SLA warnings: targets on my tickets past 75 % of their time. Polled, because a
 * warning is raised by a background job, not by anything the agent does.
 */
export function SlaWarningsMenu() {
  const warnings = useQuery({
    queryKey: ['agent', 'sla-warnings'],
    queryFn: async () => (await get<{ sla_warnings: SlaWarning[] }>('/api/v2/sla/warnings')).sla_warnings,
    refetchInterval: 60_000,
  });
  const list = warnings.data ?? [];
  return (
    <Menu position="bottom-end" width={340}>
      <Menu.Target>
        <Tooltip label="SLA warnings on your tickets">
          <Indicator disabled={!list.length} label={list.length} size={16} color="red">
            <ActionIcon variant="subtle" color={list.length ? 'red' : 'gray'} aria-label={`${list.length} SLA warnings`}>
              <Text size="xs" fw={700}>
                SLA
              </Text>
            </ActionIcon>
          </Indicator>
        </Tooltip>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Targets past 75 % on your tickets</Menu.Label>
        {!list.length && (
          <Text size="sm" c="dimmed" px="sm" py="xs">
            Nothing is close to breaching.
          </Text>
        )}
        {list.map((w) => (
          <Menu.Item key={`${w.ticket_id}/${w.metric}/${w.warned_at}`} component={Link} to={`/agent/tickets/${w.ticket_id}`}>
            <Text size="sm" fw={500} lineClamp={1}>
              #{w.ticket_id} {w.subject}
            </Text>
            <Badge size="xs" color="orange" variant="light">
              {metricLabel(w.metric)} due {new Date(w.breach_at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}
            </Badge>
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
