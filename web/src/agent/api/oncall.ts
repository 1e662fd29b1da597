import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { get, post, put } from '../../api/client';
import { agentKeys, refreshTicket } from './queries';
import type { OnCallRole, OnCallSchedule, Region, RoutingSettings } from '../../api/shifts';
import type { Ticket, User } from './types';

export type { OnCallSchedule, OnCallShift, Region, RoutingSettings } from '../../api/shifts';

/*
 * Premier paging, on-call rotations and follow-the-sun regions (spec §9.3, §10) as the workspace reads
 * them. Pages are raised and re-sent by background jobs, so the lists that show them are polled.
 */

export type PageStatus = 'open' | 'acknowledged' | 'resolved';
export type PageLevel = OnCallRole;
export type PageReason = 'created' | 'priority_raised' | 'first_reply_75';

/** One POST (or email) of a page to one target; one row per target, send and event. */
export interface PageDelivery {
  id: number;
  target_id: number;
  target_name: string;
  kind: 'mattermost' | 'slack' | 'pagerduty' | 'email';
  send: number;
  event: 'trigger' | 'acknowledge' | 'resolve';
  level: PageLevel;
  user_id: number | null;
  status: 'queued' | 'sent' | 'failed';
  attempts: number;
  response_status: number | null;
  error: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface Page {
  id: number;
  ticket_id: number;
  schedule_id: number | null;
  reason: PageReason;
  level: PageLevel;
  /** Who is being paged (null when nobody was on call). */
  user_id: number | null;
  status: PageStatus;
  sends: number;
  /** Next repeat while open. */
  next_send_at: string | null;
  /** Hand-off to the backup while open at primary level. */
  escalate_at: string | null;
  created_at: string;
  acknowledged_at: string | null;
  acknowledged_by: number | null;
  acknowledged_via: 'agent' | 'link' | null;
  resolved_at: string | null;
  resolved_reason: string | null;
  deliveries: PageDelivery[];
}

export interface Person {
  id: number;
  name: string;
  email: string;
}

/** Who answers a page right now on one schedule. */
export interface OnCallNow {
  schedule_id: number;
  schedule_name: string;
  paging: boolean;
  primary_id: number | null;
  backup_id: number | null;
  starts_at: string;
  ends_at: string;
  overridden: PageLevel[];
  primary: Person | null;
  backup: Person | null;
}

export type StaffMember = User & { region_id: number | null; away: boolean; active?: boolean };

export const oncallKeys = {
  pages: ['agent', 'pages'] as const,
  openPages: ['agent', 'pages', 'open'] as const,
  ticketPages: (ticketId: number) => ['agent', 'pages', 'ticket', ticketId] as const,
  pageTickets: (ids: number[]) => ['agent', 'pages', 'tickets', ids] as const,
  onCallNow: ['agent', 'on-call', 'now'] as const,
  schedules: ['agent', 'on-call', 'schedules'] as const,
  regions: ['agent', 'regions'] as const,
  routing: ['agent', 'routing'] as const,
  me: ['agent', 'me'] as const,
};

const THIRTY_SECONDS = 30_000;

/** Open pages across the desk, oldest first: the header's pager. */
export function useOpenPages() {
  return useQuery({
    queryKey: oncallKeys.openPages,
    queryFn: async () => (await get<{ pages: Page[] }>('/api/v2/pages?status=open')).pages,
    refetchInterval: THIRTY_SECONDS,
  });
}

/** Subjects for a handful of tickets (the pager lists pages by ticket). */
export function useTicketSubjects(ids: number[]) {
  const unique = [...new Set(ids)].sort((a, b) => a - b);
  return useQuery({
    queryKey: oncallKeys.pageTickets(unique),
    queryFn: async () => new Map((await get<{ tickets: Pick<Ticket, 'id' | 'subject'>[] }>(`/api/v2/tickets/show_many?ids=${unique.join(',')}`)).tickets.map((t) => [t.id, t.subject])),
    enabled: unique.length > 0,
    staleTime: 5 * 60_000,
  });
}

/** Every page of one ticket with its deliveries, oldest first. */
export function useTicketPages(ticketId: number) {
  return useQuery({
    queryKey: oncallKeys.ticketPages(ticketId),
    queryFn: async () => (await get<{ pages: Page[] }>(`/api/v2/tickets/${ticketId}/pages`)).pages,
    refetchInterval: THIRTY_SECONDS,
  });
}

/** Takes a page: repeats stop, and the acknowledgement is recorded on the ticket. */
export function useAcknowledgePage() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (page: Pick<Page, 'id' | 'ticket_id'>) => post<{ page: Page; already_acknowledged: boolean }>(`/api/v2/pages/${page.id}/acknowledge`, {}),
    onSuccess: (_data, page) => {
      void qc.invalidateQueries({ queryKey: oncallKeys.pages });
      void refreshTicket(qc, page.ticket_id);
    },
  });
}

export function useOnCallNow() {
  return useQuery({
    queryKey: oncallKeys.onCallNow,
    queryFn: async () => (await get<{ at: string; on_call: OnCallNow[] }>('/api/v2/on_call/now')).on_call,
    refetchInterval: 60_000,
  });
}

export function useOnCallSchedules() {
  return useQuery({
    queryKey: oncallKeys.schedules,
    queryFn: async () => (await get<{ schedules: OnCallSchedule[] }>('/api/v2/on_call/schedules')).schedules,
    refetchInterval: 60_000,
  });
}

/** Regions in display order, with who is on shift now (the server's clock decides). */
export function useRegions() {
  return useQuery({
    queryKey: oncallKeys.regions,
    queryFn: async () => (await get<{ regions: Region[] }>('/api/v2/regions')).regions,
    refetchInterval: 60_000,
  });
}

export function useRoutingSettings() {
  return useQuery({ queryKey: oncallKeys.routing, queryFn: async () => (await get<{ routing: RoutingSettings }>('/api/v2/routing/settings')).routing, staleTime: 5 * 60_000 });
}

/** The signed-in agent's full profile (the session carries neither region nor away). */
export function useMe() {
  return useQuery({ queryKey: oncallKeys.me, queryFn: async () => (await get<{ user: StaffMember }>('/api/v2/users/me')).user });
}

/** Sets the signed-in agent away (routing skips them) or back. */
export function useSetAway(userId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (away: boolean) => put<{ user: StaffMember }>(`/api/v2/users/${userId}`, { user: { away } }),
    onSuccess: (data) => {
      qc.setQueryData(oncallKeys.me, data.user);
      void qc.invalidateQueries({ queryKey: agentKeys.agents });
      void qc.invalidateQueries({ queryKey: oncallKeys.regions });
    },
  });
}
