import { z } from 'zod';
import { emailField, idField, nameField, passwordField, timeZoneField } from '../../platform/validation.js';
import type { UserChanges } from './users.service.js';

const role = z.enum(['end-user', 'agent', 'admin']);
const tags = z.array(z.string().trim().min(1).max(80)).max(100);

const userFields = {
  role: role.optional(),
  organization_id: idField.nullable().optional(),
  region_id: idField.nullable().optional(),
  /** Agents set themselves away; routing skips them. */
  away: z.boolean().optional(),
  time_zone: timeZoneField.nullable().optional(),
  iana_time_zone: timeZoneField.nullable().optional(),
  external_id: z.string().max(255).nullable().optional(),
  phone: z.string().max(50).nullable().optional(),
  details: z.string().max(10_000).nullable().optional(),
  notes: z.string().max(10_000).nullable().optional(),
  tags: tags.optional(),
  ticket_restriction: z.enum(['requested', 'organization']).nullable().optional(),
  suspended: z.boolean().optional(),
  verified: z.boolean().optional(),
  /** Admins may reactivate a deactivated account (deactivation is DELETE). */
  active: z.literal(true).optional(),
  default_group_id: idField.nullable().optional(),
};

/** POST /users (and each item of users/create_many). */
export const userCreateSchema = z.object({ user: z.object({ name: nameField, email: emailField, password: passwordField.optional(), send_invite: z.boolean().optional(), ...userFields }) });
/** PUT /users/{id}. */
export const userUpdateSchema = z.object({ user: z.object({ name: nameField.optional(), ...userFields }) });

export type UserCreateInput = z.output<typeof userCreateSchema>['user'];
type UserFieldsInput = z.output<typeof userUpdateSchema>['user'];

export const toUserChanges = (u: UserFieldsInput): UserChanges => ({
  name: u.name,
  role: u.role,
  organizationId: u.organization_id,
  regionId: u.region_id,
  away: u.away,
  timeZone: u.iana_time_zone ?? u.time_zone,
  externalId: u.external_id,
  phone: u.phone,
  details: u.details,
  notes: u.notes,
  tags: u.tags,
  ticketRestriction: u.ticket_restriction,
  suspended: u.suspended,
  verified: u.verified,
  active: u.active,
  defaultGroupId: u.default_group_id,
});
