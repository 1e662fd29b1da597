import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { ApiError, get, post } from '../../api/client';
import type { Comment, CommentAuthor, RequestListPage, SatisfactionRating, SupportRequest, TicketField, TicketForm } from './types';

export const PER_PAGE = 25;

/** The three request lists a customer has; the keys double as the `?tab=` values. */
export const LIST_PATHS = {
  mine: '/api/v2/requests',
  ccd: '/api/v2/requests/ccd',
  organization: '/api/v2/requests/organization',
} as const;
export type ListScope = keyof typeof LIST_PATHS;

export interface ListParams {
  page: number;
  /** Comma-separated API statuses, or '' for all. */
  status: string;
  sortOrder: 'asc' | 'desc';
}

const query = (params: Record<string, string | number | undefined>) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  return q.toString();
};

/** Next-page links are absolute URLs built from the server's host; we only need path and query. */
const relative = (url: string) => {
  const u = new URL(url, window.location.origin);
  return `${u.pathname}${u.search}`;
};

export function useRequestList(scope: ListScope, p: ListParams, enabled = true) {
  return useQuery({
    queryKey: ['requests', scope, p],
    queryFn: () => get<RequestListPage>(`${LIST_PATHS[scope]}?${query({ page: p.page, per_page: PER_PAGE, sort_order: p.sortOrder, status: p.status })}`),
    // Keep the rows on screen while paging or filtering, but never show one tab's rows under another.
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[1] === scope ? previous : undefined),
    enabled,
  });
}

/** Whether the customer has organization requests at all (the tab is hidden otherwise). */
export function useOrganizationRequestCount() {
  return useQuery({
    queryKey: ['requests', 'organization', 'count'],
    queryFn: async () => (await get<RequestListPage>(`${LIST_PATHS.organization}?per_page=1`)).count,
    staleTime: 60_000,
  });
}

export type SearchResult = { supported: true; page: RequestListPage } | { supported: false };

/**
 * Full-text search over everything the customer can see. The endpoint is newer than the lists: when
 * the server answers 404 (no such route yet, so "search" is read as a request id) we report it as
 * unsupported and the page falls back to filtering what it has loaded.
 */
export function useRequestSearch(text: string, p: ListParams) {
  return useQuery({
    queryKey: ['requests', 'search', text, p],
    queryFn: async (): Promise<SearchResult> => {
      try {
        const page = await get<RequestListPage>(`/api/v2/requests/search?${query({ query: text, page: p.page, per_page: PER_PAGE, sort_order: p.sortOrder, status: p.status })}`);
        return { supported: true, page };
      } catch (e) {
        if (e instanceof ApiError && [404, 405, 501].includes(e.status)) return { supported: false };
        throw e;
      }
    },
    enabled: text.trim().length > 0,
    placeholderData: keepPreviousData,
  });
}

export function useSupportRequest(id: number) {
  return useQuery({
    queryKey: ['request', id],
    queryFn: async () => (await get<{ request: SupportRequest }>(`/api/v2/requests/${id}`)).request,
    enabled: id > 0,
    // Agents answer while the page is open; a gentle poll shows replies without a reload.
    refetchInterval: 30_000,
  });
}

export function useConversation(id: number) {
  return useQuery({
    queryKey: ['request', id, 'comments'],
    queryFn: async () => {
      const comments: Comment[] = [];
      const users = new Map<number, CommentAuthor>();
      let next: string | null = `/api/v2/requests/${id}/comments?per_page=100`;
      // Long conversations span pages; follow them (bounded, in case of a server bug looping).
      for (let i = 0; next && i < 20; i++) {
        const page: { comments: Comment[]; users: CommentAuthor[]; next_page: string | null } = await get(next);
        comments.push(...page.comments);
        page.users.forEach((u) => users.set(u.id, u));
        next = page.next_page ? relative(page.next_page) : null;
      }
      return { comments, users };
    },
    enabled: id > 0,
    refetchInterval: 30_000,
  });
}

/** Forms and fields change rarely (admins edit them); fetched together because every form needs both. */
export function useFormsAndFields() {
  return useQuery({
    queryKey: ['portal', 'forms'],
    queryFn: async () => {
      const [forms, fields] = await Promise.all([get<{ ticket_forms: TicketForm[] }>('/api/v2/ticket_forms'), get<{ ticket_fields: TicketField[] }>('/api/v2/ticket_fields')]);
      return { forms: forms.ticket_forms, fields: new Map(fields.ticket_fields.map((f) => [f.id, f])) };
    },
    staleTime: 5 * 60_000,
  });
}

/** The requester rates a solved request (and may change it until it closes); answers the saved rating. */
export async function rateRequest(id: number, score: 'good' | 'bad', comment: string): Promise<SatisfactionRating> {
  const res = await post<{ satisfaction_rating: { id: number; score: 'good' | 'bad'; comment: string | null } }>(`/api/v2/tickets/${id}/satisfaction_rating`, {
    satisfaction_rating: { score, comment },
  });
  return { id: res.satisfaction_rating.id, score: res.satisfaction_rating.score, comment: res.satisfaction_rating.comment };
}
