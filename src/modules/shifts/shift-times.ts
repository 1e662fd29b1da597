/**
 * Follow-the-sun shift arithmetic (spec §10), pure and in UTC: a region's shift starts at
 * `shift_start` minutes after midnight UTC on each ISO weekday in `shift_days` (1 = Monday) and lasts
 * until `shift_end`, which may fall on the next day (APAC 21:00–06:00). Shifts are defined in UTC, so
 * daylight-saving changes anywhere never move them.
 */
export interface ShiftPattern {
  shift_start: number;
  shift_end: number;
  shift_days: readonly number[];
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Far enough back and ahead to find any shift of a pattern with at least one weekday. */
const SEARCH_DAYS = 8;

/** Length of one shift in minutes; an end before the start runs past midnight, an equal end is 24 hours. */
export function shiftMinutes(p: Pick<ShiftPattern, 'shift_start' | 'shift_end'>): number {
  return (p.shift_end - p.shift_start + 1440) % 1440 || 1440;
}

/** ISO weekday (1 = Monday … 7 = Sunday) of an instant, in UTC. */
export const isoWeekday = (at: Date): number => at.getUTCDay() || 7;

const utcMidnight = (at: Date) => Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());

/** The shift that starts on the UTC day beginning at `dayStart` (ms), or null when that weekday has none. */
function shiftOnDay(p: ShiftPattern, dayStart: number): { start: Date; end: Date } | null {
  if (!p.shift_days.includes(isoWeekday(new Date(dayStart)))) return null;
  const start = dayStart + p.shift_start * MINUTE;
  return { start: new Date(start), end: new Date(start + shiftMinutes(p) * MINUTE) };
}

/** Shifts starting from `fromDay` days before `at`'s UTC day to `toDay` days after it, in time order. */
function shiftsAround(p: ShiftPattern, at: Date, fromDay: number, toDay: number) {
  const today = utcMidnight(at);
  const shifts: { start: Date; end: Date }[] = [];
  for (let d = fromDay; d <= toDay; d++) {
    const s = shiftOnDay(p, today + d * DAY);
    if (s) shifts.push(s);
  }
  return shifts;
}

/** The shift running at `at` (start inclusive, end exclusive), or null. */
export function currentShift(p: ShiftPattern, at: Date): { start: Date; end: Date } | null {
  // A shift lasts at most 24 hours, so only shifts starting today or yesterday can contain `at`.
  return shiftsAround(p, at, -1, 0).find((s) => s.start <= at && at < s.end) ?? null;
}

/** Whether the region is on shift at `at`. */
export const regionOnShift = (p: ShiftPattern, at: Date): boolean => currentShift(p, at) !== null;

/** The regions on shift at `at`, in the given order. */
export const regionsOnShift = <R extends ShiftPattern>(regions: readonly R[], at: Date): R[] => regions.filter((r) => regionOnShift(r, at));

/** The end of the most recent shift that ended at or before `at`, or null when the pattern has no days. */
export function lastShiftEnd(p: ShiftPattern, at: Date): Date | null {
  const ended = shiftsAround(p, at, -SEARCH_DAYS, 0).filter((s) => s.end <= at);
  return ended.length ? ended[ended.length - 1].end : null;
}

/** The first shift start strictly after `at` (the next one when on shift now), or null when the pattern has no days. */
export function nextShiftStart(p: ShiftPattern, at: Date): Date | null {
  return shiftsAround(p, at, 0, SEARCH_DAYS).find((s) => s.start > at)?.start ?? null;
}

/**
 * The region that takes over when `outgoing`'s shift ends at `endedAt`: one on shift at that moment
 * (the one whose shift began last, when several overlap), otherwise the next region to start.
 */
export function incomingRegion<R extends ShiftPattern & { id: number }>(regions: readonly R[], outgoing: R, endedAt: Date): R | null {
  const others = regions.filter((r) => r.id !== outgoing.id);
  const latestStart = (r: R) => currentShift(r, endedAt)!.start.getTime();
  const onShift = regionsOnShift(others, endedAt).sort((a, b) => latestStart(b) - latestStart(a));
  if (onShift.length) return onShift[0];
  let best: { region: R; at: number } | null = null;
  for (const r of others) {
    const next = nextShiftStart(r, endedAt);
    if (next && (!best || next.getTime() < best.at)) best = { region: r, at: next.getTime() };
  }
  return best?.region ?? null;
}

/** Minutes after midnight → "HH:MM". */
export const formatMinutes = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** "HH:MM" (00:00–23:59) → minutes after midnight, or null when malformed. */
export function parseMinutes(text: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/** "21:00–06:00", as shown next to a region. */
export const shiftLabel = (p: Pick<ShiftPattern, 'shift_start' | 'shift_end'>): string => `${formatMinutes(p.shift_start)}–${formatMinutes(p.shift_end)}`;
