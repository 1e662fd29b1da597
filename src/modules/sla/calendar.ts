import { compile, DAY_MS, windowsOn, type CompiledSchedule } from './local-days.js';

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
  holidays?: readonly string[];
}

/** 24×7 wall-clock time, or the union of schedules (business hours, plus weekend cover for Premier). */
export type Calendar = { kind: 'calendar' } | { kind: 'business'; schedules: readonly Schedule[] };

const NINE_TO_FIVE: DailyInterval[] = [{ start: 9 * 60, end: 17 * 60 }];

/** Mon–Fri 09:00–17:00 in `timeZone` (spec §4.6). */
export function businessHours(timeZone: string, holidays: readonly string[] = []): Schedule {
  return { timeZone, weekly: { 1: NINE_TO_FIVE, 2: NINE_TO_FIVE, 3: NINE_TO_FIVE, 4: NINE_TO_FIVE, 5: NINE_TO_FIVE }, holidays };
}

/** Premier weekend cover for urgent/high: Friday 17:00 → Monday 09:00 US Pacific (spec §2.2, §4.6). */
export const PREMIER_WEEKEND: Schedule = {
  timeZone: 'America/Los_Angeles',
  weekly: { 5: [{ start: 17 * 60, end: 1440 }], 6: [{ start: 0, end: 1440 }], 7: [{ start: 0, end: 1440 }], 1: [{ start: 0, end: 9 * 60 }] },
};

export type Window = [start: number, end: number];

const compiledCalendars = new WeakMap<Calendar, CompiledSchedule[]>();
const schedulesOf = (cal: Calendar & { kind: 'business' }) => {
  let c = compiledCalendars.get(cal);
  if (!c) compiledCalendars.set(cal, (c = cal.schedules.map(compile)));
  return c;
};

/** Adds one schedule's open windows overlapping [fromMs, toMs) to `out`, clipped to it. */
function collect(s: CompiledSchedule, fromMs: number, toMs: number, out: Window[]): void {
  const { table, closed } = s;
  // Every local day that overlaps the span, whatever the zone's offset on it.
  const last = Math.floor(toMs / DAY_MS) + table.reach;
  for (let n = Math.floor(fromMs / DAY_MS) - table.reach; n <= last; n++) {
    if (closed.has(n)) continue;
    const day = windowsOn(table, n);
    for (let k = 0; k < day.length; k++) {
      const lo = Math.max(day[k][0], fromMs);
      const hi = Math.min(day[k][1], toMs);
      if (hi > lo) out.push([lo, hi]);
    }
  }
}

function inOrder(windows: Window[]): boolean {
  for (let k = 1; k < windows.length; k++) if (windows[k][0] < windows[k - 1][0]) return false;
  return true;
}

/** Sorts and merges overlapping or touching windows in place (the union of several schedules). */
function merge(windows: Window[]): Window[] {
  // One schedule's windows come in order already; sorting them anyway took about 6 % of a replay's time.
  if (!inOrder(windows)) windows.sort((x, y) => x[0] - y[0]);
  let kept = 0;
  for (const w of windows) {
    const last = windows[kept - 1];
    if (last && w[0] <= last[1]) last[1] = Math.max(last[1], w[1]);
    else windows[kept++] = w;
  }
  windows.length = kept;
  return windows;
}

/** Merged open windows of a business calendar inside [a, b), in epoch ms. */
function businessWindows(cal: Calendar & { kind: 'business' }, a: number, b: number): Window[] {
  const out: Window[] = [];
  for (const s of schedulesOf(cal)) collect(s, a, b, out);
  return merge(out);
}

/** Open time of a calendar inside [from, to), as merged windows. */
export function openWindows(cal: Calendar, from: Date, to: Date): Window[] {
  const a = from.getTime();
  const b = to.getTime();
  if (b <= a) return [];
  return cal.kind === 'calendar' ? [[a, b]] : businessWindows(cal, a, b);
}

const MINUTE = 60_000;

/** Open milliseconds between two instants (0 if `to` is not after `from`). */
export function openMillisBetween(cal: Calendar, from: Date, to: Date): number {
  let sum = 0;
  for (const [a, b] of openWindows(cal, from, to)) sum += b - a;
  return sum;
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
  for (let span = 7 * DAY_MS; ; span = Math.min(span * 2, 366 * DAY_MS)) {
    for (const [a, b] of businessWindows(cal, from, from + span)) {
      if (b - a >= left) return new Date(a + left);
      left -= b - a;
    }
    from += span;
    if (from - start.getTime() > 50 * 366 * DAY_MS) throw new Error('The calendar has no open time in the next 50 years');
  }
}

/** Whether the calendar is open at an instant. */
export const isOpenAt = (cal: Calendar, at: Date) => openMillisBetween(cal, at, new Date(at.getTime() + 1)) > 0;
