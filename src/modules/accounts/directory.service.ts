import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db.js';
import type { Organization, Role, User } from '../../platform/db-types.js';
import { applySlice, type Slice } from '../../platform/pagination.js';
import { MAX_RESULTS, planSearch, searchUsers } from '../search/search.service.js';

const prefix = (s: string) => `${s.replace(/[%_\\]/g, '\\$&')}%`;

/**
 * /users/search: `query` in Zendesk's search syntax (free words match name or email; `email:`, `name:`,
 * `role:`, `external_id:`, `organization:`, `tags:`), or an exact `external_id`. At most 1000 people,
 * in id order, like every search.
 */
export async function findUsers(ctx: AppContext, by: { query?: string; externalId?: string }, window: { limit: number; afterId?: number }): Promise<User[]> {
  if (by.externalId !== undefined) {
    return ctx.db.selectFrom('users').selectAll().where('external_id', '=', by.externalId).where('id', '>', window.afterId ?? 0).orderBy('id').limit(window.limit).execute();
  }
  return searchUsers(ctx, planSearch(by.query ?? '', { type: 'user' }), Math.min(window.limit, MAX_RESULTS), window.afterId ?? 0);
}

/** /organizations/autocomplete: live organizations whose name starts with `name`, by name. */
export function autocompleteOrganizations(db: Executor, name: string, window: { offset: number; limit: number }): Promise<Organization[]> {
  return db
    .selectFrom('organizations')
    .selectAll()
    .where('deleted_at', 'is', null)
    .where('name', 'ilike', prefix(name))
    .orderBy(sql`lower(name)`)
    .orderBy('id')
    .offset(window.offset)
    .limit(window.limit)
    .execute();
}

export async function countOrganizationsByPrefix(db: Executor, name: string): Promise<number> {
  const row = await db.selectFrom('organizations').select((eb) => eb.fn.countAll<number>().as('n')).where('deleted_at', 'is', null).where('name', 'ilike', prefix(name)).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** /organizations/search: live organizations with exactly this external id or name (case-insensitive). */
function organizationsMatching(db: Executor, by: { externalId?: string; name?: string }) {
  return db
    .selectFrom('organizations')
    .where('deleted_at', 'is', null)
    .$if(by.externalId !== undefined, (q) => q.where('external_id', '=', by.externalId!))
    .$if(by.name !== undefined, (q) => q.where(sql`lower(name)`, '=', by.name!.toLowerCase()));
}

export function searchOrganizations(db: Executor, by: { externalId?: string; name?: string }, slice: Slice): Promise<Organization[]> {
  return applySlice(organizationsMatching(db, by).selectAll(), 'organizations.id', slice).execute();
}

export async function countOrganizationsMatching(db: Executor, by: { externalId?: string; name?: string }): Promise<number> {
  return Number((await organizationsMatching(db, by).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}

/** How many users (of the given roles) and live organizations there are. */
export async function countUsers(db: Executor, roles: Role[]): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .$if(roles.length > 0, (q) => q.where('role', 'in', roles))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function countOrganizations(db: Executor): Promise<number> {
  return Number((await db.selectFrom('organizations').select((eb) => eb.fn.countAll<number>().as('n')).where('deleted_at', 'is', null).executeTakeFirstOrThrow()).n);
}
