/**
 * Row types of the tables in db/migrations, written by hand: the migrations are the source of truth
 * and these mirror them column for column.
 */
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type Id = ColumnType<number, number | undefined, never>;
type Ref = number;
type NullableRef = number | null;
type Stamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableStamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, string | undefined, string>;

export type Plan = 'free' | 'professional' | 'enterprise' | 'premier';
export type Role = 'end-user' | 'agent' | 'admin';
export type Status = 'new' | 'open' | 'pending' | 'hold' | 'solved' | 'closed';
export type Priority = 'urgent' | 'high' | 'normal' | 'low';
export type TicketType = 'problem' | 'incident' | 'question' | 'task';
export type FormKind = 'technical' | 'sales';

export interface OrganizationsTable {
  id: Id;
  name: string;
  support_plan: Generated<Plan>;
  time_zone: Generated<string>;
  domain_names: Generated<string[]>;
  shared_tickets: Generated<boolean>;
  shared_comments: Generated<boolean>;
  external_id: string | null;
  details: string | null;
  notes: string | null;
  tags: Generated<string[]>;
  created_at: Generated<Date>;
  updated_at: Stamp;
  deleted_at: NullableStamp;
}

export interface GroupsTable {
  id: Id;
  name: string;
  description: Generated<string>;
  key: string | null;
  is_default: Generated<boolean>;
  is_public: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Stamp;
  deleted_at: NullableStamp;
}

export interface UsersTable {
  id: Id;
  name: string;
  email: string;
  role: Generated<Role>;
  organization_id: NullableRef;
  password_hash: string | null;
  verified: Generated<boolean>;
  active: Generated<boolean>;
  suspended: Generated<boolean>;
  time_zone: string | null;
  region_id: NullableRef;
  away: Generated<boolean>;
  last_routed_at: NullableStamp;
  default_group_id: NullableRef;
  ticket_restriction: 'requested' | 'organization' | null;
  external_id: string | null;
  phone: string | null;
  details: string | null;
  notes: string | null;
  tags: Generated<string[]>;
  last_login_at: NullableStamp;
  created_at: Generated<Date>;
  updated_at: Stamp;
}

export interface GroupMembershipsTable {
  id: Id;
  user_id: Ref;
  group_id: Ref;
  is_default: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Stamp;
}

export interface SessionsTable {
  id: Id;
  user_id: Ref;
  token_hash: Buffer;
  csrf_token: string;
  created_at: Generated<Date>;
  expires_at: Stamp;
  revoked_at: NullableStamp;
}

export interface ApiTokensTable {
  id: Id;
  user_id: Ref;
  description: Generated<string>;
  token_hash: Buffer;
  created_at: Generated<Date>;
  last_used_at: NullableStamp;
  revoked_at: NullableStamp;
}

export interface UserTokensTable {
  id: Id;
  user_id: Ref;
  purpose: 'verify' | 'reset';
  token_hash: Buffer;
  created_at: Generated<Date>;
  expires_at: Stamp;
  used_at: NullableStamp;
  voided_at: NullableStamp;
}

export interface RateLimitHitsTable {
  key: string;
  window_start: Stamp;
  hits: Generated<number>;
}

/** OAuth clients registered by admins (0021); the secret is kept as its digest only. */
export interface OauthClientsTable {
  id: Id;
  name: string;
  identifier: string;
  company: string | null;
  description: string | null;
  logo_url: string | null;
  kind: Generated<'confidential' | 'public'>;
  redirect_uri: Generated<string[]>;
  secret_hash: Buffer;
  user_id: NullableRef;
  created_at: Generated<Date>;
  updated_at: Stamp;
}

/** Authorization codes: single use, short-lived, digest only. */
export interface OauthCodesTable {
  id: Id;
  client_id: Ref;
  user_id: Ref;
  code_hash: Buffer;
  redirect_uri: string;
  scopes: string[];
  code_challenge: string | null;
  code_challenge_method: 'S256' | null;
  created_at: Generated<Date>;
  expires_at: Stamp;
  used_at: NullableStamp;
}

/** OAuth access tokens (Bearer), digest only; never expire, may be revoked. */
export interface OauthTokensTable {
  id: Id;
  client_id: Ref;
  user_id: Ref;
  code_id: NullableRef;
  token_hash: Buffer;
  scopes: string[];
  created_at: Generated<Date>;
  used_at: NullableStamp;
  revoked_at: NullableStamp;
}

export interface TicketFieldsTable {
  id: Id;
  type: string;
  key: string | null;
  title: string;
  title_in_portal: string;
  description: Generated<string>;
  agent_description: string | null;
  position: Generated<number>;
  active: Generated<boolean>;
  required: Generated<boolean>;
  required_in_portal: Generated<boolean>;
  visible_in_portal: Generated<boolean>;
  editable_in_portal: Generated<boolean>;
  regexp_for_validation: string | null;
  removable: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Stamp;
}

export interface TicketFieldOptionsTable {
  id: Id;
  field_id: Ref;
  name: string;
  value: string;
  description: Generated<string>;
  position: Generated<number>;
  is_default: Generated<boolean>;
  active: Generated<boolean>;
}

export interface FieldCondition {
  parent_field_id: number;
  value: string;
  child_fields: { id: number; is_required: boolean }[];
}

export interface TicketFormsTable {
  id: Id;
  kind: FormKind;
  name: string;
  display_name: string;
  description: Generated<string>;
  position: Generated<number>;
  active: Generated<boolean>;
  end_user_visible: Generated<boolean>;
  is_default: Generated<boolean>;
  end_user_conditions: Json<FieldCondition[]>;
  agent_conditions: Json<FieldCondition[]>;
  default_group_key: string;
  created_at: Generated<Date>;
  updated_at: Stamp;
}

export interface TicketFormFieldsTable {
  form_id: Ref;
  field_id: Ref;
  position: number;
}

export interface TicketsTable {
  id: Id;
  form_id: Ref;
  subject: string;
  description: string;
  priority: Priority | null;
  type: TicketType | null;
  status: Status;
  requester_id: Ref;
  submitter_id: Ref;
  assignee_id: NullableRef;
  group_id: NullableRef;
  organization_id: NullableRef;
  do_not_close: Generated<boolean>;
  via_channel: Generated<string>;
  via_followup_source_id: NullableRef;
  external_id: string | null;
  tags: Generated<string[]>;
  custom_fields: Json<Record<string, unknown>>;
  created_at: Generated<Date>;
  updated_at: Stamp;
  solved_at: NullableStamp;
  closed_at: NullableStamp;
  deleted_at: NullableStamp;
  sla_next_breach_at: NullableStamp;
  sla_breached_since: NullableStamp;
  /** Since when the ticket waits on the requester (status pending); drives reminders and auto-solve. */
  pending_since: NullableStamp;
  pending_reminders_sent: Generated<number>;
  /** Why the pending auto-solve could not run (no assignee, a solve guard), once recorded. */
  pending_auto_solve_blocked: string | null;
}

export interface TicketCollaboratorsTable {
  ticket_id: Ref;
  user_id: Ref;
  created_at: Generated<Date>;
}

export interface TicketAuditsTable {
  id: Id;
  ticket_id: Ref;
  author_id: NullableRef;
  via_channel: string;
  metadata: Json<Record<string, unknown>>;
  created_at: Generated<Date>;
}

export interface TicketCommentsTable {
  id: Id;
  ticket_id: Ref;
  audit_id: Ref;
  author_id: Ref;
  body: string;
  html_body: string;
  public: boolean;
  via_channel: string;
  created_at: Generated<Date>;
  mail_message_id: Generated<string | null>;
}

export interface TicketAuditEventsTable {
  id: Id;
  audit_id: Ref;
  type: string;
  field_name: string | null;
  value: Json<unknown> | null;
  previous_value: Json<unknown> | null;
  comment_id: NullableRef;
}

export interface UploadsTable {
  id: Id;
  token: string;
  uploader_id: Ref;
  created_at: Generated<Date>;
  expires_at: Stamp;
  consumed_at: NullableStamp;
}

export interface AttachmentsTable {
  id: Id;
  upload_id: NullableRef;
  ticket_id: NullableRef;
  comment_id: NullableRef;
  uploader_id: Ref;
  file_name: string;
  content_type: string;
  size: number;
  sha256: string;
  storage_key: string;
  created_at: Generated<Date>;
  deleted_at: NullableStamp;
}

export interface MailOutboxTable {
  id: Id;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  message_id: string;
  in_reply_to: string | null;
  references_ids: Generated<string[]>;
  ticket_id: NullableRef;
  kind: string;
  created_at: Generated<Date>;
  sent_at: NullableStamp;
  attempts: Generated<number>;
  last_error: string | null;
  reply_to: string | null;
  from_name: string | null;
}

export interface InboundMailTable {
  id: Id;
  message_id: string;
  from_address: string;
  to_addresses: Generated<string[]>;
  subject: Generated<string>;
  channel: 'smtp' | 'http';
  outcome: 'comment' | 'ticket' | 'follow_up' | 'ignored' | 'rejected';
  reason: string | null;
  ticket_id: NullableRef;
  comment_id: NullableRef;
  size_bytes: number;
  received_at: Generated<Date>;
}

export interface TicketViewersTable {
  ticket_id: number;
  user_id: number;
  connection_id: string;
  seen_at: Generated<Date>;
}

export type SlaMetric = 'first_reply_time' | 'next_reply_time' | 'pausable_update_time' | 'periodic_update_time' | 'requester_wait_time' | 'agent_work_time';

export interface SlaPoliciesTable {
  id: Id;
  title: string;
  description: Generated<string>;
  plan: Exclude<Plan, 'free'>;
  position: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Stamp;
}

export interface SlaPolicyMetricsTable {
  id: Id;
  policy_id: number;
  priority: Priority;
  metric: SlaMetric;
  target_minutes: number;
  business_hours: boolean;
  internal: Generated<boolean>;
}

export interface TicketMetricEventsTable {
  id: Id;
  ticket_id: number;
  metric: string;
  instance_id: number;
  type: 'activate' | 'pause' | 'fulfill' | 'apply_sla' | 'breach';
  time: Stamp;
  sla: Json<{ policy_id: number; target: number; business_hours: boolean } | null> | null;
  recorded_at: Generated<Date>;
}

export interface BusinessSchedulesTable {
  id: Id;
  name: string;
  time_zone: string;
  intervals: Json<{ start_time: number; end_time: number }[]>;
  is_default: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Stamp;
}

export interface BusinessHolidaysTable {
  id: Id;
  schedule_id: number;
  name: string;
  start_date: ColumnType<string, string, string>;
  end_date: ColumnType<string, string, string>;
  created_at: Generated<Date>;
}

export interface SlaWarningsTable {
  ticket_id: number;
  metric: string;
  instance_id: number;
  breach_at: Stamp;
  warned_at: Generated<Date>;
}

export type EscalationStage = 'escalated' | 'confirmed_product_issue' | 'action_plan_created' | 'action_plan_executed' | 'fix_in_production' | 'closed_without_change';

export interface EscalationsTable {
  id: Id;
  ticket_id: number;
  classification: 'bug' | 'feature_request' | 'configuration' | 'unsupported_configuration' | 'needs_info';
  summary: string;
  stage: Generated<EscalationStage>;
  teams: Generated<string[]>;
  fix_version: string | null;
  created_by: number;
  created_at: Generated<Date>;
  updated_at: Stamp;
  closed_at: NullableStamp;
}

export interface EscalationLinksTable {
  id: Id;
  escalation_id: number;
  url: string;
  kind: 'pull_request' | 'issue';
  pr_key: string | null;
  issue_key: Generated<string | null>;
  created_at: Generated<Date>;
}

export interface EscalationStageChangesTable {
  id: Id;
  escalation_id: number;
  stage: EscalationStage;
  fix_version: string | null;
  changed_by: NullableRef;
  via: Generated<string>;
  changed_at: Generated<Date>;
}

export interface RegionsTable {
  id: Id;
  name: string;
  /** Minutes after midnight UTC. */
  shift_start: number;
  shift_end: number;
  shift_days: Generated<number[]>;
  position: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Stamp;
}

export interface SettingsTable {
  key: string;
  value: Json<unknown>;
  updated_at: Generated<Date>;
}

/** One row: changes whenever configuration does (migration 0028). */
export interface ConfigVersionTable {
  singleton: Generated<boolean>;
  version: Generated<string>;
}

export interface RoutingQueueTable {
  ticket_id: number;
  urgent: boolean;
  queued_at: Generated<Date>;
}

export interface HandoverItem {
  ticket_id: number;
  subject: string;
  priority: string | null;
  status: string;
  assignee_id: number | null;
  reasons: ('urgent_high' | 'customer_waiting' | 'sla_due_soon' | 'unassigned')[];
  due_at: string | null;
}

export interface HandoversTable {
  id: Id;
  from_region_id: number;
  to_region_id: number | null;
  shift_ended_at: Date;
  items: Json<HandoverItem[]>;
  reassigned: Json<{ ticket_id: number; from_assignee_id: number | null; to_assignee_id: number }[]>;
  notes: Generated<string>;
  created_at: Generated<Date>;
  acknowledged_at: NullableStamp;
  acknowledged_by: NullableRef;
}

export interface OnCallSchedulesTable {
  id: Id;
  name: string;
  time_zone: Generated<string>;
  rotation_start: Date;
  rotation_hours: Generated<number>;
  participant_ids: Generated<number[]>;
  paging: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Stamp;
}

export interface OnCallOverridesTable {
  id: Id;
  schedule_id: number;
  role: 'primary' | 'backup';
  user_id: number;
  starts_at: Date;
  ends_at: Date;
  created_at: Generated<Date>;
}

export type PagingKind = 'mattermost' | 'slack' | 'pagerduty' | 'email';

export interface PagingTargetsTable {
  id: Id;
  name: string;
  kind: PagingKind;
  url: string | null;
  routing_key: string | null;
  active: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Stamp;
}

export interface PagesTable {
  id: Id;
  ticket_id: number;
  schedule_id: NullableRef;
  reason: 'created' | 'priority_raised' | 'first_reply_75';
  level: Generated<'primary' | 'backup'>;
  user_id: NullableRef;
  status: Generated<'open' | 'acknowledged' | 'resolved'>;
  sends: Generated<number>;
  next_send_at: Date;
  escalate_at: Date;
  created_at: ColumnType<Date, Date | undefined, Date>;
  acknowledged_at: NullableStamp;
  acknowledged_by: NullableRef;
  acknowledged_via: string | null;
  resolved_at: NullableStamp;
  resolved_reason: string | null;
}

export interface PageDeliveriesTable {
  id: Id;
  page_id: number;
  target_id: number;
  send_no: number;
  event: Generated<'trigger' | 'acknowledge' | 'resolve'>;
  level: string;
  user_id: NullableRef;
  status: Generated<'queued' | 'sent' | 'failed'>;
  attempts: Generated<number>;
  response_status: number | null;
  error: string | null;
  created_at: Generated<Date>;
  sent_at: NullableStamp;
}

export type SatisfactionScore = 'offered' | 'good' | 'bad';

export interface SatisfactionRatingsTable {
  id: Id;
  ticket_id: number;
  /** tickets.solved_at of the solve the survey is about: one survey per solve. */
  ticket_solved_at: Date;
  requester_id: number;
  assignee_id: NullableRef;
  group_id: NullableRef;
  score: SatisfactionScore;
  comment: string | null;
  offered_at: NullableStamp;
  rated_at: NullableStamp;
  created_at: Generated<Date>;
  updated_at: Stamp;
}

/** One row per ticket: what the reports count (db/migrations/0016_report_facts.sql). */
export interface TicketFactsTable {
  ticket_id: number;
  created_at: Date | string;
  solved_at: Date | string | null;
  status: Status;
  deleted: Generated<boolean>;
  plan: Plan;
  priority: Priority | null;
  form_kind: FormKind;
  category: string | null;
  group_id: NullableRef;
  assignee_id: NullableRef;
  organization_id: NullableRef;
  first_reply_minutes: number | null;
  first_reply_calendar_minutes: number | null;
  first_reply_sla: 'achieved' | 'breached' | null;
  next_reply_minutes: ColumnType<number[], number[] | undefined, number[]>;
  next_reply_achieved: Generated<number>;
  next_reply_breached: Generated<number>;
  updates_achieved: Generated<number>;
  updates_breached: Generated<number>;
  requester_wait_minutes: number | null;
  resolution_minutes: number | null;
  csat_score: 'good' | 'bad' | null;
  csat_rated_at: NullableStamp;
  csat_rating_id: NullableRef;
  csat_has_comment: Generated<boolean>;
  replayed: Generated<boolean>;
  refreshed_at: Generated<Date>;
  /** xid8 of the writing transaction, as text. */
  txid: Generated<string>;
}

/** Records brought in by `sundial import zendesk` (db/migrations/0018_incremental_and_import.sql). */
export interface ZendeskImportItemsTable {
  kind: 'organization' | 'group' | 'user' | 'ticket';
  source_id: number;
  sundial_id: number;
  outcome: 'created' | 'matched';
  sla_pending: Generated<boolean>;
  imported_at: Generated<Date>;
}

export type JobStatusState = 'queued' | 'working' | 'completed' | 'failed' | 'killed';

/** A bulk API job (db/migrations/0019_bulk_jobs.sql); `payload` is the request it runs. */
export interface JobStatusesTable {
  id: string;
  seq: Generated<number>;
  user_id: number;
  actor_via: string;
  job_type: string;
  status: Generated<JobStatusState>;
  total: number;
  message: string | null;
  payload: Json<unknown>;
  attempts: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Stamp;
  completed_at: NullableStamp;
}

/** One finished item of a bulk job, in Zendesk's `results` shape. */
export interface JobStatusResultsTable {
  job_status_id: string;
  index: number;
  result: Json<Record<string, unknown>>;
  created_at: Generated<Date>;
}

/** A ticket merged into another (POST /tickets/{id}/merge). */
export interface TicketMergesTable {
  source_ticket_id: number;
  target_ticket_id: number;
  job_status_id: string | null;
  merged_by: number;
  created_at: Generated<Date>;
  source_commented_at: NullableStamp;
  source_closed_at: NullableStamp;
}

/** A rule's condition as the Zendesk API speaks it (db/migrations/0020_business_rules.sql). */
export interface RuleCondition {
  field: string;
  operator: string;
  value: unknown;
}
export interface RuleAction {
  field: string;
  value: unknown;
}

export interface MacrosTable {
  id: Id;
  title: string;
  description: string | null;
  active: Generated<boolean>;
  position: Generated<number>;
  actions: Json<RuleAction[]>;
  restriction_type: 'User' | 'Group' | null;
  restriction_ids: Generated<number[]>;
  created_by: NullableRef;
  created_at: Generated<Date>;
  updated_at: Stamp;
}

export interface TriggersTable {
  id: Id;
  title: string;
  description: string | null;
  active: Generated<boolean>;
  position: Generated<number>;
  category_id: string | null;
  conditions: Json<{ all: RuleCondition[]; any: RuleCondition[] }>;
  actions: Json<RuleAction[]>;
  created_at: Generated<Date>;
  updated_at: Stamp;
}

export interface TriggerRunsTable {
  audit_id: number;
  ticket_id: number;
  fired: Generated<number[]>;
  skipped: Json<{ trigger_id: number; field: string; reason: string }[]>;
  created_at: Generated<Date>;
}

export type WebhookMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type WebhookFormat = 'json' | 'xml' | 'form_encoded';
export interface WebhookAuthentication {
  type: 'basic_auth' | 'bearer_token' | 'api_key';
  add_position: 'header';
  data: Record<string, string>;
}

export interface WebhooksTable {
  id: string;
  name: string;
  description: string | null;
  status: 'active' | 'inactive';
  endpoint: string;
  http_method: WebhookMethod;
  request_format: WebhookFormat;
  subscriptions: string[];
  authentication: ColumnType<WebhookAuthentication | null, string | null, string | null>;
  custom_headers: Json<Record<string, string>>;
  signing_secret: string;
  created_by: NullableRef;
  updated_by: NullableRef;
  created_at: Generated<Date>;
  updated_at: Stamp;
}

export interface WebhookInvocationsTable {
  id: string;
  webhook_id: string;
  event_type: Generated<string>;
  ticket_id: NullableRef;
  trigger_id: NullableRef;
  audit_id: NullableRef;
  body: string;
  status: Generated<'pending' | 'success' | 'failed'>;
  attempts: Generated<number>;
  last_status_code: number | null;
  created_at: Generated<Date>;
  completed_at: NullableStamp;
}

export interface WebhookAttemptsTable {
  id: Id;
  invocation_id: string;
  attempt: number;
  status: 'success' | 'failed';
  request_headers: Json<Record<string, string>>;
  request_body: string;
  response_status: number | null;
  response_headers: ColumnType<Record<string, string> | null, string | null, string | null>;
  response_body: string | null;
  error: string | null;
  duration_ms: number;
  completed_at: Generated<Date>;
}

export interface UserTwoFactorTable {
  user_id: number;
  secret_encrypted: string;
  enabled_at: NullableStamp;
  last_used_step: number | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface TwoFactorRecoveryCodesTable {
  id: Id;
  user_id: Ref;
  code_hash: Buffer;
  created_at: Generated<Date>;
  used_at: NullableStamp;
}

export interface LoginChallengesTable {
  id: Id;
  user_id: Ref;
  purpose: 'verify' | 'enroll';
  token_hash: Buffer;
  attempts: Generated<number>;
  created_at: Generated<Date>;
  expires_at: Stamp;
  used_at: NullableStamp;
}

export interface AdminAuditLogsTable {
  id: Id;
  actor_id: NullableRef;
  actor_label: Generated<string>;
  action: string;
  source_type: string;
  source_id: number | null;
  source_label: Generated<string>;
  change_description: Generated<string>;
  before: Json<unknown> | null;
  after: Json<unknown> | null;
  ip_address: string | null;
  user_agent: string | null;
  created_at: Generated<Date>;
}

export type ArticleVisibility = 'public' | 'signed_in' | 'organizations' | 'plans' | 'agents_only';

export interface HelpCategoriesTable {
  id: Id;
  name: string;
  description: Generated<string>;
  position: Generated<number>;
  locale: Generated<string>;
  created_at: Generated<Date>;
  updated_at: Stamp;
}

export interface HelpSectionsTable {
  id: Id;
  category_id: Ref;
  name: string;
  description: Generated<string>;
  position: Generated<number>;
  locale: Generated<string>;
  created_at: Generated<Date>;
  updated_at: Stamp;
}

export interface HelpArticlesTable {
  id: Id;
  section_id: Ref;
  author_id: NullableRef;
  locale: Generated<string>;
  position: Generated<number>;
  promoted: Generated<boolean>;
  comments_disabled: Generated<boolean>;
  label_names: Generated<string[]>;
  visibility: Generated<ArticleVisibility>;
  organization_ids: ColumnType<number[], number[] | undefined, number[]>;
  plans: ColumnType<Plan[], Plan[] | undefined, Plan[]>;
  starter_key: string | null;
  title: string;
  body_source: Generated<string>;
  edited_by: NullableRef;
  edited_at: Stamp;
  published_title: string | null;
  published_source: string | null;
  published_html: string | null;
  published_text: string | null;
  published_at: NullableStamp;
  published_by: NullableRef;
  created_at: Generated<Date>;
  updated_at: Stamp;
}

export interface HelpArticleVersionsTable {
  id: Id;
  article_id: Ref;
  number: number;
  kind: 'draft' | 'published';
  title: string;
  body_source: string;
  author_id: NullableRef;
  created_at: Generated<Date>;
}

export interface HelpArticleAttachmentsTable {
  id: Id;
  article_id: Ref;
  uploader_id: NullableRef;
  file_name: string;
  content_type: string;
  size: number;
  sha256: string;
  storage_key: string;
  inline: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface HelpArticleFeedbackTable {
  id: Id;
  article_id: Ref;
  user_id: NullableRef;
  helpful: boolean;
  comment: string | null;
  created_at: Generated<Date>;
  updated_at: Stamp;
}

export interface HelpDeflectionEventsTable {
  id: Id;
  kind: 'suggested' | 'answered';
  user_id: NullableRef;
  article_id: NullableRef;
  article_ids: ColumnType<number[], number[] | undefined, number[]>;
  subject: Generated<string>;
  form_id: NullableRef;
  created_at: Generated<Date>;
}

export interface Database {
  organizations: OrganizationsTable;
  groups: GroupsTable;
  users: UsersTable;
  group_memberships: GroupMembershipsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  user_tokens: UserTokensTable;
  rate_limit_hits: RateLimitHitsTable;
  user_two_factor: UserTwoFactorTable;
  two_factor_recovery_codes: TwoFactorRecoveryCodesTable;
  login_challenges: LoginChallengesTable;
  admin_audit_logs: AdminAuditLogsTable;
  oauth_clients: OauthClientsTable;
  oauth_codes: OauthCodesTable;
  oauth_tokens: OauthTokensTable;
  ticket_fields: TicketFieldsTable;
  ticket_field_options: TicketFieldOptionsTable;
  ticket_forms: TicketFormsTable;
  ticket_form_fields: TicketFormFieldsTable;
  tickets: TicketsTable;
  ticket_collaborators: TicketCollaboratorsTable;
  ticket_audits: TicketAuditsTable;
  ticket_comments: TicketCommentsTable;
  ticket_audit_events: TicketAuditEventsTable;
  uploads: UploadsTable;
  attachments: AttachmentsTable;
  mail_outbox: MailOutboxTable;
  inbound_mail: InboundMailTable;
  ticket_viewers: TicketViewersTable;
  sla_policies: SlaPoliciesTable;
  sla_policy_metrics: SlaPolicyMetricsTable;
  ticket_metric_events: TicketMetricEventsTable;
  business_schedules: BusinessSchedulesTable;
  business_holidays: BusinessHolidaysTable;
  sla_warnings: SlaWarningsTable;
  escalations: EscalationsTable;
  escalation_links: EscalationLinksTable;
  escalation_stage_changes: EscalationStageChangesTable;
  regions: RegionsTable;
  settings: SettingsTable;
  config_version: ConfigVersionTable;
  routing_queue: RoutingQueueTable;
  handovers: HandoversTable;
  on_call_schedules: OnCallSchedulesTable;
  on_call_overrides: OnCallOverridesTable;
  paging_targets: PagingTargetsTable;
  pages: PagesTable;
  page_deliveries: PageDeliveriesTable;
  satisfaction_ratings: SatisfactionRatingsTable;
  zendesk_import_items: ZendeskImportItemsTable;
  ticket_facts: TicketFactsTable;
  job_statuses: JobStatusesTable;
  job_status_results: JobStatusResultsTable;
  ticket_merges: TicketMergesTable;
  macros: MacrosTable;
  triggers: TriggersTable;
  trigger_runs: TriggerRunsTable;
  webhooks: WebhooksTable;
  webhook_invocations: WebhookInvocationsTable;
  webhook_attempts: WebhookAttemptsTable;
  help_categories: HelpCategoriesTable;
  help_sections: HelpSectionsTable;
  help_articles: HelpArticlesTable;
  help_article_versions: HelpArticleVersionsTable;
  help_article_attachments: HelpArticleAttachmentsTable;
  help_article_feedback: HelpArticleFeedbackTable;
  help_deflection_events: HelpDeflectionEventsTable;
}

export type User = Selectable<UsersTable>;
export type Organization = Selectable<OrganizationsTable>;
export type Group = Selectable<GroupsTable>;
export type Ticket = Selectable<TicketsTable>;
export type TicketComment = Selectable<TicketCommentsTable>;
export type Attachment = Selectable<AttachmentsTable>;
export type TicketField = Selectable<TicketFieldsTable>;
export type TicketForm = Selectable<TicketFormsTable>;
export type NewTicket = Insertable<TicketsTable>;
export type HelpArticle = Selectable<HelpArticlesTable>;
export type HelpSection = Selectable<HelpSectionsTable>;
export type HelpCategory = Selectable<HelpCategoriesTable>;
