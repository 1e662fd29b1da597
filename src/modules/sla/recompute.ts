import type { Db } from '../../platform/db.js';
import { breachedSince, evaluateTicket, nextBreach } from './engine.js';

export interface RecomputeReport {
  tickets: number;
  matching: number;
  rebuilt: number;
  seconds: number;
}

/**
 * Rebuilds each ticket's SLA ledger and next-breach time from its history. Tickets whose stored ledger
 * already equals the replay are left untouched; the others are rewritten (and counted).
 */
export async function recomputeSla(db: Db, options: { ticketId?: number; onProgress?: (done: number) => void } = {}): Promise<RecomputeReport> {
  const started = Date.now();
  const report: RecomputeReport = { tickets: 0, matching: 0, rebuilt: 0, seconds: 0 };
  let after = 0;
  for (;;) {
    let q = db.selectFrom('tickets').select('id').where('deleted_at', 'is', null).where('id', '>', after).orderBy('id').limit(500);
    if (options.ticketId !== undefined) q = q.where('id', '=', options.ticketId);
    const batch = await q.execute();
    if (!batch.length) break;
    for (const { id } of batch) {
      await db.transaction().execute(async (tx) => {
        await tx.selectFrom('tickets').select('id').where('id', '=', id).forUpdate().execute();
        const now = new Date();
        const state = await evaluateTicket(tx, id, now);
        const key = (m: string, i: number, t: string, at: Date) => `${m}|${i}|${t}|${at.getTime()}`;
        const stored = await tx.selectFrom('ticket_metric_events').select(['metric', 'instance_id', 'type', 'time']).where('ticket_id', '=', id).execute();
        const want = state.ledger.map((e) => key(e.metric, e.instance, e.type, e.at)).sort();
        const have = stored.map((s) => key(s.metric, s.instance_id, s.type, s.time)).sort();
        report.tickets++;
        if (want.join('\n') === have.join('\n')) {
          report.matching++;
          return;
        }
        report.rebuilt++;
        await tx.deleteFrom('ticket_metric_events').where('ticket_id', '=', id).execute();
        if (state.ledger.length) {
          await tx
            .insertInto('ticket_metric_events')
            .values(
              state.ledger.map((e) => ({
                ticket_id: id,
                metric: e.metric,
                instance_id: e.instance,
                type: e.type,
                time: e.at,
                sla: e.type === 'apply_sla' && e.target ? JSON.stringify({ policy_id: e.target.policyId, target: e.target.minutes, business_hours: e.target.businessHours }) : null,
              })),
            )
            .execute();
        }
        await tx.updateTable('tickets').set({ sla_next_breach_at: nextBreach(state.instances, now), sla_breached_since: breachedSince(state.instances) }).where('id', '=', id).execute();
      });
      after = id;
    }
    options.onProgress?.(report.tickets);
    if (options.ticketId !== undefined) break;
  }
  report.seconds = (Date.now() - started) / 1000;
  return report;
}
