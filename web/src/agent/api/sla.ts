import { useQuery } from '@tanstack/react-query';
import { get } from '../../api/client';
import { agentKeys } from './queries';
import type { SlaPolicyMetric, TicketMetricEvent } from './types';

/*
 * SLA figures move with time as well as with changes (a running target breaches on its own), so
 * both refetch every minute while shown; ticket changes refresh them at once through refreshTicket.
 */
const EVERY_MINUTE = 60_000;

/** The ticket's targets and their stages (`?include=slas`). */
export function useTicketSlas(id: number) {
  return useQuery({
    queryKey: agentKeys.slaMetrics(id),
    queryFn: async () => (await get<{ ticket: { slas?: { policy_metrics: SlaPolicyMetric[] } } }>(`/api/v2/tickets/${id}?include=slas`)).ticket.slas?.policy_metrics ?? [],
    refetchInterval: EVERY_MINUTE,
  });
}

/** The ledger behind every SLA figure, oldest first. */
export function useMetricEvents(id: number) {
  return useQuery({
    queryKey: agentKeys.slaEvents(id),
    queryFn: async () => (await get<{ ticket_metric_events: TicketMetricEvent[] }>(`/api/v2/tickets/${id}/metric_events`)).ticket_metric_events,
    refetchInterval: EVERY_MINUTE,
  });
}
