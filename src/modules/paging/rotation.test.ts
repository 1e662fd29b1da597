import { describe, expect, it } from 'vitest';
import { onCallAt, upcomingShifts, type Rotation } from './rotation.js';

const weekly: Rotation = { rotationStart: new Date('2026-11-02T09:00:00Z'), rotationHours: 168, participantIds: [11, 12, 13] };
const at = (iso: string) => new Date(iso);

describe('on-call rotation', () => {
  it('hands off every rotation length and names the next participant as backup', () => {
    expect(onCallAt(weekly, [], at('2026-11-02T09:00:00Z'))).toMatchObject({ primaryId: 11, backupId: 12 });
    expect(onCallAt(weekly, [], at('2026-11-09T08:59:59Z'))).toMatchObject({ primaryId: 11, backupId: 12, endsAt: at('2026-11-09T09:00:00Z') });
    expect(onCallAt(weekly, [], at('2026-11-09T09:00:00Z'))).toMatchObject({ primaryId: 12, backupId: 13 });
    expect(onCallAt(weekly, [], at('2026-11-16T09:00:00Z'))).toMatchObject({ primaryId: 13, backupId: 11 });
    expect(onCallAt(weekly, [], at('2026-11-23T12:00:00Z'))).toMatchObject({ primaryId: 11 });
  });

  it('continues the cycle backwards before the rotation start', () => {
    expect(onCallAt(weekly, [], at('2026-11-01T09:00:00Z'))).toMatchObject({ primaryId: 13, backupId: 11, startsAt: at('2026-10-26T09:00:00Z') });
  });

  it('has no backup with a single participant and nobody with none', () => {
    expect(onCallAt({ ...weekly, participantIds: [11] }, [], at('2026-11-20T00:00:00Z'))).toMatchObject({ primaryId: 11, backupId: null });
    expect(onCallAt({ ...weekly, participantIds: [] }, [], at('2026-11-20T00:00:00Z'))).toMatchObject({ primaryId: null, backupId: null });
  });

  it('lets an override replace one role for its range, the newest override winning', () => {
    const overrides = [
      { role: 'primary' as const, userId: 99, startsAt: at('2026-11-03T00:00:00Z'), endsAt: at('2026-11-04T00:00:00Z'), createdAt: at('2026-11-01T00:00:00Z') },
      { role: 'primary' as const, userId: 98, startsAt: at('2026-11-03T12:00:00Z'), endsAt: at('2026-11-03T18:00:00Z'), createdAt: at('2026-11-02T00:00:00Z') },
    ];
    expect(onCallAt(weekly, overrides, at('2026-11-03T06:00:00Z'))).toMatchObject({ primaryId: 99, backupId: 12, overridden: ['primary'], endsAt: at('2026-11-03T12:00:00Z') });
    expect(onCallAt(weekly, overrides, at('2026-11-03T13:00:00Z'))).toMatchObject({ primaryId: 98 });
    expect(onCallAt(weekly, overrides, at('2026-11-04T00:00:00Z'))).toMatchObject({ primaryId: 11, overridden: [] });
  });

  it('lists upcoming shifts split at hand-offs and override edges', () => {
    const overrides = [{ role: 'backup' as const, userId: 77, startsAt: at('2026-11-10T00:00:00Z'), endsAt: at('2026-11-11T00:00:00Z') }];
    const shifts = upcomingShifts(weekly, overrides, at('2026-11-08T00:00:00Z'), 4);
    expect(shifts.map((s) => [s.startsAt.toISOString(), s.primaryId, s.backupId])).toEqual([
      ['2026-11-02T09:00:00.000Z', 11, 12],
      ['2026-11-09T09:00:00.000Z', 12, 13],
      ['2026-11-10T00:00:00.000Z', 12, 77],
      ['2026-11-11T00:00:00.000Z', 12, 13],
    ]);
  });
});
