import type { Organization } from '../../platform/db-types.js';
import { resourceUrl } from '../../platform/http.js';
import { iso } from './users.presenter.js';

export function presentOrganization(base: string, o: Organization, full = true) {
  return {
    url: resourceUrl(base, `organizations/${o.id}`),
    id: o.id,
    name: o.name,
    shared_tickets: o.shared_tickets,
    shared_comments: o.shared_comments,
    external_id: o.external_id,
    created_at: iso(o.created_at),
    updated_at: iso(o.updated_at),
    domain_names: o.domain_names,
    details: full ? o.details : null,
    notes: full ? o.notes : null,
    group_id: null,
    tags: o.tags,
    support_plan: o.support_plan,
    time_zone: o.time_zone,
    organization_fields: { support_plan: o.support_plan, time_zone: o.time_zone },
  };
}
