import { sql } from 'kysely';
import type { Tx } from '../../platform/db.js';
import type { Plan, Role } from '../../platform/db-types.js';
import { isEmail, normalizeEmail } from '../../platform/validation.js';
import { readRecords, type SourceRecord } from './zendesk-files.js';
import { advanceSequence, dateOf, forEachNewest, idOf, isIanaZone, maxKey, newestCopies, remember, stringList, text, type ImportRun, type Json, type MappedKind } from './import-run.js';

/**
 * Organizations, groups and users keep their source ids. A record whose email (users) or name
 * (organizations, groups) already exists in Sundial is matched to that record instead of duplicated;
 * one whose id is taken by an unrelated record gets a new id (reported). Either way the mapping is
 * remembered, so tickets and later runs resolve references to the right row.
 */

const PLANS: Plan[] = ['free', 'professional', 'enterprise', 'premier'];
const ROLES: Role[] = ['end-user', 'agent', 'admin'];

type Table = 'organizations' | 'groups' | 'users';

/**
 * Inserts `values` with the source id, or with a fresh one when that id is taken by another record,
 * and remembers the mapping, all in one transaction.
 */
async function insertKeepingId(run: ImportRun, kind: MappedKind, table: Table, rec: SourceRecord, id: number, values: Record<string, unknown>, match: (tx: Tx) => Promise<number | undefined>) {
  const sundialId = await run.ctx.db.transaction().execute(async (tx) => {
    const existing = await match(tx);
    if (existing !== undefined) {
      await remember(tx, kind, id, existing, 'matched');
      run.report.counts[kind].matched++;
      return existing;
    }
    const q = tx.insertInto(table);
    let row = await q.values({ ...values, id } as never).onConflict((oc) => oc.column('id').doNothing()).returning('id').executeTakeFirst();
    if (!row) {
      row = await tx.insertInto(table).values(values as never).returning('id').executeTakeFirstOrThrow();
      run.report.adjust(kind, id, rec.where, `id ${id} is used by another ${kind} in Sundial; imported as ${row.id}`);
    }
    await remember(tx, kind, id, row.id, 'created');
    run.report.counts[kind].created++;
    return row.id;
  });
  run.maps[kind].set(id, sundialId);
}

/** A reference to an imported record, or null (reported as adjusted when the source had one). */
function mapped(run: ImportRun, kind: MappedKind, value: unknown, owner: { kind: 'user' | 'ticket' | 'organization'; id: number; where: string }, field: string): number | null {
  const id = idOf(value);
  if (id === null) return null;
  const to = run.maps[kind].get(id);
  if (to === undefined) run.report.adjust(owner.kind, owner.id, owner.where, `${field} ${id} was not imported; left empty`);
  return to ?? null;
}

/** Imports the newest copy of each record of one table, unless an earlier run already did. */
async function importEach(run: ImportRun, kind: MappedKind, table: Table, build: (rec: SourceRecord, id: number) => { values: Record<string, unknown>; match: (tx: Tx) => Promise<number | undefined> }) {
  const newest = await newestCopies(run, table, kind);
  await advanceSequence(run.ctx.db, table, maxKey(newest));
  await forEachNewest(run, table, newest, table, async (rec, id) => {
    if (run.maps[kind].has(id)) return void run.report.counts[kind].unchanged++;
    const { values, match } = build(rec, id);
    await insertKeepingId(run, kind, table, rec, id, values, match);
  });
}

/** Name, times and deletion of an organization or group; live ones are matched by name. */
function named(table: 'organizations' | 'groups', z: Json, fallbackName: string) {
  const updated = dateOf(z.updated_at) ?? new Date();
  const deletedAt = dateOf(z.deleted_at) ?? (z.deleted === true ? updated : null);
  const name = (text(z.name) ?? '').trim().slice(0, 255) || fallbackName;
  const match = async (tx: Tx) =>
    deletedAt ? undefined : (await tx.selectFrom(table).select('id').where(sql`lower(name)`, '=', name.toLowerCase()).where('deleted_at', 'is', null).executeTakeFirst())?.id;
  return { name, match, times: { created_at: dateOf(z.created_at) ?? updated, updated_at: updated, deleted_at: deletedAt } };
}

export async function importOrganizations(run: ImportRun) {
  await importEach(run, 'organization', 'organizations', ({ value: z }, id) => {
    const fields = (typeof z.organization_fields === 'object' && z.organization_fields) || {};
    const plan = [z.support_plan, (fields as Record<string, unknown>).support_plan].find((p): p is Plan => PLANS.includes(p as Plan));
    const zone = [z.time_zone, (fields as Record<string, unknown>).time_zone].find(isIanaZone);
    const { name, match, times } = named('organizations', z, `Organization ${id}`);
    const values = {
      name,
      ...(plan ? { support_plan: plan } : {}),
      ...(zone ? { time_zone: zone } : {}),
      domain_names: stringList(z.domain_names).map((d) => d.toLowerCase()),
      shared_tickets: z.shared_tickets === true,
      shared_comments: z.shared_comments === true,
      external_id: text(z.external_id),
      details: text(z.details),
      notes: text(z.notes),
      tags: stringList(z.tags),
      ...times,
    };
    return { values, match };
  });
}

export async function importGroups(run: ImportRun) {
  await importEach(run, 'group', 'groups', ({ value: z }, id) => {
    const { name, match, times } = named('groups', z, `Group ${id}`);
    // Sundial's default group is where its own workflows route; an imported group never replaces it.
    return { values: { name, description: text(z.description) ?? '', is_default: false, is_public: z.is_public !== false, ...times }, match };
  });
}

export async function importUsers(run: ImportRun) {
  await importEach(run, 'user', 'users', (rec, id) => {
    const z = rec.value;
    const owner = { kind: 'user' as const, id, where: rec.where };
    let email = normalizeEmail(text(z.email) ?? '');
    if (!isEmail(email)) {
      // Sundial identifies people by email; one without a usable address gets a placeholder no mail can reach.
      run.report.adjust('user', id, rec.where, `no usable email${email ? ` ("${email}")` : ''}; stored as zendesk-user-${id}@users.invalid`);
      email = `zendesk-user-${id}@users.invalid`;
    }
    const role = ROLES.includes(z.role as Role) ? (z.role as Role) : 'end-user';
    if (z.role !== undefined && role !== z.role) run.report.adjust('user', id, rec.where, `role "${String(z.role)}" is not end-user, agent or admin; imported as end-user`);
    const updated = dateOf(z.updated_at) ?? new Date();
    const zone = [z.iana_time_zone, z.time_zone].find(isIanaZone) ?? null;
    const name = (text(z.name) ?? '').trim().slice(0, 255) || email.split('@')[0];
    const values = {
      name,
      email,
      role,
      organization_id: mapped(run, 'organization', z.organization_id, owner, 'organization'),
      password_hash: null,
      verified: z.verified === true,
      active: z.active !== false,
      suspended: z.suspended === true,
      time_zone: zone,
      default_group_id: role === 'end-user' ? null : mapped(run, 'group', z.default_group_id, owner, 'default group'),
      ticket_restriction: role === 'end-user' && (z.ticket_restriction === 'requested' || z.ticket_restriction === 'organization') ? z.ticket_restriction : null,
      external_id: text(z.external_id),
      phone: text(z.phone),
      details: text(z.details),
      notes: text(z.notes),
      tags: stringList(z.tags),
      last_login_at: dateOf(z.last_login_at),
      created_at: dateOf(z.created_at) ?? updated,
      updated_at: updated,
    };
    return { values, match: async (tx: Tx) => (await tx.selectFrom('users').select('id').where(sql`lower(email)`, '=', email).executeTakeFirst())?.id };
  });
}

/** Group memberships (`group_memberships.*`): both ends must have been imported. */
export async function importGroupMemberships(run: ImportRun) {
  for await (const rec of readRecords(run.dir, 'group_memberships', (b) => run.report.skip('file', null, b.where, b.reason))) {
    const z = rec.value;
    const userId = run.maps.user.get(idOf(z.user_id) ?? 0);
    const groupId = run.maps.group.get(idOf(z.group_id) ?? 0);
    if (userId === undefined || groupId === undefined) {
      run.report.skip('group_membership', idOf(z.id), rec.where, `${userId === undefined ? `user ${String(z.user_id)}` : `group ${String(z.group_id)}`} was not imported`);
      continue;
    }
    const row = await run.ctx.db
      .insertInto('group_memberships')
      .values({ user_id: userId, group_id: groupId, is_default: z.default === true, created_at: dateOf(z.created_at) ?? new Date(), updated_at: dateOf(z.updated_at) ?? new Date() })
      .onConflict((oc) => oc.columns(['user_id', 'group_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    run.report.counts.group_membership[row ? 'created' : 'unchanged']++;
  }
}
