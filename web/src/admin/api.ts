import { get } from '../api/client';

export type Role = 'end-user' | 'agent' | 'admin';
export type Plan = 'free' | 'professional' | 'enterprise' | 'premier';

export interface User {
  id: number;
  name: string;
  email: string;
  role: Role;
  /** The follow-the-sun region (GET /api/v2/regions) of a staff member. */
  region_id: number | null;
  /** Set by the agent: routing skips them. */
  away?: boolean;
  organization_id: number | null;
  active: boolean;
  verified: boolean;
  suspended: boolean;
  last_login_at: string | null;
}

export interface Organization {
  id: number;
  name: string;
  support_plan: Plan;
  time_zone: string;
  domain_names: string[];
  shared_tickets: boolean;
  shared_comments: boolean;
  notes: string | null;
}

export interface Group {
  id: number;
  name: string;
  description: string | null;
  default: boolean;
}

export interface Membership {
  id: number;
  user_id: number;
  group_id: number;
}

export interface FieldOption {
  id: number;
  name: string;
  value: string;
  description: string | null;
  /** Missing on servers older than option deactivation: every option is then active. */
  active?: boolean;
}

export interface TicketField {
  id: number;
  type: string;
  key?: string;
  title: string;
  description: string | null;
  active: boolean;
  required_in_portal: boolean;
  custom_field_options?: FieldOption[];
}

export interface TicketForm {
  id: number;
  name: string;
  active: boolean;
  ticket_field_ids: number[];
}

/** One page of a Zendesk offset-paginated list. */
export interface Page<T> {
  items: T[];
  count: number | null;
  hasNext: boolean;
}

export const PER_PAGE = 25;

/** Query keys in one place so writes invalidate exactly the lists they change. */
export const keys = {
  users: ['admin', 'users'] as const,
  organizations: ['admin', 'organizations'] as const,
  groups: ['admin', 'groups'] as const,
  memberships: (groupId: number) => ['admin', 'groups', groupId, 'memberships'] as const,
  fields: ['admin', 'fields'] as const,
};

function withPage(path: string, page: number, perPage: number): string {
  const sep = path.includes('?') ? '&' : '?';
  return `${path}${sep}page=${page}&per_page=${perPage}`;
}

export async function fetchPage<T>(path: string, collection: string, page: number, perPage = PER_PAGE): Promise<Page<T>> {
  const body = await get<Record<string, unknown>>(withPage(path, page, perPage));
  return { items: (body[collection] as T[]) ?? [], count: typeof body.count === 'number' ? body.count : null, hasNext: !!body.next_page };
}

/**
 * Every row of a list, for pickers (organization of a user, members of a group). The API caps a page
 * at 100, so this walks pages; the cap of 50 pages keeps a runaway list from freezing the browser.
 */
export async function fetchAll<T>(path: string, collection: string): Promise<T[]> {
  const rows: T[] = [];
  for (let page = 1; page <= 50; page++) {
    const p = await fetchPage<T>(path, collection, page, 100);
    rows.push(...p.items);
    if (!p.hasNext) break;
  }
  return rows;
}

export const STAFF_PATH = '/api/v2/users?role[]=agent&role[]=admin';
export const CUSTOMERS_PATH = '/api/v2/users?role=end-user';
