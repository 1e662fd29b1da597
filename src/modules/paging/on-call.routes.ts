import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { invalid } from '../../platform/errors.js';
import { baseUrl, created, parseBody, parseId, resourceUrl } from '../../platform/http.js';
import { idField, nameField, timeZoneField } from '../../platform/validation.js';
import { requireAdmin, requireAgent } from '../../permissions/guards.js';
import { iso } from '../accounts/users.presenter.js';
import { onCallAt, upcomingShifts, type OnCallShift } from './rotation.js';
import { changeSet, recordAdminAction } from '../audit-log/audit-log.service.js';
import { assertStaff, getSchedule, overrideOf, overridesOf, rotationOf, type Schedule, type ScheduleOverride } from './on-call.service.js';

const stamp = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 time such as 2026-11-30T09:00:00Z' }).transform((s) => new Date(s));
const scheduleFields = {
  name: nameField,
  time_zone: timeZoneField.optional(),
  rotation_start: stamp,
  rotation_hours: z.number().int().min(1, 'must be at least 1 hour').max(8760, 'must be at most 8760 hours (a year)').optional(),
  participant_ids: z.array(idField).max(100).optional(),
  paging: z.boolean().optional(),
};
const createBody = z.object({ schedule: z.object(scheduleFields) });
const updateBody = z.object({ schedule: z.object(scheduleFields).partial() });
const overrideBody = z.object({
  override: z.object({ role: z.enum(['primary', 'backup']), user_id: idField, starts_at: stamp, ends_at: stamp }).refine((o) => o.ends_at > o.starts_at, { message: 'must be after starts_at', path: ['ends_at'] }),
});

/** What the admin audit log keeps of an on-call schedule. */
const scheduleSummary = (s: Schedule) => ({
  name: s.name,
  time_zone: s.time_zone,
  rotation_start: s.rotation_start.toISOString(),
  rotation_hours: s.rotation_hours,
  participant_ids: s.participant_ids,
  paging: s.paging,
});

/** On-call rotations (spec §9.1 "SET engineers are also on an on-call rotation") and who is on call now. */
export function registerOnCallRoutes(app: FastifyInstance, ctx: AppContext) {
  const presentShift = (s: OnCallShift) => ({ primary_id: s.primaryId, backup_id: s.backupId, starts_at: iso(s.startsAt), ends_at: iso(s.endsAt), overridden: s.overridden });
  const present = (base: string, s: Schedule, overrides: ScheduleOverride[]) => {
    const now = ctx.clock.now();
    return {
      id: s.id,
      url: resourceUrl(base, `on_call/schedules/${s.id}`),
      name: s.name,
      time_zone: s.time_zone,
      rotation_start: iso(s.rotation_start),
      rotation_hours: s.rotation_hours,
      participant_ids: s.participant_ids,
      paging: s.paging,
      on_call_now: presentShift(onCallAt(rotationOf(s), overrides.map(overrideOf), now)),
      upcoming: upcomingShifts(rotationOf(s), overrides.map(overrideOf), now, 6).slice(1).map(presentShift),
      overrides: overrides.map((o) => ({ id: o.id, role: o.role, user_id: o.user_id, starts_at: iso(o.starts_at), ends_at: iso(o.ends_at) })),
      created_at: iso(s.created_at),
      updated_at: iso(s.updated_at),
    };
  };
  const presentOne = async (base: string, s: Schedule) => present(base, s, (await overridesOf(ctx.db, [s.id], ctx.clock.now())).get(s.id)!);
  const uniqueName = async (name: string, except?: number) => {
    const clash = await ctx.db.selectFrom('on_call_schedules').select('id').where('name', '=', name).$if(except !== undefined, (q) => q.where('id', '<>', except!)).executeTakeFirst();
    if (clash) throw invalid('name', `Name: ${name} is already used by another schedule`, 'DuplicateValue');
  };

  app.get('/api/v2/on_call/schedules', async (req) => {
    requireAgent(req);
    const rows = await ctx.db.selectFrom('on_call_schedules').selectAll().orderBy('id').execute();
    const overrides = await overridesOf(ctx.db, rows.map((r) => r.id), ctx.clock.now());
    return { schedules: rows.map((s) => present(baseUrl(req), s, overrides.get(s.id)!)), count: rows.length };
  });

  app.get('/api/v2/on_call/schedules/:id', async (req) => {
    requireAgent(req);
    return { schedule: await presentOne(baseUrl(req), await getSchedule(ctx.db, parseId((req.params as { id: string }).id))) };
  });

  app.post('/api/v2/on_call/schedules', async (req, reply) => {
    requireAdmin(req);
    const { schedule: b } = parseBody(createBody, req.body, 'schedule');
    await uniqueName(b.name);
    await assertStaff(ctx.db, 'participant_ids', b.participant_ids ?? []);
    const s = await ctx.db.transaction().execute(async (tx) => {
      const row = await tx
        .insertInto('on_call_schedules')
        .values({ name: b.name, time_zone: b.time_zone, rotation_start: b.rotation_start, rotation_hours: b.rotation_hours, participant_ids: b.participant_ids, paging: b.paging, updated_at: new Date() })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAdminAction(tx, { action: 'create', sourceType: 'on_call_schedule', sourceId: row.id, sourceLabel: row.name, change: 'On-call schedule created', after: scheduleSummary(row) });
      return row;
    });
    return created(reply, resourceUrl(baseUrl(req), `on_call/schedules/${s.id}`), { schedule: await presentOne(baseUrl(req), s) });
  });

  app.put('/api/v2/on_call/schedules/:id', async (req) => {
    requireAdmin(req);
    const id = parseId((req.params as { id: string }).id);
    const current = await getSchedule(ctx.db, id);
    const { schedule: b } = parseBody(updateBody, req.body, 'schedule');
    if (b.name) await uniqueName(b.name, id);
    if (b.participant_ids) await assertStaff(ctx.db, 'participant_ids', b.participant_ids);
    const s = await ctx.db.transaction().execute(async (tx) => {
      const row = await tx
        .updateTable('on_call_schedules')
        .set({ name: b.name, time_zone: b.time_zone, rotation_start: b.rotation_start, rotation_hours: b.rotation_hours, participant_ids: b.participant_ids, paging: b.paging, updated_at: new Date() })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAdminAction(tx, { action: 'update', sourceType: 'on_call_schedule', sourceId: id, sourceLabel: row.name, ...changeSet(scheduleSummary(current), scheduleSummary(row)) });
      return row;
    });
    return { schedule: await presentOne(baseUrl(req), s) };
  });

  app.delete('/api/v2/on_call/schedules/:id', async (req, reply) => {
    requireAdmin(req);
    const id = parseId((req.params as { id: string }).id);
    await getSchedule(ctx.db, id);
    await ctx.db.transaction().execute(async (tx) => {
      const gone = await tx.deleteFrom('on_call_schedules').where('id', '=', id).returningAll().executeTakeFirst();
      if (gone) await recordAdminAction(tx, { action: 'destroy', sourceType: 'on_call_schedule', sourceId: id, sourceLabel: gone.name, change: 'On-call schedule deleted', before: scheduleSummary(gone) });
    });
    return reply.code(204).send();
  });

  app.post('/api/v2/on_call/schedules/:id/overrides', async (req, reply) => {
    requireAdmin(req);
    const s = await getSchedule(ctx.db, parseId((req.params as { id: string }).id));
    const { override: b } = parseBody(overrideBody, req.body, 'override');
    await assertStaff(ctx.db, 'user_id', [b.user_id]);
    await ctx.db.transaction().execute(async (tx) => {
      const o = await tx.insertInto('on_call_overrides').values({ schedule_id: s.id, role: b.role, user_id: b.user_id, starts_at: b.starts_at, ends_at: b.ends_at }).returningAll().executeTakeFirstOrThrow();
      const override = { id: o.id, role: o.role, user_id: o.user_id, starts_at: o.starts_at.toISOString(), ends_at: o.ends_at.toISOString() };
      await recordAdminAction(tx, { action: 'override_add', sourceType: 'on_call_schedule', sourceId: s.id, sourceLabel: s.name, change: `Override added: user ${o.user_id} as ${o.role}`, after: override });
    });
    return created(reply, resourceUrl(baseUrl(req), `on_call/schedules/${s.id}`), { schedule: await presentOne(baseUrl(req), s) });
  });

  app.delete('/api/v2/on_call/schedules/:id/overrides/:overrideId', async (req, reply) => {
    requireAdmin(req);
    const params = req.params as { id: string; overrideId: string };
    const removed = await ctx.db.transaction().execute(async (tx) => {
      const o = await tx.deleteFrom('on_call_overrides').where('id', '=', parseId(params.overrideId)).where('schedule_id', '=', parseId(params.id)).returningAll().executeTakeFirst();
      if (!o) return null;
      const schedule = await tx.selectFrom('on_call_schedules').select('name').where('id', '=', o.schedule_id).executeTakeFirst();
      const override = { id: o.id, role: o.role, user_id: o.user_id, starts_at: o.starts_at.toISOString(), ends_at: o.ends_at.toISOString() };
      await recordAdminAction(tx, { action: 'override_remove', sourceType: 'on_call_schedule', sourceId: o.schedule_id, sourceLabel: schedule?.name ?? '', change: `Override removed: user ${o.user_id} as ${o.role}`, before: override });
      return o;
    });
    if (!removed) return reply.code(404).send({ error: 'RecordNotFound', description: 'Not found' });
    return reply.code(204).send();
  });

  /** Who answers a page right now, per schedule, with names so a UI needs no second request. */
  app.get('/api/v2/on_call/now', async (req) => {
    requireAgent(req);
    const now = ctx.clock.now();
    const rows = await ctx.db.selectFrom('on_call_schedules').selectAll().orderBy('id').execute();
    const overrides = await overridesOf(ctx.db, rows.map((r) => r.id), now);
    const shifts = rows.map((s) => ({ s, shift: onCallAt(rotationOf(s), overrides.get(s.id)!.map(overrideOf), now) }));
    const ids = [...new Set(shifts.flatMap(({ shift }) => [shift.primaryId, shift.backupId]).filter((x): x is number => x !== null))];
    const users = ids.length ? await ctx.db.selectFrom('users').select(['id', 'name', 'email']).where('id', 'in', ids).execute() : [];
    const person = (id: number | null) => users.find((u) => u.id === id) ?? null;
    return {
      at: iso(now),
      on_call: shifts.map(({ s, shift }) => ({ schedule_id: s.id, schedule_name: s.name, paging: s.paging, ...presentShift(shift), primary: person(shift.primaryId), backup: person(shift.backupId) })),
    };
  });
}
