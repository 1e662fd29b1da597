import type { Selectable } from 'kysely';
import type { Executor } from '../../platform/db.js';
import type { OnCallOverridesTable, OnCallSchedulesTable } from '../../platform/db-types.js';
import { invalid, notFound } from '../../platform/errors.js';
import { onCallAt, type OnCallShift, type Override, type Rotation } from './rotation.js';

export type Schedule = Selectable<OnCallSchedulesTable>;
export type ScheduleOverride = Selectable<OnCallOverridesTable>;

export const rotationOf = (s: Schedule): Rotation => ({ rotationStart: s.rotation_start, rotationHours: s.rotation_hours, participantIds: s.participant_ids });
export const overrideOf = (o: ScheduleOverride): Override => ({ role: o.role, userId: o.user_id, startsAt: o.starts_at, endsAt: o.ends_at, createdAt: o.created_at });

export async function getSchedule(db: Executor, id: number): Promise<Schedule> {
  const s = await db.selectFrom('on_call_schedules').selectAll().where('id', '=', id).executeTakeFirst();
  if (!s) throw notFound();
  return s;
}

/** Overrides of these schedules that have not ended by `at`. */
export async function overridesOf(db: Executor, scheduleIds: number[], at: Date): Promise<Map<number, ScheduleOverride[]>> {
  const rows = scheduleIds.length
    ? await db.selectFrom('on_call_overrides').selectAll().where('schedule_id', 'in', scheduleIds).where('ends_at', '>', at).orderBy('starts_at').execute()
    : [];
  const out = new Map<number, ScheduleOverride[]>(scheduleIds.map((id) => [id, []]));
  for (const r of rows) out.get(r.schedule_id)!.push(r);
  return out;
}

export async function onCallNow(db: Executor, schedule: Schedule, at: Date): Promise<OnCallShift> {
  const overrides = (await overridesOf(db, [schedule.id], at)).get(schedule.id)!;
  return onCallAt(rotationOf(schedule), overrides.map(overrideOf), at);
}

/** Participants and override users must be active staff: a page to a customer would leak tickets. */
export async function assertStaff(db: Executor, field: string, ids: number[]): Promise<void> {
  if (!ids.length) return;
  const staff = await db.selectFrom('users').select('id').where('id', 'in', ids).where('role', 'in', ['agent', 'admin']).where('active', '=', true).execute();
  const known = new Set(staff.map((s) => s.id));
  const missing = ids.filter((id) => !known.has(id));
  if (missing.length) throw invalid(field, `${field === 'user_id' ? 'User' : 'Participants'}: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not an active agent`);
}
