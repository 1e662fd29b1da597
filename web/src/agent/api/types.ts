/** The Zendesk-shaped records the agent workspace reads (only the fields it uses). */

export type TicketStatus = 'new' | 'open' | 'pending' | 'hold' | 'solved' | 'closed';
export type TicketPriority = 'urgent' | 'high' | 'normal' | 'low';

export interface CustomFieldValue {
  id: number;
  value: string | number | boolean | string[] | null;
}

export interface Ticket {
  id: number;
  subject: string;
  /** The latest satisfaction survey of this ticket: offered, or rated good/bad with a comment. */
  satisfaction_rating: { id?: number; score: 'offered' | 'good' | 'bad'; comment?: string | null } | null;
  description: string;
  status: TicketStatus;
  priority: TicketPriority | null;
  requester_id: number;
  assignee_id: number | null;
  group_id: number | null;
  organization_id: number | null;
  ticket_form_id: number | null;
  collaborator_ids: number[];
  email_cc_ids: number[];
  tags: string[];
  custom_fields: CustomFieldValue[];
  do_not_close: boolean;
  created_at: string;
  updated_at: string;
  via: { channel: string };
  followup_ids: number[];
  via_followup_source_id: number | null;
  /** When the soonest running, not yet breached SLA target is due; null when none is running. */
  sla_next_breach_at: string | null;
  /** Set while a running target is breached: the list shows it red. */
  sla_breached_since: string | null;
}

export interface User {
  id: number;
  name: string;
  email: string;
  role: 'end-user' | 'agent' | 'admin';
  organization_id: number | null;
  time_zone?: string | null;
  iana_time_zone?: string | null;
}

export interface Organization {
  id: number;
  name: string;
  support_plan: string | null;
  time_zone: string | null;
}

export interface Group {
  id: number;
  name: string;
}

export interface View {
  id: number;
  title: string;
  position: number;
  /** The view's own default order, used until the agent clicks a column. */
  execution?: { sort_by: string; sort_order: 'asc' | 'desc' };
}

export interface ViewCount {
  view_id: number;
  value: number | null;
  fresh: boolean;
}

export interface Attachment {
  id: number;
  file_name: string;
  content_url: string;
  content_type: string;
  size: number;
}

export interface Comment {
  id: number;
  author_id: number;
  body: string;
  html_body: string;
  public: boolean;
  created_at: string;
  attachments: Attachment[];
}

export interface AuditEvent {
  id?: number;
  type: 'Create' | 'Change' | 'Comment' | string;
  field_name?: string;
  value?: unknown;
  previous_value?: unknown;
  public?: boolean;
}

export interface Audit {
  id: number;
  author_id: number | null;
  created_at: string;
  via: { channel: string };
  events: AuditEvent[];
}

/** What the signed-in agent may do with one ticket (sent by the server beside the ticket). */
export interface Abilities {
  can_edit: boolean;
  can_reply_publicly: boolean;
  can_add_note: boolean;
  statuses: TicketStatus[];
  can_take: boolean;
  can_solve: boolean;
  can_delete: boolean;
}

export interface TicketField {
  id: number;
  type: string;
  title: string;
  active: boolean;
  removable: boolean;
  custom_field_options?: { id: number; name: string; value: string; active?: boolean }[];
}

export interface TicketForm {
  id: number;
  name: string;
  ticket_field_ids: number[];
}

/** A page of tickets with Zendesk side-loads. */
export interface TicketPage {
  tickets: Ticket[];
  users?: User[];
  organizations?: Organization[];
  groups?: Group[];
  next_page: string | null;
  previous_page: string | null;
  count?: number;
}

export interface TicketShow {
  ticket: Ticket;
  users?: User[];
  organizations?: Organization[];
  groups?: Group[];
  abilities?: Abilities;
}

/** Body of PUT /api/v2/tickets/:id, as the workspace sends it. */
export interface TicketUpdate {
  status?: TicketStatus;
  priority?: TicketPriority;
  assignee_id?: number | null;
  group_id?: number | null;
  do_not_close?: boolean;
  email_ccs?: { user_email: string; action: 'put' | 'delete' }[];
  custom_fields?: CustomFieldValue[];
  comment?: { body: string; public: boolean; uploads?: string[] };
}

export type SlaStage = 'active' | 'paused' | 'achieved' | 'breached';

/** One clock instance with a target, from `?include=slas` (the target is split into days, hours, minutes). */
export interface SlaPolicyMetric {
  metric: string;
  instance_id: number;
  stage: SlaStage;
  breach_at: string | null;
  business_hours: boolean;
  policy_id: number;
  days: number;
  hours: number;
  minutes: number;
  elapsed_minutes: number;
}

/** One entry of the SLA ledger; `sla` only on apply_sla (null when no target applies any more). */
export interface TicketMetricEvent {
  id: number;
  metric: string;
  instance_id: number;
  type: 'activate' | 'pause' | 'fulfill' | 'apply_sla' | 'breach';
  time: string;
  sla?: { target: number; business_hours: boolean; policy: { id: number } } | null;
}
