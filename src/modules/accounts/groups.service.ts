import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.js';
import { groupColumns } from '../../platform/columns.js';
import { compiledByIds } from '../../platform/compiled-once.js';
import { PREPARED } from '../../platform/prepared-statements.js';
import { cachedConfig } from '../../platform/config-cache.js';
import type { Executor } from '../../platform/db.js';
import type { Group } from '../../platform/db-types.js';
import { invalid, notFound } from '../../platform/errors.js';
import { changeSet, recordAdminAction } from '../audit-log/audit-log.service.js';

/** Groups by id (side-loads): one prepared statement text for any number of them. */
export const findGroups: (db: Executor, ids: number[]) => Promise<Group[]> = compiledByIds((db, ids) =>
  db.selectFrom('groups').modifyFront(PREPARED).select(groupColumns).where('groups.id', '=', ids),
);

export async function getGroup(db: Executor, id: number): Promise<Group> {
  const group = await db.selectFrom('groups').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  if (!group) throw notFound();
  return group;
}

export const groupByKey = (db: Executor, key: string) =>
  db.selectFrom('groups').selectAll().where('key', '=', key).where('deleted_at', 'is', null).executeTakeFirst();

/** groupByKey from the node's configuration cache (a form's default group on every new ticket). */
export const cachedGroupByKey = (db: Executor, key: string) => cachedConfig(db, `group-key:${key}`, (d) => groupByKey(d, key));

/** What the admin audit log keeps of a group. */
const groupSummary = (g: Group) => ({ name: g.name, description: g.description, is_public: g.is_public });

async function assertNameFree(db: Executor, name: string, exceptId?: number) {
  const clash = await db
    .selectFrom('groups')
    .select('id')
    .where(sql`lower(name)`, '=', name.toLowerCase())
    .where('deleted_at', 'is', null)
    .$if(exceptId !== undefined, (q) => q.where('id', '<>', exceptId!))
    .executeTakeFirst();
  if (clash) throw invalid('name', `Name: ${name} has already been taken`, 'DuplicateValue');
}

export async function createGroup(ctx: AppContext, input: { name: string; description?: string; isPublic?: boolean }): Promise<Group> {
  return ctx.db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext('sundial.groups'))`.execute(tx);
    await assertNameFree(tx, input.name);
    const group = await tx
      .insertInto('groups')
      .values({ name: input.name, description: input.description ?? '', is_public: input.isPublic ?? true, updated_at: new Date() })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAdminAction(tx, { action: 'create', sourceType: 'group', sourceId: group.id, sourceLabel: group.name, change: 'Group created', after: groupSummary(group) });
    return group;
  });
}

export async function updateGroup(ctx: AppContext, { id, name, description }: { id: number; name?: string; description?: string }): Promise<Group> {
  return ctx.db.transaction().execute(async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext('sundial.groups'))`.execute(tx);
    const before = await getGroup(tx, id);
    if (name !== undefined) await assertNameFree(tx, name, id);
    const group = await tx.updateTable('groups').set({ name, description, updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    await recordAdminAction(tx, { action: 'update', sourceType: 'group', sourceId: id, sourceLabel: group.name, ...changeSet(groupSummary(before), groupSummary(group)) });
    return group;
  });
}

/** The workflow groups (Technical Support, Sales, Sustained Engineering) cannot be deleted. */
export async function deleteGroup(ctx: AppContext, id: number): Promise<void> {
  const group = await getGroup(ctx.db, id);
  if (group.key) throw invalid('base', `${group.name} is used by the support workflows and cannot be deleted`);
  await ctx.db.transaction().execute(async (tx) => {
    await tx.updateTable('groups').set({ deleted_at: new Date(), updated_at: new Date() }).where('id', '=', id).execute();
    const removed = await tx.deleteFrom('group_memberships').where('group_id', '=', id).executeTakeFirst();
    const members = Number(removed.numDeletedRows);
    await recordAdminAction(tx, { action: 'destroy', sourceType: 'group', sourceId: id, sourceLabel: group.name, change: `Group deleted; ${members} membership(s) removed`, before: groupSummary(group) });
  });
}

export async function addMembership(ctx: AppContext, { userId, groupId, isDefault }: { userId: number; groupId: number; isDefault?: boolean }) {
  return ctx.db.transaction().execute(async (tx) => {
    const group = await getGroup(tx, groupId);
    const user = await tx.selectFrom('users').select(['id', 'role', 'email']).where('id', '=', userId).executeTakeFirst();
    if (!user) throw invalid('user_id', `User: ${userId} does not exist`);
    if (user.role === 'end-user') throw invalid('user_id', 'User: only agents and admins can be members of a group');
    const existing = await tx.selectFrom('group_memberships').selectAll().where('user_id', '=', userId).where('group_id', '=', groupId).executeTakeFirst();
    if (existing) throw invalid('user_id', 'User: is already a member of this group', 'DuplicateValue');
    if (isDefault) await tx.updateTable('group_memberships').set({ is_default: false }).where('user_id', '=', userId).execute();
    const membership = await tx
      .insertInto('group_memberships')
      .values({ user_id: userId, group_id: groupId, is_default: !!isDefault, updated_at: new Date() })
      .returningAll()
      .executeTakeFirstOrThrow();
    if (isDefault) await tx.updateTable('users').set({ default_group_id: groupId }).where('id', '=', userId).execute();
    await recordAdminAction(tx, { action: 'member_add', sourceType: 'group', sourceId: groupId, sourceLabel: group.name, change: `${user.email} added${isDefault ? ' (default group)' : ''}`, after: { user_id: userId, default: !!isDefault } });
    return membership;
  });
}

export async function removeMembership(ctx: AppContext, id: number): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const gone = await tx.deleteFrom('group_memberships').where('id', '=', id).returningAll().executeTakeFirst();
    if (!gone) throw notFound();
    const names = await tx
      .selectFrom('groups')
      .innerJoin('users', (j) => j.on('users.id', '=', gone.user_id))
      .select(['groups.name', 'users.email'])
      .where('groups.id', '=', gone.group_id)
      .executeTakeFirst();
    await recordAdminAction(tx, {
      action: 'member_remove',
      sourceType: 'group',
      sourceId: gone.group_id,
      sourceLabel: names?.name ?? `group ${gone.group_id}`,
      change: `${names?.email ?? `user ${gone.user_id}`} removed`,
      before: { user_id: gone.user_id, default: gone.is_default },
    });
  });
}
