import { describe, expect, it } from 'vitest';
import { replayClocks, type ClockMetric, type HistoryEvent, type SlaContext, type TargetLookup } from './clocks.js';
import { calendarFor } from './policies.service.js';

const PT = (s: string) => new Date(`${s}-07:00`); // June: Pacific daylight time
const premierHigh: SlaContext = { plan: 'premier', priority: 'high', timeZone: 'America/Los_Angeles' };

/** The seeded Premier targets the timeline of spec §6.5 uses (all calendar hours for high). */
const TARGETS: Record<string, Partial<Record<ClockMetric, [number, boolean]>>> = {
  'premier/high': { first_reply_time: [120, false], next_reply_time: [240, false], pausable_update_time: [480, false] },
  'premier/urgent': { first_reply_time: [60, false], next_reply_time: [120, false], pausable_update_time: [240, false] },
  'enterprise/normal': { first_reply_time: [480, true] },
};
const lookup: TargetLookup = (metric, sla) => {
  const t = TARGETS[`${sla.plan}/${sla.priority}`]?.[metric];
  return t ? { minutes: t[0], businessHours: t[1], policyId: 1 } : null;
};
const calendars = (t: { businessHours: boolean }, sla: SlaContext) => calendarFor({ business_hours: t.businessHours }, { plan: sla.plan, priority: sla.priority, timeZone: sla.timeZone });
const find = (r: ReturnType<typeof replayClocks>, metric: ClockMetric, instance = 1) => r.instances.find((i) => i.metric === metric && i.instance === instance)!;

describe('SLA clocks: the timeline of spec §6.5', () => {
  const history: HistoryEvent[] = [
    { at: PT('2026-06-15T09:00'), kind: 'created', status: 'new', sla: premierHigh },
    { at: PT('2026-06-15T10:30'), kind: 'comment', public: true, byAgent: true },
    { at: PT('2026-06-15T10:30'), kind: 'status', to: 'pending' },
    { at: PT('2026-06-15T16:00'), kind: 'comment', public: true, byAgent: false },
    { at: PT('2026-06-15T16:00'), kind: 'status', to: 'open' },
    { at: PT('2026-06-15T17:00'), kind: 'status', to: 'hold' },
    { at: PT('2026-06-15T17:00'), kind: 'comment', public: true, byAgent: true },
  ];
  const r = replayClocks(history, lookup, calendars, PT('2026-06-16T02:00'));

  it('fulfils first reply in 1.5 h against 2 h', () => {
    expect(find(r, 'first_reply_time')).toMatchObject({ stage: 'achieved', breached: false, elapsedMs: 90 * 60_000 });
  });

  it('runs next reply from the customer comment to the escalation note: 1 h, achieved', () => {
    expect(find(r, 'next_reply_time')).toMatchObject({ stage: 'achieved', elapsedMs: 60 * 60_000, activatedAt: PT('2026-06-15T16:00') });
  });

  it('pauses regular updates while pending, and breaches the second instance at Tue 01:00, not later', () => {
    const first = find(r, 'pausable_update_time', 1);
    expect(first).toMatchObject({ stage: 'achieved', elapsedMs: 60 * 60_000 }); // 10:30 pending until 16:00, then 16:00–17:00
    const second = find(r, 'pausable_update_time', 2);
    expect(second).toMatchObject({ stage: 'active', breached: true, breachAt: PT('2026-06-16T01:00') });
    const breach = r.ledger.find((e) => e.metric === 'pausable_update_time' && e.instance === 2 && e.type === 'breach');
    expect(breach?.at).toEqual(PT('2026-06-16T01:00'));
  });

  it('counts requester wait except pending, and agent work except pending and on-hold', () => {
    // 09:00–10:30 and 16:00–02:00 = 1.5 h + 10 h
    expect(find(r, 'requester_wait_time').elapsedMs).toBe(11.5 * 3_600_000);
    // 09:00–10:30 and 16:00–17:00
    expect(find(r, 'agent_work_time').elapsedMs).toBe(2.5 * 3_600_000);
    expect(find(r, 'total_resolution_time').elapsedMs).toBe(17 * 3_600_000);
  });

  it('writes an explainable ledger: every figure traces to activate/pause/fulfill events', () => {
    const upd1 = r.ledger.filter((e) => e.metric === 'pausable_update_time' && e.instance === 1).map((e) => `${e.type}@${e.at.toISOString()}`);
    expect(upd1).toEqual([
      `activate@${PT('2026-06-15T10:30').toISOString()}`,
      `apply_sla@${PT('2026-06-15T10:30').toISOString()}`,
      `pause@${PT('2026-06-15T10:30').toISOString()}`,
      `activate@${PT('2026-06-15T16:00').toISOString()}`,
      `fulfill@${PT('2026-06-15T17:00').toISOString()}`,
    ]);
  });
});

describe('SLA clocks: re-targeting and solving', () => {
  it('breaches at the moment of a priority change that makes the target already exceeded (never back-dated)', () => {
    const r = replayClocks(
      [
        { at: PT('2026-06-15T09:00'), kind: 'created', status: 'new', sla: premierHigh },
        { at: PT('2026-06-15T10:10'), kind: 'retarget', sla: { ...premierHigh, priority: 'urgent' } },
      ],
      lookup,
      calendars,
      PT('2026-06-15T12:00'),
    );
    const frt = find(r, 'first_reply_time');
    expect(frt.breached).toBe(true);
    expect(r.ledger.find((e) => e.type === 'breach')?.at).toEqual(PT('2026-06-15T10:10'));
    expect(r.ledger.filter((e) => e.type === 'breach')).toHaveLength(1);
  });

  it('cancels reply and update clocks on solve without a breach, and restarts resolution clocks on reopen', () => {
    const r = replayClocks(
      [
        { at: PT('2026-06-15T09:00'), kind: 'created', status: 'new', sla: premierHigh },
        { at: PT('2026-06-15T09:30'), kind: 'comment', public: true, byAgent: true },
        { at: PT('2026-06-15T09:30'), kind: 'status', to: 'solved' },
        { at: PT('2026-06-15T11:00'), kind: 'comment', public: true, byAgent: false },
        { at: PT('2026-06-15T11:00'), kind: 'status', to: 'open' },
      ],
      lookup,
      calendars,
      PT('2026-06-15T12:00'),
    );
    expect(find(r, 'pausable_update_time')).toMatchObject({ stage: 'cancelled', breached: false });
    expect(find(r, 'requester_wait_time', 1)).toMatchObject({ stage: 'achieved', elapsedMs: 30 * 60_000 });
    expect(find(r, 'requester_wait_time', 2)).toMatchObject({ stage: 'active', activatedAt: PT('2026-06-15T11:00') });
    expect(find(r, 'next_reply_time')).toMatchObject({ stage: 'active', breached: false });
  });

  it('runs business-hour targets in the customer zone only', () => {
    const r = replayClocks([{ at: new Date('2026-06-12T13:00:00Z'), kind: 'created', status: 'new', sla: { plan: 'enterprise', priority: 'normal', timeZone: 'Europe/Berlin' } }], lookup, calendars, new Date('2026-06-20T00:00:00Z'));
    // Fri 15:00 Berlin + 8 business hours = Mon 15:00 Berlin
    expect(find(r, 'first_reply_time')).toMatchObject({ breached: true, breachAt: new Date('2026-06-15T13:00:00Z') });
  });
});
