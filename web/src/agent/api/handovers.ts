import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post, put } from '../../api/client';
import type { TicketPriority, TicketStatus } from './types';

/* Handover notes written at each follow-the-sun shift change (spec §10). */

export type HandoverReason = 'urgent_high' | 'customer_waiting' | 'sla_due_soon' | 'unassigned';

/** A ticket as it stood at the hand-over; `ticket` (detail only) is how it is now, null once deleted. */
export interface HandoverItem {
  ticket_id: number;
  subject: string;
  priority: TicketPriority | null;
  status: TicketStatus;
  assignee_id: number | null;
  reasons: HandoverReason[];
  due_at: string | null;
  ticket?: { subject: string; status: TicketStatus; priority: TicketPriority | null; assignee_id: number | null } | null;
}

export interface Reassignment {
  ticket_id: number;
  from_assignee_id: number | null;
  to_assignee_id: number;
}

export interface Handover {
  id: number;
  from_region_id: number;
  to_region_id: number | null;
  shift_ended_at: string;
  items: HandoverItem[];
  reassigned: Reassignment[];
  notes: string;
  acknowledged: boolean;
  acknowledged_at: string | null;
  acknowledged_by: number | null;
  created_at: string;
}

export interface HandoverFilter {
  regionId: number | null;
  unacknowledged: boolean;
  page: number;
}

export const handoverKeys = {
  all: ['agent', 'handovers'] as const,
  list: (f: HandoverFilter) => ['agent', 'handovers', 'list', f] as const,
  waiting: (regionId: number) => ['agent', 'handovers', 'waiting', regionId] as const,
  one: (id: number) => ['agent', 'handovers', 'one', id] as const,
};

export const HANDOVERS_PER_PAGE = 20;

/** Newest shift change first, optionally for one region (either side) or only the unacknowledged. */
export function useHandovers(f: HandoverFilter) {
  return useQuery({
    queryKey: handoverKeys.list(f),
    queryFn: async () => {
      const q = new URLSearchParams({ page: String(f.page), per_page: String(HANDOVERS_PER_PAGE) });
      if (f.regionId !== null) q.set('region_id', String(f.regionId));
      if (f.unacknowledged) q.set('acknowledged', 'false');
      return get<{ handovers: Handover[]; next_page: string | null; previous_page: string | null }>(`/api/v2/handovers?${q}`);
    },
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
}

/** Handovers to the agent's region that nobody has acknowledged yet: the sidebar's badge. */
export function useWaitingHandovers(regionId: number | null | undefined) {
  return useQuery({
    queryKey: handoverKeys.waiting(regionId ?? 0),
    queryFn: async () => (await get<{ handovers: Handover[] }>(`/api/v2/handovers?to_region_id=${regionId}&acknowledged=false&per_page=100`)).handovers.length,
    enabled: !!regionId,
    refetchInterval: 60_000,
  });
}

export function useHandover(id: number) {
  return useQuery({ queryKey: handoverKeys.one(id), queryFn: async () => (await get<{ handover: Handover }>(`/api/v2/handovers/${id}`)).handover });
}

function useHandoverWrite<V>(id: number, write: (v: V) => Promise<{ handover: Handover }>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: (data) => {
      qc.setQueryData(handoverKeys.one(id), data.handover);
      void qc.invalidateQueries({ queryKey: handoverKeys.all });
    },
  });
}

/** The outgoing region's notes for the incoming one. */
export const useSaveHandoverNotes = (id: number) => useHandoverWrite(id, (notes: string) => put<{ handover: Handover }>(`/api/v2/handovers/${id}`, { handover: { notes } }));

/** The incoming region confirms it has taken the handover over (once; a second time is a 422 naming who did). */
export const useAcknowledgeHandover = (id: number) => useHandoverWrite(id, () => post<{ handover: Handover }>(`/api/v2/handovers/${id}/acknowledge`, {}));
