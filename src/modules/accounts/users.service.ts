import { sql } from 'kysely';
import { userColumns } from '../../platform/columns.js';
import type { Executor } from '../../platform/db.js';
import { compiledByIds, compiledOnce } from '../../platform/compiled-once.js';
import { PREPARED } from '../../platform/prepared-statements.js';
import type { Role, User } from '../../platform/db-types.js';
import type { AppContext } from '../../platform/context.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { hashPassword } from '../../platform/secrets.js';
import { normalizeEmail } from '../../platform/validation.js';
import { recordAdminAction, changeSet } from '../audit-log/audit-log.service.js';

export const findUserByEmail = (db: Executor, email: string) =>
  db.selectFrom('users').selectAll().where(sql`lower(email)`, '=', normalizeEmail(email)).executeTakeFirst();

/** A user by id, as a prepared statement: ticket writes read their requester, assignee or author so. */
const userById = compiledOnce((db, p: { id: number }) => db.selectFrom('users').modifyFront(PREPARED).select(userColumns).where('users.id', '=', p.id));
export const findUser = async (db: Executor, id: number): Promise<User | undefined> => (await userById(db, { id }))[0];

/** Users by id, in id order (side-loads): one statement text for any number of them. */
export const findUsers: (db: Executor, ids: number[]) => Promise<User[]> = compiledByIds((db, ids) =>
  db.selectFrom('users').modifyFront(PREPARED).select(userColumns).where('users.id', '=', ids).orderBy('users.id'),
);

export async function getUser(db: Executor, id: number): Promise<User> {
  const user = await findUser(db, id);
  if (!user) throw notFound();
  return user;
}

/** The organization whose `domain_names` holds the email's domain, if any. */
export async function organizationIdForEmail(db: Executor, email: string): Promise<number | null> {
  const domain = normalizeEmail(email).split('@')[1] ?? '';
  const org = await db
    .selectFrom('organizations')
    .select('id')
    .where('domain_names', '@>', sql<string[]>`ARRAY[${domain}]::text[]`)
    .where('deleted_at', 'is', null)
    .orderBy('id')
    .executeTakeFirst();
  return org?.id ?? null;
}

/** Profile and access fields shared by creating and updating a user. */
interface UserFields {
  role?: Role;
  verified?: boolean;
  organizationId?: number | null;
  regionId?: number | null;
  away?: boolean;
  timeZone?: string | null;
  externalId?: string | null;
  phone?: string | null;
  details?: string | null;
  notes?: string | null;
  tags?: string[];
  ticketRestriction?: User['ticket_restriction'];
}

export interface NewUser extends UserFields {
  name: string;
  email: string;
  password?: string;
}

/** Creates a user; email is unique case-insensitively (422 DuplicateValue, like Zendesk). */
export async function createUser(db: Executor, input: NewUser): Promise<User> {
  if (await findUserByEmail(db, input.email)) {
    throw invalid('email', `Email: ${input.email} is already being used by another user`, 'DuplicateValue');
  }
  const organizationId = input.organizationId !== undefined ? input.organizationId : await organizationIdForEmail(db, input.email);
  if (organizationId !== null) await assertOrganizationExists(db, organizationId);
  await assertRegionExists(db, input.regionId);
  const user = await db
    .insertInto('users')
    .values({
      name: input.name,
      email: normalizeEmail(input.email),
      role: input.role ?? 'end-user',
      password_hash: input.password ? await hashPassword(input.password) : null,
      verified: input.verified ?? false,
      organization_id: organizationId,
      region_id: input.regionId ?? null,
      away: input.away ?? false,
      time_zone: input.timeZone ?? null,
      external_id: input.externalId ?? null,
      phone: input.phone ?? null,
      details: input.details ?? null,
      notes: input.notes ?? null,
      tags: input.tags ?? [],
      ticket_restriction: input.ticketRestriction ?? null,
      updated_at: new Date(),
    })
    .onConflict((oc) => oc.expression(sql`lower(email)`).doNothing())
    .returningAll()
    .executeTakeFirst();
  // Lost a race with a concurrent insert of the same address.
  if (!user) throw invalid('email', `Email: ${input.email} is already being used by another user`, 'DuplicateValue');
  if (user.role !== 'end-user') await joinDefaultGroup(db, user);
  return user;
}

/** Agents start in the default group (Technical Support) so tickets can be assigned to them at once. */
async function joinDefaultGroup(db: Executor, user: User): Promise<void> {
  const group = await db.selectFrom('groups').select('id').where('is_default', '=', true).where('deleted_at', 'is', null).executeTakeFirst();
  if (!group) return;
  await db
    .insertInto('group_memberships')
    .values({ user_id: user.id, group_id: group.id, is_default: true, updated_at: new Date() })
    .onConflict((oc) => oc.columns(['user_id', 'group_id']).doNothing())
    .execute();
  if (!user.default_group_id) await db.updateTable('users').set({ default_group_id: group.id }).where('id', '=', user.id).execute();
}

async function assertOrganizationExists(db: Executor, id: number) {
  const org = await db.selectFrom('organizations').select('id').where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  if (!org) throw invalid('organization_id', `Organization: ${id} does not exist`);
}

async function assertRegionExists(db: Executor, id: number | null | undefined) {
  if (id === null || id === undefined) return;
  const region = await db.selectFrom('regions').select('id').where('id', '=', id).executeTakeFirst();
  if (!region) throw invalid('region_id', `Region: ${id} does not exist`);
}

/**
 * The account behind an email used as requester or CC: existing, or a new unverified end user with no
 * password (they verify by "forgot password", as Zendesk's end users do).
 */
export async function findOrCreateEndUser(db: Executor, email: string, name?: string): Promise<User> {
  const existing = await findUserByEmail(db, email);
  if (existing) return existing;
  const fallbackName = name?.trim() || normalizeEmail(email).split('@')[0];
  try {
    return await createUser(db, { name: fallbackName, email });
  } catch (e) {
    const again = await findUserByEmail(db, email);
    if (again) return again;
    throw e;
  }
}

export interface UserChanges extends UserFields {
  name?: string;
  active?: true;
  suspended?: boolean;
  defaultGroupId?: number | null;
}

export async function updateUser(ctx: AppContext, { userId, changes }: { userId: number; changes: UserChanges }): Promise<User> {
  return ctx.db.transaction().execute(async (tx) => {
    const user = await tx.selectFrom('users').selectAll().where('id', '=', userId).forUpdate().executeTakeFirst();
    if (!user) throw notFound();
    if (changes.organizationId !== undefined && changes.organizationId !== null) await assertOrganizationExists(tx, changes.organizationId);
    await assertRegionExists(tx, changes.regionId);
    const updated = await tx
      .updateTable('users')
      .set({
        name: changes.name,
        role: changes.role,
        organization_id: changes.organizationId,
        region_id: changes.regionId,
        away: changes.away,
        time_zone: changes.timeZone,
        external_id: changes.externalId,
        phone: changes.phone,
        details: changes.details,
        notes: changes.notes,
        tags: changes.tags,
        ticket_restriction: changes.ticketRestriction,
        suspended: changes.suspended,
        active: changes.active,
        verified: changes.verified,
        default_group_id: changes.defaultGroupId,
        updated_at: new Date(),
      })
      .where('id', '=', userId)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (changes.role && changes.role !== 'end-user' && user.role === 'end-user') await joinDefaultGroup(tx, updated);
    if (changes.role === 'end-user' && user.role !== 'end-user') {
      await tx.deleteFrom('group_memberships').where('user_id', '=', userId).execute();
      await tx.updateTable('users').set({ default_group_id: null }).where('id', '=', userId).execute();
    }
    if (changes.suspended) await endAllAccess(tx, userId);
    // Account access changes (role, suspension, reactivation) are administrative actions.
    const access = (u: User) => ({ role: u.role, suspended: u.suspended, active: u.active });
    if (JSON.stringify(access(user)) !== JSON.stringify(access(updated))) {
      const action = user.role !== updated.role ? 'role_change' : user.suspended !== updated.suspended ? (updated.suspended ? 'suspend' : 'unsuspend') : 'reactivate';
      await recordAdminAction(tx, { action, sourceType: 'user', sourceId: userId, sourceLabel: updated.email, ...changeSet(access(user), access(updated)) });
    }
    return updated;
  });
}

/** Ends every session and API token of a user. */
export async function endAllAccess(db: Executor, userId: number, exceptSessionId?: number): Promise<void> {
  let sessions = db.updateTable('sessions').set({ revoked_at: new Date() }).where('user_id', '=', userId).where('revoked_at', 'is', null);
  if (exceptSessionId) sessions = sessions.where('id', '<>', exceptSessionId);
  await sessions.execute();
  if (!exceptSessionId) {
    await db.updateTable('api_tokens').set({ revoked_at: new Date() }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
  }
}

export async function setPassword(db: Executor, userId: number, password: string, exceptSessionId?: number): Promise<void> {
  const hash = await hashPassword(password);
  await db.updateTable('users').set({ password_hash: hash, updated_at: new Date() }).where('id', '=', userId).execute();
  await db.updateTable('sessions').set({ revoked_at: new Date() }).where('user_id', '=', userId).where('revoked_at', 'is', null)
    .$if(exceptSessionId !== undefined, (q) => q.where('id', '<>', exceptSessionId!))
    .execute();
}

/** Deactivation keeps the user's tickets and history; every session and token stops working at once. */
export async function deactivateUser(ctx: AppContext, userId: number): Promise<User> {
  return ctx.db.transaction().execute(async (tx) => {
    const user = await tx.updateTable('users').set({ active: false, updated_at: new Date() }).where('id', '=', userId).returningAll().executeTakeFirst();
    if (!user) throw notFound();
    await endAllAccess(tx, userId);
    await recordAdminAction(tx, { action: 'deactivate', sourceType: 'user', sourceId: userId, sourceLabel: user.email, change: 'User deactivated; sessions and API tokens revoked', before: { active: true }, after: { active: false } });
    return user;
  });
}

export function assertCanLogin(user: User): void {
  if (!user.active || user.suspended) throw new AppError('Unauthenticated', 'Invalid email or password');
}
