import type { Group, GroupMembershipsTable } from '../../platform/db-types.js';
import type { Selectable } from 'kysely';
import { resourceUrl } from '../../platform/http.js';
import { iso } from './users.presenter.js';

export const presentGroup = (base: string, g: Group) => ({
  url: resourceUrl(base, `groups/${g.id}`),
  id: g.id,
  name: g.name,
  description: g.description,
  default: g.is_default,
  deleted: g.deleted_at !== null,
  is_public: g.is_public,
  /** One of the groups the support workflows route to (Technical Support, Sales, Sustained Engineering): not deletable. */
  workflow: g.key !== null,
  created_at: iso(g.created_at),
  updated_at: iso(g.updated_at),
});

export const presentMembership = (base: string, m: Selectable<GroupMembershipsTable>) => ({
  url: resourceUrl(base, `group_memberships/${m.id}`),
  id: m.id,
  user_id: m.user_id,
  group_id: m.group_id,
  default: m.is_default,
  created_at: iso(m.created_at),
  updated_at: iso(m.updated_at),
});
