import fc from 'fast-check';
import { DateTime, Info } from 'luxon';
import { describe, expect, it } from 'vitest';
import { addOpenMinutes, businessHours, isOpenAt, openMillisBetween, openWindows, PREMIER_WEEKEND, type Calendar, type Schedule, type Window } from './calendar.js';
import { calendarFor } from './policies.service.js';

/**
 * The straightforward implementation the memoized one replaced: luxon for every day of every call.
 * It is the oracle: the fast calendar must give the very same windows and instants, to the millisecond.
 */
const reference = (() => {
  const DAY_MS = 86_400_000;
  const localDayNumber = (ms: number, zone: string) => {
    const d = DateTime.fromMillis(ms, { zone });
    return Math.floor(Date.UTC(d.year, d.month - 1, d.day) / DAY_MS);
  };
  const dayWindows = (s: Schedule, dayNumber: number): Window[] => {
    const u = new Date(dayNumber * DAY_MS);
    const day = DateTime.fromObject({ year: u.getUTCFullYear(), month: u.getUTCMonth() + 1, day: u.getUTCDate() }, { zone: s.timeZone }).startOf('day');
    const next = day.plus({ days: 1 }).startOf('day');
    const closed = s.holidays?.includes(u.toISOString().slice(0, 10)) ?? false;
    const out: Window[] = [];
    for (const { start, end } of closed ? [] : (s.weekly[day.weekday as 1] ?? [])) {
      const a = day.set({ hour: Math.floor(start / 60), minute: start % 60 }).toMillis();
      const b = end >= 1440 ? next.toMillis() : day.set({ hour: Math.floor(end / 60), minute: end % 60 }).toMillis();
      if (b > a) out.push([a, b]);
    }
    return out;
  };
  const scheduleWindows = (s: Schedule, fromMs: number, toMs: number): Window[] => {
    const out: Window[] = [];
    for (let n = localDayNumber(fromMs, s.timeZone) - 1; n <= localDayNumber(toMs, s.timeZone) + 1; n++) {
      for (const [a, b] of dayWindows(s, n)) if (Math.min(b, toMs) > Math.max(a, fromMs)) out.push([Math.max(a, fromMs), Math.min(b, toMs)]);
    }
    return out;
  };
  const merge = (windows: Window[]): Window[] => {
    const out: Window[] = [];
    for (const w of [...windows].sort((x, y) => x[0] - y[0])) {
      const last = out[out.length - 1];
      if (last && w[0] <= last[1]) last[1] = Math.max(last[1], w[1]);
      else out.push([w[0], w[1]]);
    }
    return out;
  };
  const windows = (cal: Calendar, from: Date, to: Date): Window[] => {
    const [a, b] = [from.getTime(), to.getTime()];
    if (b <= a) return [];
    return cal.kind === 'calendar' ? [[a, b]] : merge(cal.schedules.flatMap((s) => scheduleWindows(s, a, b)));
  };
  const add = (cal: Calendar, start: Date, minutes: number): Date => {
    let left = minutes * 60_000;
    if (left <= 0) return new Date(start.getTime());
    if (cal.kind === 'calendar') return new Date(start.getTime() + left);
    let from = start.getTime();
    for (let span = 7 * DAY_MS; ; span = Math.min(span * 2, 366 * DAY_MS)) {
      for (const [a, b] of windows(cal, new Date(from), new Date(from + span))) {
        if (b - a >= left) return new Date(a + left);
        left -= b - a;
      }
      from += span;
      if (from - start.getTime() > 50 * 366 * DAY_MS) throw new Error('The calendar has no open time in the next 50 years');
    }
  };
  return { windows, add };
})();

const DAY_MS = 86_400_000;
const ZONES = [
  'America/New_York',
  'Europe/Berlin',
  'Australia/Sydney',
  'Asia/Kolkata',
  'America/St_Johns',
  'Pacific/Chatham',
  'America/Los_Angeles',
  'Australia/Lord_Howe', // 30-minute DST
  'America/Havana', // transitions at midnight: some days start at 01:00
  'America/Santiago',
  'America/Sao_Paulo',
  'Africa/Casablanca', // several transitions a year
  'Pacific/Apia', // skipped 30 December 2011 entirely
  'UTC',
  'UTC+30', // a fixed offset luxon accepts, more than a day away from UTC
];
const FIRST_YEAR = 2008;
const LAST_YEAR = 2034;

/** UTC days on which each zone's offset changes, so generated instants can crowd around them. */
const transitions = new Map(
  ZONES.map((z) => {
    const zone = Info.normalizeZone(z);
    const days: number[] = [];
    let offset = zone.offset(Date.UTC(FIRST_YEAR, 0, 1));
    for (let n = Date.UTC(FIRST_YEAR, 0, 1) / DAY_MS; n < Date.UTC(LAST_YEAR, 0, 1) / DAY_MS; n++) {
      const next = zone.offset((n + 1) * DAY_MS);
      if (next !== offset) days.push(n);
      offset = next;
    }
    return [z, days.length ? days : [Date.UTC(2026, 2, 8) / DAY_MS]];
  }),
);

const anyInstant = fc.integer({ min: Date.UTC(FIRST_YEAR, 0, 1), max: Date.UTC(LAST_YEAR, 0, 1) });
const nearTransition = (z: string) => fc.tuple(fc.constantFrom(...transitions.get(z)!), fc.integer({ min: -3 * DAY_MS, max: 3 * DAY_MS })).map(([n, ms]) => n * DAY_MS + ms);
const instantIn = (z: string) => fc.oneof(anyInstant, nearTransition(z)).map((ms) => new Date(ms));
const isoDay = (ms: number) => new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
/** Holidays around the start, where they matter, some spelled in ways Date.parse accepts but that are no holiday. */
const holidaysFrom = (start: Date) =>
  fc.array(
    fc.tuple(fc.integer({ min: -2, max: 30 }), fc.constantFrom<(iso: string) => string>((iso) => iso, (iso) => iso, (iso) => iso.replace(/-0/g, '-'), (iso) => `${iso}T00:00`, (iso) => ` ${iso}`)).map(([d, spell]) => spell(isoDay(start.getTime() + d * DAY_MS))),
    { maxLength: 12 },
  );

/** Hours with overlapping, unsorted, midnight-touching intervals: the merge must cope as before. */
const odd = (timeZone: string, holidays: string[]): Schedule => ({
  timeZone,
  weekly: { 1: [{ start: 600, end: 1440 }, { start: 0, end: 150 }], 2: [{ start: 0, end: 1440 }], 3: [{ start: 90, end: 180 }, { start: 120, end: 200 }, { start: 125, end: 130 }], 6: [{ start: 150, end: 151 }] },
  holidays,
});

type Kind = 'wall' | 'business' | 'premier' | 'odd';
/** The calendar under test (built as the engine builds it) and an independent copy for the oracle. */
function calendars(kind: Kind, zone: string, holidays: string[]): [Calendar, Calendar] {
  if (kind === 'wall') return [calendarFor({ business_hours: false }, { plan: 'premier', priority: 'low', timeZone: zone }), { kind: 'calendar' }];
  if (kind === 'odd') return [{ kind: 'business', schedules: [odd(zone, [...holidays]), PREMIER_WEEKEND] }, { kind: 'business', schedules: [odd(zone, holidays), PREMIER_WEEKEND] }];
  const premier = kind === 'premier';
  const fast = calendarFor({ business_hours: true }, { plan: premier ? 'premier' : 'enterprise', priority: 'urgent', timeZone: zone, holidays: [...holidays] });
  return [fast, { kind: 'business', schedules: premier ? [businessHours(zone, holidays), PREMIER_WEEKEND] : [businessHours(zone, holidays)] }];
}

const scenario = fc
  .record({ zone: fc.constantFrom(...ZONES), kind: fc.constantFrom<Kind>('wall', 'business', 'business', 'premier', 'premier', 'odd') })
  .chain(({ zone, kind }) => instantIn(zone).chain((start) => fc.record({ zone: fc.constant(zone), kind: fc.constant(kind), start: fc.constant(start), holidays: holidaysFrom(start) })));

describe('the memoized calendar against the straightforward one (property tests)', () => {
  it('gives the same open windows, open time and openness', () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: -DAY_MS, max: 20 * DAY_MS }), ({ zone, kind, start, holidays }, span) => {
        const [fast, oracle] = calendars(kind, zone, holidays);
        const to = new Date(start.getTime() + span);
        const expected = reference.windows(oracle, start, to);
        expect(openWindows(fast, start, to)).toEqual(expected);
        expect(openMillisBetween(fast, start, to)).toBe(expected.reduce((sum, [a, b]) => sum + (b - a), 0));
        expect(isOpenAt(fast, start)).toBe(reference.windows(oracle, start, new Date(start.getTime() + 1)).length > 0);
      }),
      { numRuns: 400 },
    );
  });

  it('gives the same due instant, for whole and fractional minutes left', () => {
    // Fractions as the clocks produce them: target minutes less elapsed milliseconds / 60 000.
    const minutesLeft = fc.tuple(fc.integer({ min: 0, max: 60 * 24 * 12 }), fc.integer({ min: 0, max: 3_600_000 })).map(([m, elapsed]) => m - elapsed / 60_000);
    fc.assert(
      fc.property(scenario, minutesLeft, ({ zone, kind, start, holidays }, minutes) => {
        const [fast, oracle] = calendars(kind, zone, holidays);
        expect(addOpenMinutes(fast, start, minutes).getTime()).toBe(reference.add(oracle, start, minutes).getTime());
      }),
      { numRuns: 400 },
    );
  });

  it('reaches far enough for fixed offsets of more than a day', () => {
    fc.assert(
      fc.property(fc.constantFrom('UTC+30', 'UTC-25:30', 'UTC+99'), anyInstant, fc.integer({ min: 0, max: 3 * DAY_MS }), (zone, ms, span) => {
        const [fast, oracle] = calendars('odd', zone, []);
        const [from, to] = [new Date(ms), new Date(ms + span)];
        expect(openWindows(fast, from, to)).toEqual(reference.windows(oracle, from, to));
      }),
      { numRuns: 100 },
    );
  });

  it('fails like before on a calendar that never opens', () => {
    const never: Calendar = { kind: 'business', schedules: [{ timeZone: 'UTC', weekly: {} }] };
    expect(() => addOpenMinutes(never, new Date('2026-03-29T00:00:00Z'), 1)).toThrow('no open time in the next 50 years');
  });
});

describe('calendarFor', () => {
  it('shares one calendar per zone, cover and holidays, unaffected by later changes to the caller’s holidays', () => {
    const holidays = ['2026-12-25'];
    const ticket = { plan: 'premier' as const, priority: 'high' as const, timeZone: 'Europe/Berlin', holidays };
    const cal = calendarFor({ business_hours: true }, ticket);
    expect(calendarFor({ business_hours: true }, { ...ticket, holidays: ['2026-12-25'] })).toBe(cal);
    expect(cal).toEqual({ kind: 'business', schedules: [businessHours('Europe/Berlin', ['2026-12-25']), PREMIER_WEEKEND] });
    holidays.push('2026-12-26');
    expect(cal).toEqual({ kind: 'business', schedules: [businessHours('Europe/Berlin', ['2026-12-25']), PREMIER_WEEKEND] });
    expect(calendarFor({ business_hours: true }, ticket)).not.toBe(cal);
    expect(calendarFor({ business_hours: true }, { ...ticket, priority: 'normal' })).toEqual({ kind: 'business', schedules: [businessHours('Europe/Berlin', ['2026-12-25', '2026-12-26'])] });
  });
});
