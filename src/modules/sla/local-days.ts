import { DateTime, Info } from 'luxon';
import type { Schedule, Window } from './calendar.js';

export const DAY_MS = 86_400_000;

/**
 * Local days memoized over all zones. Past it every memo is emptied and refills on demand: memory stays
 * bounded in a long-running server, and the few days a replay touches are quickly back.
 */
const MAX_DAYS = 200_000;

/** One weekly pattern in one zone; its days' open windows are computed once each. */
export interface DayTable {
  zone: string;
  weekly: Schedule['weekly'];
  /** How many days a local date can be off the UTC date of the same instant. */
  reach: number;
  /** An unknown zone is never open, as before; knowing it up front spares 50 years of luxon on a due-time search. */
  valid: boolean;
  days: Map<number, readonly Window[]>;
}

/** A schedule ready for lookups: the table of its zone and hours, and its holidays as day numbers. */
export interface CompiledSchedule {
  table: DayTable;
  closed: ReadonlySet<number>;
}

// Few entries (zones × weekly patterns in use): tables are emptied on overflow, never dropped, so a
// compiled schedule's table always stays counted.
const tables = new Map<string, DayTable>();
let memoizedDays = 0;

function tableFor(zone: string, weekly: Schedule['weekly']): DayTable {
  const key = JSON.stringify([zone, weekly]);
  let table = tables.get(key);
  if (!table) {
    const z = Info.normalizeZone(zone);
    // IANA offsets stay within a day; a fixed 'UTC+30' does not.
    const reach = z.isUniversal ? Math.max(1, Math.ceil(Math.abs(z.offset(0)) / 1440)) : 1;
    tables.set(key, (table = { zone, weekly, reach, valid: z.isValid, days: new Map() }));
  }
  return table;
}

/** Holidays as day numbers; a string that is not exactly a day's YYYY-MM-DD closes nothing, as before. */
function closedDays(holidays: readonly string[]): Set<number> {
  const out = new Set<number>();
  for (const h of holidays) {
    const n = Date.parse(h) / DAY_MS;
    if (Number.isInteger(n) && new Date(n * DAY_MS).toISOString().slice(0, 10) === h) out.add(n);
  }
  return out;
}

const compiled = new WeakMap<Schedule, CompiledSchedule>();

/** Schedules are never changed once built, so each is compiled once. */
export function compile(s: Schedule): CompiledSchedule {
  let c = compiled.get(s);
  if (!c) compiled.set(s, (c = { table: tableFor(s.timeZone, s.weekly), closed: closedDays(s.holidays ?? []) }));
  return c;
}

/** Open windows of a local day (days since 1970-01-01), in epoch ms, before holidays. */
export function windowsOn(t: DayTable, dayNumber: number): readonly Window[] {
  const hit = t.days.get(dayNumber);
  if (hit) return hit;
  const out = t.valid ? computeDay(t, dayNumber) : [];
  if (++memoizedDays > MAX_DAYS) {
    for (const other of tables.values()) other.days.clear();
    memoizedDays = 1;
  }
  t.days.set(dayNumber, out);
  return out;
}

/** The costly part, once per zone, hours and day: wall times to instants with that day's offsets. */
function computeDay(t: DayTable, dayNumber: number): Window[] {
  const u = new Date(dayNumber * DAY_MS);
  const day = DateTime.fromObject({ year: u.getUTCFullYear(), month: u.getUTCMonth() + 1, day: u.getUTCDate() }, { zone: t.zone }).startOf('day');
  const next = day.plus({ days: 1 }).startOf('day');
  const out: Window[] = [];
  for (const { start, end } of t.weekly[day.weekday as 1] ?? []) {
    // Local wall times; luxon moves a time that falls in a DST gap forward, as a clock would.
    const a = day.set({ hour: Math.floor(start / 60), minute: start % 60 }).toMillis();
    const b = end >= 1440 ? next.toMillis() : day.set({ hour: Math.floor(end / 60), minute: end % 60 }).toMillis();
    if (b > a) out.push([a, b]);
  }
  return out;
}
