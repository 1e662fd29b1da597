import { describe, expect, it } from 'vitest';
import { currentShift, formatMinutes, incomingRegion, isoWeekday, lastShiftEnd, nextShiftStart, parseMinutes, regionOnShift, regionsOnShift, shiftLabel, shiftMinutes } from './shift-times.js';

// The seeded regions (migration 0012).
const APAC = { id: 1, name: 'APAC', shift_start: 21 * 60, shift_end: 6 * 60, shift_days: [7, 1, 2, 3, 4] };
const EMEA = { id: 2, name: 'EMEA', shift_start: 6 * 60, shift_end: 13 * 60, shift_days: [1, 2, 3, 4, 5] };
const AMER = { id: 3, name: 'AMER', shift_start: 13 * 60, shift_end: 21 * 60, shift_days: [1, 2, 3, 4, 5] };
const ALL = [APAC, EMEA, AMER];
const at = (s: string) => new Date(s);
const names = (rs: { name: string }[]) => rs.map((r) => r.name);

describe('shift times', () => {
  it('knows ISO weekdays in UTC', () => {
    expect(isoWeekday(at('2025-03-03T00:00:00Z'))).toBe(1); // Monday
    expect(isoWeekday(at('2025-03-09T23:59:59Z'))).toBe(7); // Sunday
  });

  it('hands the day from APAC to EMEA to AMER on a weekday, start inclusive and end exclusive', () => {
    // Tuesday 2025-03-04.
    expect(names(regionsOnShift(ALL, at('2025-03-04T05:59:59Z')))).toEqual(['APAC']);
    expect(names(regionsOnShift(ALL, at('2025-03-04T06:00:00Z')))).toEqual(['EMEA']);
    expect(names(regionsOnShift(ALL, at('2025-03-04T08:00:00Z')))).toEqual(['EMEA']);
    expect(names(regionsOnShift(ALL, at('2025-03-04T13:00:00Z')))).toEqual(['AMER']);
    expect(names(regionsOnShift(ALL, at('2025-03-04T20:59:00Z')))).toEqual(['AMER']);
    expect(names(regionsOnShift(ALL, at('2025-03-04T21:00:00Z')))).toEqual(['APAC']);
    expect(names(regionsOnShift(ALL, at('2025-03-04T23:30:00Z')))).toEqual(['APAC']);
  });

  it('runs an overnight shift into the next day by the weekday it started on', () => {
    // APAC's Monday shift starts Sunday 21:00 UTC and covers Monday morning.
    expect(regionOnShift(APAC, at('2025-03-09T21:00:00Z'))).toBe(true);
    expect(regionOnShift(APAC, at('2025-03-10T03:00:00Z'))).toBe(true);
    expect(currentShift(APAC, at('2025-03-10T03:00:00Z'))).toEqual({ start: at('2025-03-09T21:00:00Z'), end: at('2025-03-10T06:00:00Z') });
    // Thursday's 21:00 start runs into Friday 06:00; nothing starts Friday or Saturday evening.
    expect(regionOnShift(APAC, at('2025-03-07T05:00:00Z'))).toBe(true);
    expect(regionOnShift(APAC, at('2025-03-07T22:00:00Z'))).toBe(false);
    expect(regionOnShift(APAC, at('2025-03-08T02:00:00Z'))).toBe(false);
    expect(regionOnShift(APAC, at('2025-03-09T02:00:00Z'))).toBe(false);
  });

  it('leaves the weekend uncovered from Friday 21:00 to Sunday 21:00 UTC', () => {
    for (const t of ['2025-03-07T21:00:00Z', '2025-03-08T08:00:00Z', '2025-03-08T15:00:00Z', '2025-03-09T12:00:00Z', '2025-03-09T20:59:59Z']) {
      expect(regionsOnShift(ALL, at(t)), t).toEqual([]);
    }
    expect(names(regionsOnShift(ALL, at('2025-03-07T20:00:00Z')))).toEqual(['AMER']);
  });

  it('finds the most recent shift end and the next start', () => {
    expect(lastShiftEnd(APAC, at('2025-03-04T06:00:00Z'))).toEqual(at('2025-03-04T06:00:00Z'));
    expect(lastShiftEnd(APAC, at('2025-03-04T07:30:00Z'))).toEqual(at('2025-03-04T06:00:00Z'));
    expect(lastShiftEnd(EMEA, at('2025-03-04T12:59:00Z'))).toEqual(at('2025-03-03T13:00:00Z'));
    // Monday morning: APAC's last finished shift is Friday's (started Thursday).
    expect(lastShiftEnd(APAC, at('2025-03-10T05:00:00Z'))).toEqual(at('2025-03-07T06:00:00Z'));
    expect(lastShiftEnd(AMER, at('2025-03-09T12:00:00Z'))).toEqual(at('2025-03-07T21:00:00Z'));

    expect(nextShiftStart(APAC, at('2025-03-08T10:00:00Z'))).toEqual(at('2025-03-09T21:00:00Z'));
    expect(nextShiftStart(EMEA, at('2025-03-07T10:00:00Z'))).toEqual(at('2025-03-10T06:00:00Z')); // on shift now: the next one
    expect(nextShiftStart(EMEA, at('2025-03-04T05:00:00Z'))).toEqual(at('2025-03-04T06:00:00Z'));
    expect(nextShiftStart({ ...EMEA, shift_days: [] }, at('2025-03-04T05:00:00Z'))).toBeNull();
    expect(lastShiftEnd({ ...EMEA, shift_days: [] }, at('2025-03-04T05:00:00Z'))).toBeNull();
  });

  it('picks the incoming region at a shift end, or the next to start over the weekend', () => {
    expect(incomingRegion(ALL, APAC, at('2025-03-04T06:00:00Z'))?.name).toBe('EMEA');
    expect(incomingRegion(ALL, EMEA, at('2025-03-04T13:00:00Z'))?.name).toBe('AMER');
    expect(incomingRegion(ALL, AMER, at('2025-03-04T21:00:00Z'))?.name).toBe('APAC');
    expect(incomingRegion(ALL, AMER, at('2025-03-07T21:00:00Z'))?.name).toBe('APAC'); // Sunday 21:00
    expect(incomingRegion([EMEA], EMEA, at('2025-03-04T13:00:00Z'))).toBeNull();
    // Overlap: the region whose shift began last takes over.
    const late = { id: 4, name: 'LATE', shift_start: 12 * 60, shift_end: 18 * 60, shift_days: [1, 2, 3, 4, 5] };
    expect(incomingRegion([...ALL, late], EMEA, at('2025-03-04T13:00:00Z'))?.name).toBe('AMER');
  });

  it('treats shifts as UTC, unaffected by daylight saving anywhere', () => {
    // Europe and the US change clocks on these dates; UTC shifts stay put.
    for (const day of ['2025-03-09', '2025-03-30', '2025-10-26', '2025-11-02']) {
      const weekday = isoWeekday(at(`${day}T12:00:00Z`));
      if (weekday <= 5) expect(regionOnShift(EMEA, at(`${day}T06:00:00Z`))).toBe(true);
      expect(currentShift(APAC, at(`${day}T23:00:00Z`))?.end.getTime() ?? null).toBe([7, 1, 2, 3, 4].includes(weekday) ? Date.parse(`${day}T21:00:00Z`) + 9 * 3600_000 : null);
    }
  });

  it('formats, parses and measures shifts', () => {
    expect(shiftLabel(APAC)).toBe('21:00–06:00');
    expect(formatMinutes(6 * 60 + 5)).toBe('06:05');
    expect(parseMinutes('21:00')).toBe(1260);
    expect(parseMinutes('24:00')).toBeNull();
    expect(parseMinutes('9:00')).toBeNull();
    expect(shiftMinutes(APAC)).toBe(9 * 60);
    expect(shiftMinutes(EMEA)).toBe(7 * 60);
    expect(shiftMinutes({ shift_start: 0, shift_end: 0 })).toBe(1440);
  });
});
