import { recordAdminAction, changeSet } from '../audit-log/audit-log.service.js';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { notFound } from '../../platform/errors.js';
import { baseUrl, created, parseBody, parseId, resourceUrl } from '../../platform/http.js';
import { timeZoneField } from '../../platform/validation.js';
import { requireAdmin, requireAgent } from '../../permissions/guards.js';
import { iso } from '../accounts/users.presenter.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'is not a real date');
const holidayBody = z.object({ holiday: z.object({ name: z.string().trim().min(1).max(255), start_date: isoDate, end_date: isoDate }).refine((h) => h.end_date >= h.start_date, { message: 'must not be before start_date', path: ['end_date'] }) });
const scheduleBody = z.object({ schedule: z.object({ name: z.string().trim().min(1).max(255).optional(), time_zone: timeZoneField.optional() }) });

/** Zendesk's business-hours schedules API: the schedule Sundial applies and its holidays. */
export function registerScheduleRoutes(app: FastifyInstance, ctx: AppContext) {
  const present = async (base: string, id: number) => {
    const s = await ctx.db.selectFrom('business_schedules').selectAll().where('id', '=', id).executeTakeFirst();
    if (!s) throw notFound();
    return { url: resourceUrl(base, `business_hours/schedules/${s.id}`), id: s.id, name: s.name, time_zone: s.time_zone, intervals: s.intervals, default: s.is_default, created_at: iso(s.created_at), updated_at: iso(s.updated_at) };
  };
  const presentHoliday = (h: { id: number; name: string; start_date: string; end_date: string }) => ({ id: h.id, name: h.name, start_date: h.start_date, end_date: h.end_date });

  app.get('/api/v2/business_hours/schedules', async (req) => {
    requireAgent(req);
    const ids = await ctx.db.selectFrom('business_schedules').select('id').orderBy('id').execute();
    return { schedules: await Promise.all(ids.map((r) => present(baseUrl(req), r.id))) };
  });
  app.get('/api/v2/business_hours/schedules/:id', async (req) => {
    requireAgent(req);
    return { schedule: await present(baseUrl(req), parseId((req.params as { id: string }).id)) };
  });
  app.put('/api/v2/business_hours/schedules/:id', async (req) => {
    requireAdmin(req);
    const id = parseId((req.params as { id: string }).id);
    const { schedule } = parseBody(scheduleBody, req.body, 'schedule');
    await ctx.db.transaction().execute(async (tx) => {
      const before = await tx.selectFrom('business_schedules').select(['name', 'time_zone']).where('id', '=', id).forUpdate().executeTakeFirst();
      if (!before) throw notFound();
      await tx.updateTable('business_schedules').set({ name: schedule.name, time_zone: schedule.time_zone, updated_at: new Date() }).where('id', '=', id).execute();
      await recordAdminAction(tx, { action: 'update', sourceType: 'business_schedule', sourceId: id, sourceLabel: schedule.name ?? before.name, ...changeSet(before, { name: schedule.name ?? before.name, time_zone: schedule.time_zone ?? before.time_zone }) });
    });
    return { schedule: await present(baseUrl(req), id) };
  });
  app.get('/api/v2/business_hours/schedules/:id/holidays', async (req) => {
    requireAgent(req);
    const id = parseId((req.params as { id: string }).id);
    await present(baseUrl(req), id);
    const rows = await ctx.db.selectFrom('business_holidays').selectAll().where('schedule_id', '=', id).orderBy('start_date').execute();
    return { holidays: rows.map(presentHoliday) };
  });
  app.post('/api/v2/business_hours/schedules/:id/holidays', async (req, reply) => {
    requireAdmin(req);
    const id = parseId((req.params as { id: string }).id);
    await present(baseUrl(req), id);
    const { holiday } = parseBody(holidayBody, req.body, 'holiday');
    const row = await ctx.db.transaction().execute(async (tx) => {
      const added = await tx.insertInto('business_holidays').values({ schedule_id: id, ...holiday }).returningAll().executeTakeFirstOrThrow();
      await recordAdminAction(tx, { action: 'holiday_add', sourceType: 'business_schedule', sourceId: id, sourceLabel: added.name, change: `Holiday ${added.name} added (${added.start_date} to ${added.end_date})`, after: presentHoliday(added) });
      return added;
    });
    return created(reply, resourceUrl(baseUrl(req), `business_hours/schedules/${id}/holidays/${row.id}`), { holiday: presentHoliday(row) });
  });
  app.delete('/api/v2/business_hours/schedules/:id/holidays/:holidayId', async (req, reply) => {
    requireAdmin(req);
    const params = req.params as { id: string; holidayId: string };
    await ctx.db.transaction().execute(async (tx) => {
      const gone = await tx.deleteFrom('business_holidays').where('id', '=', parseId(params.holidayId)).where('schedule_id', '=', parseId(params.id)).returningAll().executeTakeFirst();
      if (!gone) throw notFound();
      await recordAdminAction(tx, { action: 'holiday_remove', sourceType: 'business_schedule', sourceId: gone.schedule_id, sourceLabel: gone.name, change: `Holiday ${gone.name} removed (${gone.start_date} to ${gone.end_date})`, before: presentHoliday(gone) });
    });
    return reply.code(204).send();
  });
}
