import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db.js';
import { invalid, notFound } from '../../platform/errors.js';
import { recordAdminAction, changeSet } from '../audit-log/audit-log.service.js';

/** What an admin sets on a region; times are minutes after midnight UTC. */
export interface RegionInput {
  name?: string;
  shiftStart?: number;
  shiftEnd?: number;
  shiftDays?: number[];
  /** The region's agents: listed agents join it, agents left out leave it. */
  memberIds?: number[];
}

/** What the audit log keeps of a region. */
const regionSummary = (r: { name: string; shift_start: number; shift_end: number; shift_days: number[] }, memberIds?: number[]) => ({
  name: r.name,
  shift_start: r.shift_start,
  shift_end: r.shift_end,
  shift_days: r.shift_days,
  ...(memberIds ? { member_ids: [...memberIds].sort((a, b) => a - b) } : {}),
});

const REGIONS_LOCK = sql`SELECT pg_advisory_xact_lock(hashtext('sundial.regions'))`;

/** Every region in display order. */
export async function listRegions(db: Executor) {
  return db.selectFrom('regions').selectAll().orderBy('position').orderBy('id').execute();
}

export async function getRegion(db: Executor, id: number) {
  const region = await db.selectFrom('regions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!region) throw notFound();
  return region;
}
export type Region = Awaited<ReturnType<typeof getRegion>>;

/** Agent and admin ids per region, in id order. */
export async function membersByRegion(db: Executor, regionIds: number[]): Promise<Map<number, number[]>> {
  const map = new Map<number, number[]>(regionIds.map((id) => [id, []]));
  if (!regionIds.length) return map;
  const rows = await db.selectFrom('users').select(['id', 'region_id']).where('region_id', 'in', regionIds).where('role', 'in', ['agent', 'admin']).orderBy('id').execute();
  for (const r of rows) map.get(r.region_id!)?.push(r.id);
  return map;
}

async function assertNameFree(db: Executor, name: string, exceptId?: number) {
  const clash = await db
    .selectFrom('regions')
    .select('id')
    .where(sql`lower(name)`, '=', name.toLowerCase())
    .$if(exceptId !== undefined, (q) => q.where('id', '<>', exceptId!))
    .executeTakeFirst();
  if (clash) throw invalid('name', `Name: ${name} has already been taken`, 'DuplicateValue');
}

/** Makes exactly `memberIds` the region's agents; anyone else is refused with a field error. */
async function setMembers(db: Executor, regionId: number, memberIds: number[]) {
  const ids = [...new Set(memberIds)];
  if (ids.length) {
    const users = await db.selectFrom('users').select(['id', 'role']).where('id', 'in', ids).execute();
    const agents = new Set(users.filter((u) => u.role !== 'end-user').map((u) => u.id));
    const wrong = ids.filter((id) => !agents.has(id));
    if (wrong.length) throw invalid('member_ids', `Member ids: ${wrong.join(', ')} ${wrong.length === 1 ? 'is not an agent' : 'are not agents'}; only agents and admins belong to a region`);
    await db.updateTable('users').set({ region_id: regionId, updated_at: new Date() }).where('id', 'in', ids).execute();
  }
  await db
    .updateTable('users')
    .set({ region_id: null, updated_at: new Date() })
    .where('region_id', '=', regionId)
    .$if(ids.length > 0, (q) => q.where('id', 'not in', ids))
    .execute();
}

export async function createRegion(ctx: AppContext, input: Required<Omit<RegionInput, 'memberIds'>> & Pick<RegionInput, 'memberIds'>): Promise<Region> {
  return ctx.db.transaction().execute(async (tx) => {
    await REGIONS_LOCK.execute(tx);
    await assertNameFree(tx, input.name);
    if (input.shiftStart === input.shiftEnd) throw invalid('shift_end', 'Shift end: must differ from the shift start');
    const { max } = await tx.selectFrom('regions').select(sql<number>`coalesce(max(position), 0)`.as('max')).executeTakeFirstOrThrow();
    const region = await tx
      .insertInto('regions')
      .values({ name: input.name, shift_start: input.shiftStart, shift_end: input.shiftEnd, shift_days: input.shiftDays, position: max + 1, updated_at: new Date() })
      .returningAll()
      .executeTakeFirstOrThrow();
    if (input.memberIds) await setMembers(tx, region.id, input.memberIds);
    await recordAdminAction(tx, { action: 'create', sourceType: 'region', sourceId: region.id, sourceLabel: region.name, change: 'Region created', after: regionSummary(region, input.memberIds) });
    return region;
  });
}

export async function updateRegion(ctx: AppContext, id: number, input: RegionInput): Promise<Region> {
  return ctx.db.transaction().execute(async (tx) => {
    await REGIONS_LOCK.execute(tx);
    const current = await getRegion(tx, id);
    if (input.name !== undefined) await assertNameFree(tx, input.name, id);
    const shiftStart = input.shiftStart ?? current.shift_start;
    const shiftEnd = input.shiftEnd ?? current.shift_end;
    if (shiftStart === shiftEnd) throw invalid('shift_end', 'Shift end: must differ from the shift start');
    const region = await tx
      .updateTable('regions')
      .set({ name: input.name, shift_start: input.shiftStart, shift_end: input.shiftEnd, shift_days: input.shiftDays, updated_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const beforeMembers = input.memberIds ? (await membersByRegion(tx, [id])).get(id) ?? [] : undefined;
    if (input.memberIds) await setMembers(tx, id, input.memberIds);
    await recordAdminAction(tx, { action: 'update', sourceType: 'region', sourceId: id, sourceLabel: region.name, ...changeSet(regionSummary(current, beforeMembers), regionSummary(region, input.memberIds)) });
    return region;
  });
}

/** Its agents keep working without a region (no routing to them) and its handovers go with it. */
export async function deleteRegion(ctx: AppContext, id: number): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const gone = await tx.deleteFrom('regions').where('id', '=', id).returningAll().executeTakeFirst();
    if (!gone) throw notFound();
    await recordAdminAction(tx, { action: 'destroy', sourceType: 'region', sourceId: id, sourceLabel: gone.name, change: 'Region deleted', before: regionSummary(gone) });
  });
}
