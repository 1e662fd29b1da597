import { DateTime } from 'luxon';

/** Minutes since local midnight, [start, end), end may be 1440 (midnight of the next day). */
export interface DailyInterval {
  start: number;
  end: number;
}

/**
 * Weekly open hours in one IANA time zone, with holidays (local dates, whole days closed).
 * `weekly[1]` is Monday … `weekly[7]` Sunday (ISO weekdays, as luxon numbers them).
 */
export interface Schedule {
  timeZone: string;
  weekly: Partial<Record<1 | 2 | 3 | 4 | 5 | 6 | 7, DailyInterval[]>>;
  holidays?: string[];
}

/** 24×7 wall-clock time, or the union of schedules (business hours, plus weekend cover for Premier). */
export type Calendar = { kind: 'calendar' } | { kind: 'business'; schedules: Schedule[] };

const NINE_TO_FIVE: DailyInterval[] = [{ start: 9 * 60, end: 17 * 60 }];

/** Mon–Fri 09:00–17:00 in `timeZone` (spec §4.6). */
export function businessHours(timeZone: string, holidays: string[] = []): Schedule {
  return { timeZone, weekly: { 1: NINE_TO_FIVE, 2: NINE_TO_FIVE, 3: NINE_TO_FIVE, 4: NINE_TO_FIVE, 5: NINE_TO_FIVE }, holidays };
}

/** Premier weekend cover for urgent/high: Friday 17:00 → Monday 09:00 US Pacific (spec §2.2, §4.6). */
export const PREMIER_WEEKEND: Schedule = {
  timeZone: 'America/Los_Angeles',
  weekly: { 5: [{ start: 17 * 60, end: 1440 }], 6: [{ start: 0, end: 1440 }], 7: [{ start: 0, end: 1440 }], 1: [{ start: 0, end: 9 * 60 }] },
};

export type Window = [start: number, end: number];

const DAY_MS = 86_400_000;

/** A local calendar day as a number (days since 1970-01-01), so days can be counted without time zones. */
function localDayNumber(ms: number, zone: string): number {
  const d = DateTime.fromMillis(ms, { zone });
  return Math.floor(Date.UTC(d.year, d.month - 1, d.day) / DAY_MS);
}

const signatures = new WeakMap<Schedule, string>();
const signatureOf = (s: Schedule) => {
  let sig = signatures.get(s);
  if (!sig) signatures.set(s, (sig = JSON.stringify([s.timeZone, s.weekly, s.holidays ?? []])));
  return sig;
};

/**
 * A schedule's open windows on one local day, in epoch ms. Time-zone maths is the costly part and
 * the answer never changes, so days are memoized (bounded) across tickets and calls.
 */
const dayCache = new Map<string, Window[]>();
function dayWindows(s: Schedule, dayNumber: number): Window[] {
  const key = `${signatureOf(s)}|${dayNumber}`;
  const hit = dayCache.get(key);
  if (hit) return hit;
  const u = new Date(dayNumber * DAY_MS);
  const day = DateTime.fromObject({ year: u.getUTCFullYear(), month: u.getUTCMonth() + 1, day: u.getUTCDate() }, { zone: s.timeZone }).startOf('day');
  const next = day.plus({ days: 1 }).startOf('day');
  const closed = s.holidays?.includes(u.toISOString().slice(0, 10)) ?? false;
  const out: Window[] = [];
  for (const { start, end } of closed ? [] : (s.weekly[day.weekday as 1] ?? [])) {
    // Local wall times; luxon moves a time that falls in a DST gap forward, as a clock would.
    const a = day.set({ hour: Math.floor(start / 60), minute: start % 60 }).toMillis();
    const b = end >= 1440 ? next.toMillis() : day.set({ hour: Math.floor(end / 60), minute: end % 60 }).toMillis();
    if (b > a) out.push([a, b]);
  }
  if (dayCache.size > 200_000) dayCache.clear();
  dayCache.set(key, out);
  return out;
}

/** Open windows of one schedule overlapping [fromMs, toMs), in epoch milliseconds. */
function scheduleWindows(s: Schedule, fromMs: number, toMs: number): Window[] {
  const out: Window[] = [];
  // A day early and late: a local day's windows can start before fromMs's local date in UTC terms.
  const first = localDayNumber(fromMs, s.timeZone) - 1;
  const last = localDayNumber(toMs, s.timeZone) + 1;
  for (let n = first; n <= last; n++) {
    for (const [a, b] of dayWindows(s, n)) {
      const lo = Math.max(a, fromMs);
      const hi = Math.min(b, toMs);
      if (hi > lo) out.push([lo, hi]);
    }
  }
  return out;
}

/** Merges overlapping or touching windows (the union of several schedules). */
function merge(windows: Window[]): Window[] {
  const sorted = [...windows].sort((x, y) => x[0] - y[0]);
  const out: Window[] = [];
  for (const w of sorted) {
    const last = out[out.length - 1];
    if (last && w[0] <= last[1]) last[1] = Math.max(last[1], w[1]);
    else out.push([w[0], w[1]]);
  }
  return out;
}

/** Open time of a calendar inside [from, to), as merged windows. */
export function openWindows(cal: Calendar, from: Date, to: Date): Window[] {
  const a = from.getTime();
  const b = to.getTime();
  if (b <= a) return [];
  if (cal.kind === 'calendar') return [[a, b]];
  return merge(cal.schedules.flatMap((s) => scheduleWindows(s, a, b)));
}

const MINUTE = 60_000;

/** Open milliseconds between two instants (0 if `to` is not after `from`). */
export function openMillisBetween(cal: Calendar, from: Date, to: Date): number {
  return openWindows(cal, from, to).reduce((sum, [a, b]) => sum + (b - a), 0);
}

export const openMinutesBetween = (cal: Calendar, from: Date, to: Date) => openMillisBetween(cal, from, to) / MINUTE;

/**
 * The instant at which `minutes` of open time have passed since `start`. Searches forward in growing
 * spans, so long holiday stretches cost a few more windows, never a loop per minute.
 */
export function addOpenMinutes(cal: Calendar, start: Date, minutes: number): Date {
  let left = minutes * MINUTE;
  if (left <= 0) return new Date(start.getTime());
  if (cal.kind === 'calendar') return new Date(start.getTime() + left);
  let from = start.getTime();
  for (let span = 7 * 86_400_000; ; span = Math.min(span * 2, 366 * 86_400_000)) {
    const windows = openWindows(cal, new Date(from), new Date(from + span));
    for (const [a, b] of windows) {
      if (b - a >= left) return new Date(a + left);
      left -= b - a;
    }
    from += span;
    if (from - start.getTime() > 50 * 366 * 86_400_000) throw new Error('The calendar has no open time in the next 50 years');
  }
}

/** Whether the calendar is open at an instant. */
export const isOpenAt = (cal: Calendar, at: Date) => openMillisBetween(cal, at, new Date(at.getTime() + 1)) > 0;
