import type { GroupsTable, OrganizationsTable, TicketAuditsTable, TicketsTable, UsersTable } from './db-types.js';

/**
 * Every column of a table by name, for statements PostgreSQL keeps prepared (`prepared-statements.ts`):
 * a prepared `SELECT *` fails once a migration adds a column to its table, a named list does not. The
 * object literal must name each column of `T` exactly once, so the list cannot fall behind the type.
 */
export function allColumns<T>() {
  return <const Table extends string>(table: Table, columns: { [K in keyof T & string]: true }) =>
    Object.keys(columns).map((c) => `${table}.${c}`) as `${Table}.${keyof T & string}`[];
}

export const ticketColumns = allColumns<TicketsTable>()('tickets', {
  id: true,
  form_id: true,
  subject: true,
  description: true,
  priority: true,
  type: true,
  status: true,
  requester_id: true,
  submitter_id: true,
  assignee_id: true,
  group_id: true,
  organization_id: true,
  do_not_close: true,
  via_channel: true,
  via_followup_source_id: true,
  external_id: true,
  tags: true,
  custom_fields: true,
  created_at: true,
  updated_at: true,
  solved_at: true,
  closed_at: true,
  deleted_at: true,
  sla_next_breach_at: true,
  sla_breached_since: true,
  pending_since: true,
  pending_reminders_sent: true,
  pending_auto_solve_blocked: true,
});

export const userColumns = allColumns<UsersTable>()('users', {
  id: true,
  name: true,
  email: true,
  role: true,
  organization_id: true,
  password_hash: true,
  verified: true,
  active: true,
  suspended: true,
  time_zone: true,
  region_id: true,
  away: true,
  last_routed_at: true,
  default_group_id: true,
  ticket_restriction: true,
  external_id: true,
  phone: true,
  details: true,
  notes: true,
  tags: true,
  last_login_at: true,
  created_at: true,
  updated_at: true,
});

export const auditColumns = allColumns<TicketAuditsTable>()('ticket_audits', { id: true, ticket_id: true, author_id: true, via_channel: true, metadata: true, created_at: true });

export const groupColumns = allColumns<GroupsTable>()('groups', { id: true, name: true, description: true, key: true, is_default: true, is_public: true, created_at: true, updated_at: true, deleted_at: true });

export const organizationColumns = allColumns<OrganizationsTable>()('organizations', {
  id: true,
  name: true,
  support_plan: true,
  time_zone: true,
  domain_names: true,
  shared_tickets: true,
  shared_comments: true,
  external_id: true,
  details: true,
  notes: true,
  tags: true,
  created_at: true,
  updated_at: true,
  deleted_at: true,
});
