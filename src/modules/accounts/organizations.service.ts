import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.js';
import { organizationColumns } from '../../platform/columns.js';
import type { Executor } from '../../platform/db.js';
import { compiledByIds } from '../../platform/compiled-once.js';
import { PREPARED } from '../../platform/prepared-statements.js';
import type { Organization, Plan } from '../../platform/db-types.js';
import { invalid, notFound } from '../../platform/errors.js';
import { changeSet, recordAdminAction } from '../audit-log/audit-log.service.js';

/** Organizations by id, in id order (side-loads, exports): one prepared statement text for any number of them. */
export const findOrganizations: (db: Executor, ids: number[]) => Promise<Organization[]> = compiledByIds((db, ids) =>
  db.selectFrom('organizations').modifyFront(PREPARED).select(organizationColumns).where('organizations.id', '=', ids).orderBy('organizations.id'),
);

export interface OrganizationInput {
  name?: string;
  supportPlan?: Plan;
  timeZone?: string;
  domainNames?: string[];
  sharedTickets?: boolean;
  sharedComments?: boolean;
  externalId?: string | null;
  details?: string | null;
  notes?: string | null;
  tags?: string[];
}

export async function getOrganization(db: Executor, id: number): Promise<Organization> {
  const org = await db.selectFrom('organizations').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  if (!org) throw notFound();
  return org;
}

async function assertUnique(db: Executor, input: OrganizationInput, exceptId?: number) {
  if (input.name !== undefined) {
    const clash = await db
      .selectFrom('organizations')
      .select('id')
      .where(sql`lower(name)`, '=', input.name.toLowerCase())
      .where('deleted_at', 'is', null)
      .$if(exceptId !== undefined, (q) => q.where('id', '<>', exceptId!))
      .executeTakeFirst();
    if (clash) throw invalid('name', `Name: ${input.name} has already been taken`, 'DuplicateValue');
  }
  for (const domain of input.domainNames ?? []) {
    const owner = await db
      .selectFrom('organizations')
      .select(['id', 'name'])
      .where('domain_names', '@>', sql<string[]>`ARRAY[${domain}]::text[]`)
      .where('deleted_at', 'is', null)
      .$if(exceptId !== undefined, (q) => q.where('id', '<>', exceptId!))
      .executeTakeFirst();
    if (owner) throw invalid('domain_names', `Domain names: ${domain} already belongs to ${owner.name}`, 'DuplicateValue');
  }
}

const columns = (input: OrganizationInput) => ({
  name: input.name,
  support_plan: input.supportPlan,
  time_zone: input.timeZone,
  domain_names: input.domainNames,
  shared_tickets: input.sharedTickets,
  shared_comments: input.sharedComments,
  external_id: input.externalId,
  details: input.details,
  notes: input.notes,
  tags: input.tags,
});

/** What the admin audit log keeps of an organization. */
const organizationSummary = (o: Organization) => ({
  name: o.name,
  support_plan: o.support_plan,
  time_zone: o.time_zone,
  domain_names: o.domain_names,
  shared_tickets: o.shared_tickets,
  shared_comments: o.shared_comments,
  external_id: o.external_id,
  details: o.details,
  notes: o.notes,
  tags: o.tags,
});

export async function createOrganization(ctx: AppContext, input: OrganizationInput & { name: string }): Promise<Organization> {
  return ctx.db.transaction().execute(async (tx) => {
    // Serialize organization writes so the name/domain uniqueness checks cannot race.
    await sql`SELECT pg_advisory_xact_lock(hashtext('sundial.organizations'))`.execute(tx);
    await assertUnique(tx, input);
    const org = await tx.insertInto('organizations').values({ ...columns(input), name: input.name, updated_at: new Date() }).returningAll().executeTakeFirstOrThrow();
    await recordAdminAction(tx, { action: 'create', sourceType: 'organization', sourceId: org.id, sourceLabel: org.name, change: 'Organization created', after: organizationSummary(org) });
    return org;
  });
}

export async function updateOrganization(ctx: AppContext, { id, changes }: { id: number; changes: OrganizationInput }): Promise<Organization> {
  return ctx.db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext('sundial.organizations'))`.execute(tx);
    const before = await getOrganization(tx, id);
    await assertUnique(tx, changes, id);
    const org = await tx.updateTable('organizations').set({ ...columns(changes), updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    await recordAdminAction(tx, { action: 'update', sourceType: 'organization', sourceId: id, sourceLabel: org.name, ...changeSet(organizationSummary(before), organizationSummary(org)) });
    return org;
  });
}

/** Soft delete: tickets keep their organization for history; members are detached. */
export async function deleteOrganization(ctx: AppContext, id: number): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const org = await getOrganization(tx, id);
    await tx.updateTable('organizations').set({ deleted_at: new Date(), updated_at: new Date() }).where('id', '=', id).execute();
    const detached = await tx.updateTable('users').set({ organization_id: null, updated_at: new Date() }).where('organization_id', '=', id).executeTakeFirst();
    const members = Number(detached.numUpdatedRows);
    await recordAdminAction(tx, { action: 'destroy', sourceType: 'organization', sourceId: id, sourceLabel: org.name, change: `Organization deleted; ${members} member(s) detached`, before: organizationSummary(org) });
  });
}
