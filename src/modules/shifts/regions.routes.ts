import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { baseUrl, created, parseBody, parseId, resourceUrl } from '../../platform/http.js';
import { idField, nameField } from '../../platform/validation.js';
import { requireAdmin, requireAgent } from '../../permissions/guards.js';
import { iso } from '../accounts/users.presenter.js';
import { createRegion, deleteRegion, getRegion, listRegions, membersByRegion, updateRegion, type Region } from './regions.service.js';
import { currentShift, formatMinutes, nextShiftStart, parseMinutes } from './shift-times.js';

const time = z
  .string({ error: 'must be a time as HH:MM in UTC' })
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time as HH:MM in UTC (00:00 to 23:59)')
  .transform((t) => parseMinutes(t)!);
const days = z
  .array(z.number({ error: 'must be ISO weekday numbers' }).int(), { error: 'must be a list of ISO weekdays' })
  .min(1, 'must list at least one weekday')
  .refine((d) => d.every((n) => n >= 1 && n <= 7), 'must be ISO weekdays from 1 (Monday) to 7 (Sunday), the days a shift starts on in UTC')
  .transform((d) => [...new Set(d)].sort((a, b) => a - b));
const memberIds = z.array(idField, { error: 'must be a list of user ids' }).max(1000, 'lists too many members (maximum is 1000)');

const createBody = z.object({ region: z.object({ name: nameField, shift_start: time, shift_end: time, shift_days: days.optional(), member_ids: memberIds.optional() }) });
const updateBody = z.object({ region: z.object({ name: nameField.optional(), shift_start: time.optional(), shift_end: time.optional(), shift_days: days.optional(), member_ids: memberIds.optional() }) });

/** Follow-the-sun regions (spec §10): shift hours in UTC, members, and whether they are on shift now. */
export function registerRegionRoutes(app: FastifyInstance, ctx: AppContext) {
  const present = (base: string, r: Region, members: number[]) => {
    const now = ctx.clock.now();
    const shift = currentShift(r, now);
    return {
      url: resourceUrl(base, `regions/${r.id}`),
      id: r.id,
      name: r.name,
      shift_start: formatMinutes(r.shift_start),
      shift_end: formatMinutes(r.shift_end),
      shift_days: r.shift_days,
      position: r.position,
      member_ids: members,
      on_shift: shift !== null,
      shift_ends_at: iso(shift?.end),
      next_shift_start: iso(nextShiftStart(r, now)),
      created_at: iso(r.created_at),
      updated_at: iso(r.updated_at),
    };
  };
  const presentOne = async (base: string, r: Region) => present(base, r, (await membersByRegion(ctx.db, [r.id])).get(r.id) ?? []);

  app.get('/api/v2/regions', async (req) => {
    requireAgent(req);
    const regions = await listRegions(ctx.db);
    const members = await membersByRegion(ctx.db, regions.map((r) => r.id));
    return { regions: regions.map((r) => present(baseUrl(req), r, members.get(r.id) ?? [])), count: regions.length };
  });

  app.get('/api/v2/regions/:id', async (req) => {
    requireAgent(req);
    return { region: await presentOne(baseUrl(req), await getRegion(ctx.db, parseId((req.params as { id: string }).id))) };
  });

  app.post('/api/v2/regions', async (req, reply) => {
    requireAdmin(req);
    const { region: b } = parseBody(createBody, req.body, 'region');
    const r = await createRegion(ctx, { name: b.name, shiftStart: b.shift_start, shiftEnd: b.shift_end, shiftDays: b.shift_days ?? [1, 2, 3, 4, 5], memberIds: b.member_ids });
    return created(reply, resourceUrl(baseUrl(req), `regions/${r.id}`), { region: await presentOne(baseUrl(req), r) });
  });

  app.put('/api/v2/regions/:id', async (req) => {
    requireAdmin(req);
    const id = parseId((req.params as { id: string }).id);
    const { region: b } = parseBody(updateBody, req.body, 'region');
    const r = await updateRegion(ctx, id, { name: b.name, shiftStart: b.shift_start, shiftEnd: b.shift_end, shiftDays: b.shift_days, memberIds: b.member_ids });
    return { region: await presentOne(baseUrl(req), r) };
  });

  app.delete('/api/v2/regions/:id', async (req, reply) => {
    requireAdmin(req);
    await deleteRegion(ctx, parseId((req.params as { id: string }).id));
    return reply.code(204).send();
  });
}
