import { sql, type RawBuilder } from 'kysely';
import { cachedConfig } from '../../platform/config-cache.js';
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
export async function evaluateTicket(db: Executor, ticketId: number, now = new Date(), stampAuditId?: number): Promise<SlaState> {
  const lookup = await cachedConfig(db, 'sla-targets', loadTargets);
  const holidays = await cachedConfig(db, 'default-holidays', defaultHolidayDates);
  const history = await loadHistory(db, ticketId, stampAuditId);
  return { ...replayClocks(history, lookup, calendarsWith(holidays), now), history, holidays };
}

/**
 * Called in every refreshTicketSla with the state just replayed (the reports module keeps its
 * per-ticket facts here). Each returns a data-modifying statement, run within the statement that
 * stores the ledger: one round trip for all. Like write hooks, they only record state.
 */
export const slaRefreshHooks: ((tx: Executor, ticketId: number, state: SlaState) => RawBuilder<unknown>)[] = [];

/**
 * Appends the replayed ledger events not stored yet and stamps the ticket's next breach, with the
 * hooks' writes and the wake-up job, in one statement. Stored times are compared to the millisecond,
 * the precision of the replay's clock (rows written in bulk may carry microseconds).
 */
async function storeLedger(tx: Executor, ticketId: number, ledger: LedgerEvent[], nextBreachAt: Date | null, breachedSince: Date | null, riders: RawBuilder<unknown>[]): Promise<void> {
  const column = <T>(pick: (e: LedgerEvent) => T) => ledger.map(pick);
  const slaOf = (e: LedgerEvent) => (e.type === 'apply_sla' && e.target ? JSON.stringify({ policy_id: e.target.policyId, target: e.target.minutes, business_hours: e.target.businessHours }) : null);
  const append = sql`
    INSERT INTO ticket_metric_events (ticket_id, metric, instance_id, type, time, sla)
    SELECT ${ticketId}, e.metric, e.instance_id, e.type, e.time, e.sla
    FROM unnest(${column((e) => e.metric)}::text[], ${column((e) => e.instance)}::int[], ${column((e) => e.type)}::text[],
                ${column((e) => e.at.toISOString())}::timestamptz[], ${column(slaOf)}::jsonb[]) WITH ORDINALITY AS e(metric, instance_id, type, time, sla, n)
    WHERE NOT EXISTS (
      SELECT 1 FROM ticket_metric_events m
      WHERE m.ticket_id = ${ticketId} AND m.metric = e.metric AND m.instance_id = e.instance_id AND m.type = e.type
        AND date_trunc('milliseconds', m.time) = e.time)
    ORDER BY e.n
    -- Two nodes observing the same breach: the first row wins, the second is a no-op.
    ON CONFLICT (ticket_id, metric, instance_id) WHERE type = 'breach' DO NOTHING`;
  const writes = [...(ledger.length ? [append] : []), ...riders].map((w, i) => sql`${sql.id(`w${i}`)} AS (${w})`);
  const stamp = sql`UPDATE tickets SET sla_next_breach_at = ${nextBreachAt}, sla_breached_since = ${breachedSince} WHERE id = ${ticketId}`;
  await (writes.length ? sql`WITH ${sql.join(writes)} ${stamp}` : stamp).execute(tx);
}

/**
 * Brings a ticket's stored ledger and next-breach time up to date, in the caller's transaction: stamps
 * the SLA context (plan, time zone) on the audit that caused the change, replays the history, appends
 * the ledger events not stored yet, and schedules the job that records the next breach when it happens.
 */
export async function refreshTicketSla(tx: Executor, ctx: AppContext, ticketId: number, auditId?: number): Promise<SlaState> {
  const now = new Date();
  const state = await evaluateTicket(tx, ticketId, now, auditId);
  await raiseWarnings(tx, ctx, ticketId, state.instances);
  const next = nextBreach(state.instances, now);
  // One job wakes the ticket at its next warning or breach, whichever comes first.
  const wake = [next, ...state.instances.map((i) => warningAt(i, now))].filter((d): d is Date => d !== null).sort((a, b) => a.getTime() - b.getTime())[0];
  const wakeJob = wake ? [ctx.jobs.enqueueSql('sla.breach-check', [{ data: { ticketId }, startAfter: wake, singletonKey: `${ticketId}:${wake.getTime()}` }])] : [];
  await storeLedger(tx, ticketId, state.ledger, next, breachedSince(state.instances), [...slaRefreshHooks.map((hook) => hook(tx, ticketId, state)), ...wakeJob]);
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
