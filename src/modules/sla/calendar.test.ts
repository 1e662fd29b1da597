import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { addOpenMinutes, businessHours, openMinutesBetween, openWindows, PREMIER_WEEKEND, type Calendar } from './calendar.js';

const at = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toJSDate();
const local = (d: Date, zone: string) => DateTime.fromJSDate(d, { zone }).toFormat("ccc yyyy-MM-dd HH:mm");
const business = (zone: string, holidays: string[] = []): Calendar => ({ kind: 'business', schedules: [businessHours(zone, holidays)] });
const premierUrgent = (zone: string): Calendar => ({ kind: 'business', schedules: [businessHours(zone), PREMIER_WEEKEND] });

describe('worked examples of spec §4.7', () => {
  it('Professional urgent, New York, Friday 16:00 + 4 business hours → Monday 12:00', () => {
    const due = addOpenMinutes(business('America/New_York'), at('2026-03-06T16:00', 'America/New_York'), 240);
    expect(local(due, 'America/New_York')).toBe('Mon 2026-03-09 12:00');
  });
  it('Professional low, Tuesday 10:00 + 2 business days (16 h) → Thursday 10:00', () => {
    const due = addOpenMinutes(business('Europe/Berlin'), at('2026-06-09T10:00', 'Europe/Berlin'), 16 * 60);
    expect(local(due, 'Europe/Berlin')).toBe('Thu 2026-06-11 10:00');
  });
  it('Enterprise normal, Friday 15:00 + 8 business hours → Monday 15:00', () => {
    const due = addOpenMinutes(business('Asia/Tokyo'), at('2026-06-12T15:00', 'Asia/Tokyo'), 480);
    expect(local(due, 'Asia/Tokyo')).toBe('Mon 2026-06-15 15:00');
  });
  it('Premier urgent, Saturday 10:00 PT + 1 calendar hour → Saturday 11:00', () => {
    const due = addOpenMinutes({ kind: 'calendar' }, at('2026-06-13T10:00', 'America/Los_Angeles'), 60);
    expect(local(due, 'America/Los_Angeles')).toBe('Sat 2026-06-13 11:00');
  });
  it('Premier normal, Saturday 10:00 PT + 4 business hours → Monday 13:00', () => {
    const due = addOpenMinutes(business('America/Los_Angeles'), at('2026-06-13T10:00', 'America/Los_Angeles'), 240);
    expect(local(due, 'America/Los_Angeles')).toBe('Mon 2026-06-15 13:00');
  });
});

describe('calendars', () => {
  it('skips holidays on business clocks', () => {
    const cal = business('America/New_York', ['2026-12-25']);
    const due = addOpenMinutes(cal, at('2026-12-24T16:00', 'America/New_York'), 120);
    expect(local(due, 'America/New_York')).toBe('Mon 2026-12-28 10:00');
  });

  it('covers Premier urgent/high weekends in Pacific time, one hour shorter across spring forward', () => {
    const cal = premierUrgent('America/Los_Angeles');
    // Fri 17:00 → Mon 09:00 is 64 hours, or 63 when clocks spring forward on Sunday 8 March 2026.
    expect(openMinutesBetween(cal, at('2026-03-06T17:00', 'America/Los_Angeles'), at('2026-03-09T09:00', 'America/Los_Angeles'))).toBe(63 * 60);
    expect(openMinutesBetween(cal, at('2026-06-12T17:00', 'America/Los_Angeles'), at('2026-06-15T09:00', 'America/Los_Angeles'))).toBe(64 * 60);
    // A Berlin customer's Premier weekend follows Pacific time: it opens at 02:00 Saturday Berlin time.
    const berlin = premierUrgent('Europe/Berlin');
    const due = addOpenMinutes(berlin, at('2026-06-12T17:30', 'Europe/Berlin'), 60);
    expect(local(due, 'Europe/Berlin')).toBe('Sat 2026-06-13 03:00');
  });

  it('counts 24×7 as wall-clock time', () => {
    expect(openMinutesBetween({ kind: 'calendar' }, at('2026-03-07T23:00', 'America/New_York'), at('2026-03-08T05:00', 'America/New_York'))).toBe(5 * 60);
  });
});

const ZONES = ['America/Los_Angeles', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Sydney', 'Pacific/Chatham'];
const instant = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2029, 0, 1) }).map((ms) => new Date(ms - (ms % 60_000)));
const zone = fc.constantFrom(...ZONES);
const holidays = fc.array(fc.integer({ min: 0, max: 5 * 366 }).map((d) => DateTime.utc(2024, 1, 1).plus({ days: d }).toISODate()!), { maxLength: 20 });

describe('business-hours arithmetic over years and DST changes (property tests)', () => {
  it('adding N open minutes then measuring back gives N', () => {
    fc.assert(
      fc.property(zone, instant, fc.integer({ min: 1, max: 60 * 24 * 30 }), holidays, fc.boolean(), (z, start, minutes, hol, premier) => {
        const cal: Calendar = { kind: 'business', schedules: premier ? [businessHours(z, hol), PREMIER_WEEKEND] : [businessHours(z, hol)] };
        const due = addOpenMinutes(cal, start, minutes);
        expect(openMinutesBetween(cal, start, due)).toBe(minutes);
      }),
      { numRuns: 400 },
    );
  });

  it('never counts nights, weekends or holidays', () => {
    fc.assert(
      fc.property(zone, instant, fc.integer({ min: 1, max: 60 * 24 * 60 }), holidays, (z, from, span, hol) => {
        const windows = openWindows(business(z, hol), from, new Date(from.getTime() + span * 60_000));
        for (const [a, b] of windows) {
          const start = DateTime.fromMillis(a, { zone: z });
          const end = DateTime.fromMillis(b - 1, { zone: z });
          expect(start.weekday).toBeLessThanOrEqual(5);
          expect(start.hour * 60 + start.minute).toBeGreaterThanOrEqual(9 * 60);
          expect(end.hour * 60 + end.minute).toBeLessThan(17 * 60);
          expect(start.toISODate()).toBe(end.toISODate());
          expect(hol).not.toContain(start.toISODate());
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is additive: open(a, c) = open(a, b) + open(b, c)', () => {
    fc.assert(
      fc.property(zone, instant, fc.integer({ min: 0, max: 60 * 24 * 20 }), fc.integer({ min: 0, max: 60 * 24 * 20 }), fc.boolean(), (z, a, x, y, premier) => {
        const cal: Calendar = { kind: 'business', schedules: premier ? [businessHours(z), PREMIER_WEEKEND] : [businessHours(z)] };
        const b = new Date(a.getTime() + x * 60_000);
        const c = new Date(b.getTime() + y * 60_000);
        expect(openMinutesBetween(cal, a, c)).toBe(openMinutesBetween(cal, a, b) + openMinutesBetween(cal, b, c));
      }),
      { numRuns: 300 },
    );
  });

  it('gives 8 open hours on every weekday that is not a holiday', () => {
    fc.assert(
      fc.property(zone, fc.integer({ min: 0, max: 5 * 366 }), (z, d) => {
        const day = DateTime.fromObject({ year: 2024, month: 1, day: 1 }, { zone: z }).plus({ days: d });
        const minutes = openMinutesBetween(business(z), day.toJSDate(), day.plus({ days: 1 }).toJSDate());
        expect(minutes).toBe(day.weekday <= 5 ? 480 : 0);
      }),
      { numRuns: 300 },
    );
  });
});
