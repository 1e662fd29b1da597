import { sql, type SelectQueryBuilder } from 'kysely';
import type { Selectable } from 'kysely';
import type { Executor } from '../../platform/db.js';
import type { Organization, Ticket, TicketAuditsTable, User } from '../../platform/db-types.js';
import type { Fetch, Keyed, Window } from './incremental.paging.js';
import { findOrganizations } from '../accounts/organizations.service.js';

export type AuditRow = Selectable<TicketAuditsTable>;

/** The timestamp column as exact microseconds since the epoch: cursors must not lose the sub-millisecond part. */
const keyUs = (column: string) => sql<number>`(extract(epoch from ${sql.ref(column)}) * 1000000)::bigint`.as('key_us');

/** The instant `us` microseconds after the epoch, computed in PostgreSQL without a rounding step. */
const instant = (us: number) => {
  const seconds = Math.floor(us / 1_000_000);
  return sql<Date>`(to_timestamp(${seconds}::float8) + ${us - seconds * 1_000_000}::float8 * interval '1 microsecond')`;
};

/**
 * Applies a window to a select over one table: a keyset range on (time, id), served by the
 * (time, id) index of that table, in that order. Never OFFSET.
 */
function windowed<QB extends SelectQueryBuilder<any, any, any>>(qb: QB, timeColumn: string, idColumn: string, w: Window): QB {
  const time = sql.ref(timeColumn);
  const id = sql.ref(idColumn);
  let q = qb as SelectQueryBuilder<any, any, any>;
  q = q.where(time, '<', w.until);
  if (w.after) q = q.where(sql<boolean>`(${time}, ${id}) > (${instant(w.after.us)}, ${w.after.id}::bigint)`);
  else q = q.where(time, '>=', sql<Date>`to_timestamp(${w.from ?? 0}::float8)`);
  q = q.orderBy(time).orderBy(id);
  if (w.limit !== null) q = q.limit(w.limit);
  return q as QB;
}

/** Tickets by `updated_at` (Zendesk's generated_timestamp), deleted ones included unless excluded. */
export const fetchTickets =
  (db: Executor, options: { excludeDeleted: boolean }): Fetch<Ticket> =>
  (w) =>
    windowed(
      db.selectFrom('tickets').selectAll('tickets').select(keyUs('tickets.updated_at')).$if(options.excludeDeleted, (q) => q.where('tickets.deleted_at', 'is', null)),
      'tickets.updated_at',
      'tickets.id',
      w,
    ).execute() as Promise<Keyed<Ticket>[]>;

export const fetchUsers =
  (db: Executor): Fetch<User> =>
  (w) =>
    windowed(db.selectFrom('users').selectAll('users').select(keyUs('users.updated_at')), 'users.updated_at', 'users.id', w).execute() as Promise<Keyed<User>[]>;

/** Organizations by `updated_at`, deleted ones included (with `deleted_at`), as Zendesk exports them. */
export const fetchOrganizations =
  (db: Executor): Fetch<Organization> =>
  (w) =>
    windowed(db.selectFrom('organizations').selectAll('organizations').select(keyUs('organizations.updated_at')), 'organizations.updated_at', 'organizations.id', w).execute() as Promise<
      Keyed<Organization>[]
    >;

/** Audits (Zendesk's ticket events) by creation time. */
export const fetchAudits =
  (db: Executor): Fetch<AuditRow> =>
  (w) =>
    windowed(db.selectFrom('ticket_audits').selectAll('ticket_audits').select(keyUs('ticket_audits.created_at')), 'ticket_audits.created_at', 'ticket_audits.id', w).execute() as Promise<
      Keyed<AuditRow>[]
    >;

/** Groups the given users belong to, for the `groups` side-load of the user export. */
export async function groupsOfUsers(db: Executor, userIds: number[]) {
  if (!userIds.length) return [];
  return db
    .selectFrom('groups')
    .selectAll('groups')
    .where('groups.id', 'in', db.selectFrom('group_memberships').select('group_id').where('user_id', 'in', userIds))
    .orderBy('groups.id')
    .execute();
}

export async function organizationsByIds(db: Executor, ids: number[]) {
  const unique = [...new Set(ids)];
  return unique.length ? findOrganizations(db, unique) : [];
}
