import type { Executor } from '../../platform/db.js';
import type { Organization, Ticket, User } from '../../platform/db-types.js';
import { presentGroup } from '../accounts/groups.presenter.js';
import { presentOrganization } from '../accounts/organizations.presenter.js';
import { presentUser } from '../accounts/users.presenter.js';
import type { TicketExtras } from '../tickets/tickets.presenter.js';
import { ticketExtras } from '../tickets/ticket-views.js';
import { cursorPage, encodeCursor, timePage, type Keyed, type Position } from './incremental.paging.js';
import { presentExportOrganization, presentExportTickets, presentTicketEvents } from './incremental.presenter.js';
import { fetchAudits, fetchOrganizations, fetchTickets, fetchUsers, groupsOfUsers, organizationsByIds, type AuditRow } from './incremental.repository.js';

/**
 * The incremental exports as use cases, shared by the HTTP routes and `sundial export zendesk`:
 * each returns the presented records of one page and where the next page starts.
 */
export interface ExportScope {
  db: Executor;
  /** Base of the `url` fields and links (the client's base URL, or PUBLIC_URL for files). */
  base: string;
  /** Export horizon: rows at or after it wait for a later request. */
  until: Date;
}

export interface PageStart {
  cursor?: Position;
  startTime?: number;
  perPage: number;
}

export interface CursorResult<T> {
  rows: T[];
  records: unknown[];
  afterCursor: string;
  endOfStream: boolean;
}

export interface TimeResult<T> {
  rows: T[];
  records: unknown[];
  endTime: number;
  endOfStream: boolean;
}

type WithExtras = { extras: Map<number, TicketExtras> };

/** A page of tickets, with their extras for side-loads. */
export async function ticketsByCursor(s: ExportScope, start: PageStart, options: { excludeDeleted: boolean }): Promise<CursorResult<Keyed<Ticket>> & WithExtras> {
  const page = await cursorPage(fetchTickets(s.db, options), start, start.perPage, s.until);
  const extras = await ticketExtras(s.db, page.rows);
  return { rows: page.rows, extras, records: await presentExportTickets(s.db, s.base, page.rows, extras), afterCursor: encodeCursor(page.after), endOfStream: page.endOfStream };
}

export async function ticketsByTime(s: ExportScope, startTime: number, perPage: number, options: { excludeDeleted: boolean }): Promise<TimeResult<Keyed<Ticket>> & WithExtras> {
  const page = await timePage(fetchTickets(s.db, options), startTime, perPage, s.until);
  const extras = await ticketExtras(s.db, page.rows);
  return { rows: page.rows, extras, records: await presentExportTickets(s.db, s.base, page.rows, extras), endTime: page.endTime, endOfStream: page.endOfStream };
}

export async function usersByCursor(s: ExportScope, start: PageStart): Promise<CursorResult<Keyed<User>>> {
  const page = await cursorPage(fetchUsers(s.db), start, start.perPage, s.until);
  return { rows: page.rows, records: page.rows.map((u) => presentUser(s.base, u)), afterCursor: encodeCursor(page.after), endOfStream: page.endOfStream };
}

export async function usersByTime(s: ExportScope, startTime: number, perPage: number): Promise<TimeResult<Keyed<User>>> {
  const page = await timePage(fetchUsers(s.db), startTime, perPage, s.until);
  return { rows: page.rows, records: page.rows.map((u) => presentUser(s.base, u)), endTime: page.endTime, endOfStream: page.endOfStream };
}

export async function organizationsByTime(s: ExportScope, startTime: number, perPage: number): Promise<TimeResult<Keyed<Organization>>> {
  const page = await timePage(fetchOrganizations(s.db), startTime, perPage, s.until);
  return { rows: page.rows, records: page.rows.map((o) => presentExportOrganization(s.base, o)), endTime: page.endTime, endOfStream: page.endOfStream };
}

/** Cursor paging over organizations: not a Zendesk endpoint, but what the file exporter walks. */
export async function organizationsByCursor(s: ExportScope, start: PageStart): Promise<CursorResult<Keyed<Organization>>> {
  const page = await cursorPage(fetchOrganizations(s.db), start, start.perPage, s.until);
  return { rows: page.rows, records: page.rows.map((o) => presentExportOrganization(s.base, o)), afterCursor: encodeCursor(page.after), endOfStream: page.endOfStream };
}

export async function ticketEventsByTime(s: ExportScope, startTime: number, perPage: number, options: { comments: boolean }): Promise<TimeResult<Keyed<AuditRow>>> {
  const page = await timePage(fetchAudits(s.db), startTime, perPage, s.until);
  return { rows: page.rows, records: await presentTicketEvents(s.db, s.base, page.rows, options), endTime: page.endTime, endOfStream: page.endOfStream };
}

/** `include=organizations,groups` on the user export. */
export async function userSideLoads(db: Executor, base: string, users: User[], include: Set<string>): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  if (include.has('organizations')) out.organizations = (await organizationsByIds(db, users.map((u) => u.organization_id).filter((x): x is number => x !== null))).map((o) => presentOrganization(base, o));
  if (include.has('groups')) out.groups = (await groupsOfUsers(db, users.map((u) => u.id))).map((g) => presentGroup(base, g));
  return out;
}

/** An absolute export link in Zendesk's `.json` form, starting with the base the client used. */
export function exportUrl(base: string, path: string, params: Record<string, string>): string {
  const query = new URLSearchParams(params).toString();
  return `${base}/api/v2/${path}.json${query ? `?${query}` : ''}`;
}
