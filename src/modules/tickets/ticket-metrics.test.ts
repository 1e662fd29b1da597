import { describe, expect, it } from 'vitest';
import { businessHours } from '../sla/calendar.js';
import { computeTicketMetrics, type MetricAudit } from './ticket-metrics.js';

const at = (s: string) => new Date(`2024-03-04T${s}:00Z`); // a Monday
const audit = (time: string, fields: Record<string, unknown> = {}, comments: MetricAudit['comments'] = [], authorId: number | null = 1): MetricAudit => ({ at: at(time), authorId, fields, comments });
const business = { kind: 'business' as const, schedules: [businessHours('UTC')] };
const ticket = { createdAt: at('08:00'), requesterId: 2, assigneeId: 1 };

describe('computeTicketMetrics', () => {
  it('counts time still running on an unsolved ticket up to now, and nothing as resolved', () => {
    const m = computeTicketMetrics(ticket, [audit('08:00', { status: 'new' }), audit('09:00', { status: 'pending' })], business, at('12:00'));
    expect(m.requesterWaitTime).toEqual({ calendar: 60, business: 0 });
    expect(m.agentWaitTime).toEqual({ calendar: 180, business: 180 });
    expect(m.firstResolutionTime).toEqual({ calendar: null, business: null });
    expect(m.replyTime).toEqual({ calendar: null, business: null });
    expect(m.replyTimeSeconds).toBeNull();
  });

  it('treats a close from an open status (a merge) as the resolution, and ignores the deletion marker', () => {
    const m = computeTicketMetrics(ticket, [audit('08:00', { status: 'open' }), audit('10:00', { status: 'closed' }), audit('11:00', { status: 'deleted' })], business, at('12:00'));
    expect(m.firstResolutionTime).toEqual({ calendar: 120, business: 60 });
    expect(m.fullResolutionTime).toEqual(m.firstResolutionTime);
    expect(m.requesterWaitTime).toEqual({ calendar: 120, business: 60 });
    expect(m.statusUpdatedAt).toEqual(at('10:00'));
  });

  it('counts stations per change to a different assignee or group, and replies as public agent comments after creation', () => {
    const m = computeTicketMetrics(
      ticket,
      [
        audit('08:00', { status: 'new', group_id: 5 }, [{ public: true, byAgent: true }]),
        audit('08:30', { assignee_id: 1 }, [{ public: false, byAgent: true }]),
        audit('09:00', { assignee_id: 3, group_id: 6 }, [{ public: true, byAgent: false }], 2),
        audit('09:30', { assignee_id: 1 }, [{ public: true, byAgent: true }]),
      ],
      business,
      at('10:00'),
    );
    expect([m.assigneeStations, m.groupStations, m.replies]).toEqual([3, 2, 1]);
    expect(m.replyTime).toEqual({ calendar: 90, business: 30 });
    expect([m.initiallyAssignedAt, m.assignedAt, m.requesterUpdatedAt, m.assigneeUpdatedAt, m.latestCommentAddedAt]).toEqual([at('08:30'), at('09:30'), at('09:00'), at('09:30'), at('09:30')]);
  });
});
