import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db.js';
import { replayClocks, warningAt, type ClockMetric, type HistoryEvent, type Instance, type LedgerEvent, type SlaContext, type Target, type TargetLookup } from './clocks.js';
import { defaultHolidayDates } from './schedules.service.js';
import { raiseWarnings } from './warnings.js';
import { loadHistory } from './history.js';
import { calendarFor } from './policies.service.js';

/** Every target of every policy, keyed plan/priority/metric: small, read once per evaluation. */
export async function loadTargets(db: Executor): Promise<TargetLookup> {
  const rows = await db
    .selectFrom('sla_policy_metrics')
    .innerJoin('sla_policies', 'sla_policies.id', 'sla_policy_metrics.policy_id')
    .select(['sla_policies.id as policy_id', 'sla_policies.plan', 'sla_policy_metrics.priority', 'sla_policy_metrics.metric', 'sla_policy_metrics.target_minutes', 'sla_policy_metrics.business_hours'])
    .execute();
  const map = new Map<string, Target>(rows.map((r) => [`${r.plan}/${r.priority}/${r.metric}`, { minutes: r.target_minutes, businessHours: r.business_hours, policyId: r.policy_id }]));
  return (metric, sla) => (sla.priority ? (map.get(`${sla.plan}/${sla.priority}/${metric}`) ?? null) : null);
}

const calendarsWith = (holidays: string[]) => (target: Target, sla: SlaContext) =>
  calendarFor({ business_hours: target.businessHours }, { plan: sla.plan, priority: sla.priority, timeZone: sla.timeZone, holidays });

export interface SlaState {
  instances: Instance[];
  ledger: LedgerEvent[];
  /** What was replayed, and the holidays of its business calendars (reports derive reply times from them). */
  history: HistoryEvent[];
  holidays: string[];
}

/** Replays a ticket's clocks from its history as of `now`. */
export async function evaluateTicket(db: Executor, ticketId: number, now = new Date()): Promise<SlaState> {
  const [history, lookup, holidays] = await Promise.all([loadHistory(db, ticketId), loadTargets(db), defaultHolidayDates(db)]);
  return { ...replayClocks(history, lookup, calendarsWith(holidays), now), history, holidays };
}

/**
 * Called at the end of every refreshTicketSla, in its transaction, with the state just replayed (the
 * reports module keeps its per-ticket facts here). Like write hooks, they only record state.
 */
export const slaRefreshHooks: ((tx: Executor, ctx: AppContext, ticketId: number, state: SlaState) => Promise<void>)[] = [];

const keyOf = (e: { metric: string; instance: number; type: string; at: Date }) => `${e.metric}|${e.instance}|${e.type}|${e.at.getTime()}`;

/**
 * Brings a ticket's stored ledger and next-breach time up to date, in the caller's transaction: stamps
 * the SLA context (plan, time zone) on the audit that caused the change, replays the history, appends
 * the ledger events not stored yet, and schedules the job that records the next breach when it happens.
 */
export async function refreshTicketSla(tx: Executor, ctx: AppContext, ticketId: number, auditId?: number): Promise<SlaState> {
  if (auditId !== undefined) {
    const org = await tx
      .selectFrom('tickets')
      .leftJoin('organizations', 'organizations.id', 'tickets.organization_id')
      .select(['organizations.support_plan', 'organizations.time_zone'])
      .where('tickets.id', '=', ticketId)
      .executeTakeFirst();
    const context = { plan: org?.support_plan ?? 'free', time_zone: org?.time_zone ?? null };
    await tx.updateTable('ticket_audits').set({ metadata: sql`metadata || ${JSON.stringify({ sla: context })}::jsonb` }).where('id', '=', auditId).execute();
  }
  const now = new Date();
  const state = await evaluateTicket(tx, ticketId, now);
  const stored = await tx.selectFrom('ticket_metric_events').select(['metric', 'instance_id', 'type', 'time']).where('ticket_id', '=', ticketId).execute();
  const known = new Set(stored.map((s) => keyOf({ metric: s.metric, instance: s.instance_id, type: s.type, at: s.time })));
  const fresh = state.ledger.filter((e) => !known.has(keyOf(e)));
  if (fresh.length) {
    await tx
      .insertInto('ticket_metric_events')
      .values(
        fresh.map((e) => ({
          ticket_id: ticketId,
          metric: e.metric,
          instance_id: e.instance,
          type: e.type,
          time: e.at,
          sla: e.type === 'apply_sla' && e.target ? JSON.stringify({ policy_id: e.target.policyId, target: e.target.minutes, business_hours: e.target.businessHours }) : null,
        })),
      )
      // Two nodes observing the same breach: the first row wins, the second is a no-op.
      .onConflict((oc) => oc.columns(['ticket_id', 'metric', 'instance_id']).where('type', '=', 'breach').doNothing())
      .execute();
  }
  await raiseWarnings(tx, ctx, ticketId, state.instances);
  const next = nextBreach(state.instances, now);
  await tx.updateTable('tickets').set({ sla_next_breach_at: next, sla_breached_since: breachedSince(state.instances) }).where('id', '=', ticketId).execute();
  // One job wakes the ticket at its next warning or breach, whichever comes first.
  const wake = [next, ...state.instances.map((i) => warningAt(i, now))].filter((d): d is Date => d !== null).sort((a, b) => a.getTime() - b.getTime())[0];
  if (wake) await ctx.jobs.send('sla.breach-check', { ticketId }, { tx, startAfter: wake, singletonKey: `${ticketId}:${wake.getTime()}` });
  for (const hook of slaRefreshHooks) await hook(tx, ctx, ticketId, state);
  return state;
}

/** The soonest due time among running, not yet breached targets. */
export function nextBreach(instances: Instance[], now: Date): Date | null {
  let next: Date | null = null;
  for (const i of instances) {
    if (i.stage !== 'active' || i.breached || !i.breachAt || i.breachAt <= now) continue;
    if (!next || i.breachAt < next) next = i.breachAt;
  }
  return next;
}

/** Since when the oldest still-running target has been breached, or null when none is. */
export function breachedSince(instances: Instance[]): Date | null {
  let since: Date | null = null;
  for (const i of instances) {
    if (!i.breached || (i.stage !== 'active' && i.stage !== 'paused') || !i.breachAt) continue;
    if (!since || i.breachAt < since) since = i.breachAt;
  }
  return since;
}

/** Job: a due time has passed; record the breach (if the ticket did not move on) and schedule the next one. */
export async function checkBreach(ctx: AppContext, ticketId: number): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const ticket = await tx.selectFrom('tickets').select('id').where('id', '=', ticketId).where('deleted_at', 'is', null).forUpdate().executeTakeFirst();
    if (ticket) await refreshTicketSla(tx, ctx, ticketId);
  });
}

export type { ClockMetric };
