import type { Executor } from '../../platform/db.js';

/** Every holiday date (YYYY-MM-DD) of the default schedule: business clocks stand still on them. */
export async function defaultHolidayDates(db: Executor): Promise<string[]> {
  const rows = await db
    .selectFrom('business_holidays')
    .innerJoin('business_schedules', 'business_schedules.id', 'business_holidays.schedule_id')
    .select(['business_holidays.start_date', 'business_holidays.end_date'])
    .where('business_schedules.is_default', '=', true)
    .execute();
  const dates: string[] = [];
  for (const r of rows) {
    for (let d = new Date(`${r.start_date}T00:00:00Z`); d <= new Date(`${r.end_date}T00:00:00Z`); d = new Date(d.getTime() + 86_400_000)) dates.push(d.toISOString().slice(0, 10));
  }
  return dates;
}
