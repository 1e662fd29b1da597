import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { ApiError, get, post, put } from '../../api/client';
import { refreshLists, refreshTicket } from './queries';
import type { TicketPriority, TicketStatus, TicketUpdate } from './types';

/*
 * Engineering escalations (spec §9): what the ticket panel and the engineering board read and write.
 * Every query lives under ['agent', 'escalations'], so one invalidation refreshes the panel and the board.
 */

export type EscalationStage = 'escalated' | 'confirmed_product_issue' | 'action_plan_created' | 'action_plan_executed' | 'fix_in_production' | 'closed_without_change';
export type Classification = 'bug' | 'feature_request' | 'configuration' | 'unsupported_configuration' | 'needs_info';
export type Team = 'support' | 'sustained_engineering' | 'product' | 'customer_success' | 'leadership';

export interface EscalationLink {
  id: number;
  url: string;
  kind: 'pull_request' | 'issue';
}

export interface Escalation {
  id: number;
  ticket_id: number;
  classification: Classification;
  summary: string;
  stage: EscalationStage;
  teams: Team[];
  fix_version: string | null;
  created_by: number;
  open: boolean;
  links: EscalationLink[];
  /** When each stage was reached, oldest first (skipped stages are absent). */
  stage_history: { stage: EscalationStage; fix_version: string | null; changed_by: number | null; via: 'api' | 'github' | 'issues'; changed_at: string }[];
  created_at: string;
  updated_at: string;
  closed_at: string | null;
}

/** A ticket as `?include=tickets` side-loads it: enough for a board card. */
export interface EscalatedTicket {
  id: number;
  subject: string;
  priority: TicketPriority | null;
  status: TicketStatus;
  organization_id: number | null;
  organization_name: string | null;
  support_plan: string | null;
  created_at: string;
}

export interface EscalationList {
  escalations: Escalation[];
  tickets?: EscalatedTicket[];
  count: number;
}

/** The ticket update with the reason that lets an agent solve despite an open escalation. */
export type SolveOverrideUpdate = TicketUpdate & { solve_override_reason?: string };

export const escalationKeys = {
  all: ['agent', 'escalations'] as const,
  ofTicket: (ticketId: number) => ['agent', 'escalations', 'ticket', ticketId] as const,
  board: (open: boolean) => ['agent', 'escalations', 'board', open] as const,
  templates: (fixVersion: string) => ['agent', 'escalations', 'templates', fixVersion] as const,
};

/** Every escalation of one ticket, oldest first (at most one is open). */
export function useTicketEscalations(ticketId: number) {
  return useQuery({
    queryKey: escalationKeys.ofTicket(ticketId),
    queryFn: async () => (await get<EscalationList>(`/api/v2/tickets/${ticketId}/escalations`)).escalations,
  });
}

/** The board's escalations with their tickets; open ones oldest first, closed ones most recent first. */
export function useEscalationBoard(open: boolean, enabled = true) {
  return useQuery({
    queryKey: escalationKeys.board(open),
    queryFn: () => get<EscalationList>(`/api/v2/escalations?open=${open}&include=tickets${open ? '' : '&sort_order=desc'}`),
    enabled,
    refetchInterval: 60_000,
  });
}

/**
 * The customer update each stage posts by default, worded by the server (the fix version, when the
 * agent has typed one, goes into the "fix in production" text).
 */
export function useUpdateTemplates(fixVersion = '') {
  return useQuery({
    queryKey: escalationKeys.templates(fixVersion.trim()),
    queryFn: async () => {
      const q = fixVersion.trim() ? `?fix_version=${encodeURIComponent(fixVersion.trim())}` : '';
      return (await get<{ templates: Record<EscalationStage, string> }>(`/api/v2/escalations/templates${q}`)).templates;
    },
    staleTime: Infinity,
    placeholderData: keepPreviousData,
  });
}

/** After any escalation write: the escalation lists, and the ticket (status, the posted update, lists). */
function refreshAfter(qc: QueryClient, ticketId: number, ticketChanged: boolean) {
  void qc.invalidateQueries({ queryKey: escalationKeys.all });
  if (ticketChanged) {
    void refreshTicket(qc, ticketId);
    void refreshLists(qc);
  }
}

/** Blank fields may be left out: the API then names them in its 422, and a missing update posts the template. */
export interface EscalateInput {
  classification?: Classification;
  summary?: string;
  teams?: Team[];
  customer_update?: string;
}

/** Escalates the ticket: it goes on hold and the customer update is posted as a public reply. */
export function useEscalateTicket(ticketId: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (escalation: EscalateInput) => post<{ escalation: Escalation }>(`/api/v2/tickets/${ticketId}/escalations`, { escalation }),
    onSuccess: () => refreshAfter(qc, ticketId, true),
  });
}

export interface EscalationChange {
  stage?: EscalationStage;
  fix_version?: string;
  teams?: Team[];
  customer_update?: string;
}

/** Moves the stage (posting the customer update) or edits fix version and teams. */
export function useUpdateEscalation(escalation: Pick<Escalation, 'id' | 'ticket_id'>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (change: EscalationChange) => put<{ escalation: Escalation }>(`/api/v2/escalations/${escalation.id}`, { escalation: change }),
    onSuccess: (_data, change) => refreshAfter(qc, escalation.ticket_id, change.stage !== undefined),
  });
}

/** Links an issue (e.g. Jira MM-61234) or a GitHub pull request; webhooks then move the stage. */
export function useAddLink(escalation: Pick<Escalation, 'id' | 'ticket_id'>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (url: string) => post<{ escalation: Escalation }>(`/api/v2/escalations/${escalation.id}/links`, { link: { url } }),
    onSuccess: () => refreshAfter(qc, escalation.ticket_id, false),
  });
}

/** The first message the API gave for a field, or nothing. */
export const fieldError = (error: unknown, field: string) => (error instanceof ApiError ? error.field(field) : undefined);

/**
 * The message of a solve refused because an escalation is still open (422, detail error SolveBlocked
 * on `status`), or null for any other failure.
 */
export function solveBlockedMessage(error: unknown): string | null {
  if (!(error instanceof ApiError) || error.status !== 422) return null;
  const detail = error.details.status?.find((d) => d.error === 'SolveBlocked');
  return detail ? detail.description : null;
}
