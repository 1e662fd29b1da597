import type { User } from '../../platform/db-types.js';
import { resourceUrl } from '../../platform/http.js';

const iso = (d: Date | null | undefined) => (d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : null);
export { iso };

/** Zendesk's user object. `full` adds agent-only fields (notes, details). */
export function presentUser(base: string, u: User, full = true) {
  return {
    id: u.id,
    url: resourceUrl(base, `users/${u.id}`),
    name: u.name,
    email: u.email,
    created_at: iso(u.created_at),
    updated_at: iso(u.updated_at),
    time_zone: u.time_zone,
    iana_time_zone: u.time_zone,
    phone: u.phone,
    shared_phone_number: null,
    photo: null,
    locale_id: 1,
    locale: 'en-US',
    organization_id: u.organization_id,
    role: u.role,
    role_type: null,
    custom_role_id: null,
    verified: u.verified,
    external_id: u.external_id,
    tags: u.tags,
    alias: null,
    active: u.active,
    shared: false,
    shared_agent: false,
    last_login_at: iso(u.last_login_at),
    two_factor_auth_enabled: null,
    signature: null,
    details: full ? u.details : null,
    notes: full ? u.notes : null,
    moderator: u.role !== 'end-user',
    ticket_restriction: u.role === 'end-user' ? (u.ticket_restriction ?? 'requested') : null,
    only_private_comments: false,
    restricted_agent: false,
    suspended: u.suspended,
    default_group_id: u.default_group_id,
    report_csv: u.role === 'admin',
    chat_only: false,
    region_id: u.region_id,
    away: u.away,
    user_fields: {},
  };
}

/** What an end user may learn about another person on a shared ticket: name and role, no contact data beyond email. */
export function presentUserPublic(base: string, u: User) {
  return {
    id: u.id,
    url: resourceUrl(base, `users/${u.id}`),
    name: u.name,
    email: u.email,
    role: u.role,
    organization_id: u.role === 'end-user' ? u.organization_id : null,
    photo: null,
    agent: u.role !== 'end-user',
  };
}

export const anonymousUser = {
  id: null,
  url: null,
  name: 'Anonymous user',
  email: 'invalid@example.com',
  role: 'end-user',
  active: true,
  verified: false,
  organization_id: null,
  locale: 'en-US',
  locale_id: 1,
  time_zone: null,
  tags: [],
  user_fields: {},
};
