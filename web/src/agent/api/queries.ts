import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { ApiError, get, put } from '../../api/client';
import type { Audit, Comment, Group, Organization, Ticket, TicketField, TicketForm, TicketPage, TicketShow, TicketUpdate, User, View, ViewCount } from './types';

/** Every query of the workspace lives under 'agent', so signing out or a ticket change can refresh them together. */
export const agentKeys = {
  views: ['agent', 'views'] as const,
  viewCounts: (ids: number[]) => ['agent', 'view-counts', ids] as const,
  viewTickets: (viewId: number, params: ViewParams) => ['agent', 'view-tickets', viewId, params] as const,
  ticket: (id: number) => ['agent', 'ticket', id] as const,
  comments: (id: number) => ['agent', 'comments', id] as const,
  audits: (id: number) => ['agent', 'audits', id] as const,
  /** Targets and ledger share one prefix, so a ticket change refreshes both. */
  sla: (id: number) => ['agent', 'sla', id] as const,
  slaMetrics: (id: number) => ['agent', 'sla', id, 'metrics'] as const,
  slaEvents: (id: number) => ['agent', 'sla', id, 'events'] as const,
  requested: (userId: number) => ['agent', 'requested', userId] as const,
  forms: ['agent', 'forms'] as const,
  fields: ['agent', 'fields'] as const,
  groups: ['agent', 'groups'] as const,
  agents: ['agent', 'agents'] as const,
};

export type SortField = 'id' | 'created_at' | 'updated_at' | 'priority' | 'status' | 'subject' | 'sla_next_breach_at' | 'solved_at';
/**
 * Without a sort the server applies the view's own order. Views page by cursor: `after`/`before` are the
 * server's meta.after_cursor / meta.before_cursor (none: the first page), so a deep page costs what page 1 does.
 */
export interface ViewParams {
  perPage: number;
  after?: string;
  before?: string;
  sortBy?: SortField;
  sortOrder?: 'asc' | 'desc';
}

/** A cursor page of a view (Zendesk's shape: no count; meta.has_more says whether a next page exists). */
export interface ViewTicketPage extends Omit<TicketPage, 'next_page' | 'previous_page' | 'count'> {
  meta: { has_more: boolean; after_cursor: string | null; before_cursor: string | null };
}

/** The views of the sidebar, in their configured order. */
export function useViews() {
  return useQuery({
    queryKey: agentKeys.views,
    queryFn: async () => (await get<{ views: View[] }>('/api/v2/views')).views.slice().sort((a, b) => a.position - b.position),
    staleTime: 5 * 60_000,
  });
}

/** Ticket counts per view; refreshed every minute because other agents keep moving tickets. */
export function useViewCounts(ids: number[]) {
  return useQuery({
    queryKey: agentKeys.viewCounts(ids),
    queryFn: async () => {
      const res = await get<{ view_counts: ViewCount[] }>(`/api/v2/views/count_many?ids=${ids.join(',')}`);
      return new Map(res.view_counts.map((c) => [c.view_id, c]));
    },
    enabled: ids.length > 0,
    refetchInterval: 60_000,
  });
}

export function useViewTickets(viewId: number, params: ViewParams) {
  return useQuery({
    queryKey: agentKeys.viewTickets(viewId, params),
    queryFn: () => {
      const q = new URLSearchParams({ 'page[size]': String(params.perPage), include: 'users,organizations,groups' });
      if (params.after) q.set('page[after]', params.after);
      else if (params.before) q.set('page[before]', params.before);
      if (params.sortBy) q.set('sort_by', params.sortBy);
      if (params.sortOrder) q.set('sort_order', params.sortOrder);
      return get<ViewTicketPage>(`/api/v2/views/${viewId}/tickets?${q}`);
    },
    placeholderData: (previous) => previous,
    refetchInterval: 60_000,
  });
}

export function useTicket(id: number) {
  return useQuery({ queryKey: agentKeys.ticket(id), queryFn: () => get<TicketShow>(`/api/v2/tickets/${id}?include=users,groups,organizations,abilities`) });
}

const MAX_PAGES = 20;

/** Follows next_page links (at most MAX_PAGES of 100): a long conversation must not silently end at 100. */
async function allPages<K extends string, T>(path: string, key: K): Promise<{ items: T[]; users: User[] }> {
  const items: T[] = [];
  const users: User[] = [];
  let next: string | null = path;
  for (let page = 0; next && page < MAX_PAGES; page++) {
    const res: Record<K, T[]> & { users?: User[]; next_page: string | null } = await get(next);
    items.push(...res[key]);
    users.push(...(res.users ?? []));
    // next_page is an absolute URL; only its path is requested, so the call stays on this origin.
    next = res.next_page ? new URL(res.next_page).pathname + new URL(res.next_page).search : null;
  }
  return { items, users };
}

/** Conversation with its authors (the authors of later comments are not in the ticket's side-load). */
export function useComments(id: number) {
  return useQuery({
    queryKey: agentKeys.comments(id),
    queryFn: async () => {
      const { items, users } = await allPages<'comments', Comment>(`/api/v2/tickets/${id}/comments?include=users&per_page=100`, 'comments');
      return { comments: items, users: new Map(users.map((u) => [u.id, u])) };
    },
  });
}

export function useAudits(id: number) {
  return useQuery({ queryKey: agentKeys.audits(id), queryFn: async () => (await allPages<'audits', Audit>(`/api/v2/tickets/${id}/audits?per_page=100`, 'audits')).items });
}

export function useRequestedTickets(userId: number | undefined) {
  return useQuery({
    queryKey: agentKeys.requested(userId ?? 0),
    queryFn: async () => (await get<TicketPage>(`/api/v2/users/${userId}/tickets/requested?per_page=20&sort_order=desc`)).tickets,
    enabled: !!userId,
  });
}

/** Forms and fields change rarely (an administrator edits them), so they stay cached for the session. */
export function useFormsAndFields() {
  const forms = useQuery({ queryKey: agentKeys.forms, queryFn: async () => (await get<{ ticket_forms: TicketForm[] }>('/api/v2/ticket_forms')).ticket_forms, staleTime: 10 * 60_000 });
  const fields = useQuery({ queryKey: agentKeys.fields, queryFn: async () => (await get<{ ticket_fields: TicketField[] }>('/api/v2/ticket_fields')).ticket_fields, staleTime: 10 * 60_000 });
  return { forms, fields };
}

export function useGroups() {
  return useQuery({ queryKey: agentKeys.groups, queryFn: async () => (await get<{ groups: Group[] }>('/api/v2/groups?per_page=100')).groups, staleTime: 10 * 60_000 });
}

export function useAgents() {
  return useQuery({
    queryKey: agentKeys.agents,
    queryFn: async () => (await get<{ users: User[] }>('/api/v2/users?role[]=agent&role[]=admin&per_page=100')).users,
    staleTime: 5 * 60_000,
  });
}

/** Re-reads one ticket and everything derived from it (after our own write or someone else's). */
export function refreshTicket(qc: QueryClient, id: number) {
  return Promise.all([
    qc.invalidateQueries({ queryKey: agentKeys.ticket(id) }),
    qc.invalidateQueries({ queryKey: agentKeys.comments(id) }),
    qc.invalidateQueries({ queryKey: agentKeys.audits(id) }),
    // Replies and status changes start, pause and fulfil SLA clocks.
    qc.invalidateQueries({ queryKey: agentKeys.sla(id) }),
  ]);
}

/** Lists and counts depend on every ticket's status and assignee. */
export const refreshLists = (qc: QueryClient) =>
  Promise.all([qc.invalidateQueries({ queryKey: ['agent', 'view-tickets'] }), qc.invalidateQueries({ queryKey: ['agent', 'view-counts'] }), qc.invalidateQueries({ queryKey: ['agent', 'requested'] })]);

/**
 * A safe update: the server refuses it with 409 UpdateConflict when the ticket changed after
 * `stamp` (the updated_at the agent was looking at), so nobody overwrites a change they never saw.
 */
export function putTicket(id: number, changes: TicketUpdate, stamp: string) {
  return put<TicketShow>(`/api/v2/tickets/${id}?include=users,groups,organizations,abilities`, { ticket: { ...changes, safe_update: true, updated_stamp: stamp } });
}

export function useUpdateTicket(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ changes, stamp }: { changes: TicketUpdate; stamp: string }) => putTicket(id, changes, stamp),
    onSuccess: (data) => {
      qc.setQueryData(agentKeys.ticket(id), (old: TicketShow | undefined) => ({ ...old, ...data, abilities: data.abilities ?? old?.abilities }));
      void refreshTicket(qc, id);
      void refreshLists(qc);
    },
  });
}

export const isConflict = (e: unknown) => e instanceof ApiError && e.status === 409;

/** All messages of a failed write, field details included ("Assignee: is required when solving a ticket"). */
export function errorMessages(e: unknown): string[] {
  if (!(e instanceof ApiError)) return ['Something went wrong. Please try again.'];
  const details = Object.values(e.details).flatMap((list) => list.map((d) => d.description));
  return details.length ? details : [e.message];
}
