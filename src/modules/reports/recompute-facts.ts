import { sql } from 'kysely';
import type { Db, Executor } from '../../platform/db.js';
import { evaluateTicket } from '../sla/engine.js';
import { computeTicketFact, factDifferences, storedTicketFact, writeTicketFact } from './facts.js';

export interface FactsRecomputeReport {
  tickets: number;
  /** Rows already equal to a full replay of their history. */
  matching: number;
  /** Rows missing or different, rewritten. */
  rebuilt: number;
  /** Which columns differed, and how often (a healthy database shows none). */
  differences: Record<string, number>;
  seconds: number;
}

/**
 * Rebuilds report facts from scratch: every ticket's history is replayed and its fact row compared
 * with what the live hooks stored; missing or different rows are rewritten (and counted). Each ticket
 * is locked while it is done, so a concurrent write cannot be overwritten by an older replay.
 */
export async function recomputeFacts(db: Db, options: { ticketIds?: number[]; onProgress?: (done: number) => void } = {}): Promise<FactsRecomputeReport> {
  const started = Date.now();
  const report: FactsRecomputeReport = { tickets: 0, matching: 0, rebuilt: 0, differences: {}, seconds: 0 };
  const only = options.ticketIds;
  let after = 0;
  for (;;) {
    let q = db.selectFrom('tickets').select('id').where('id', '>', after).orderBy('id').limit(500);
    if (only) q = q.where('id', 'in', only.length ? only : [-1]);
    const batch = await q.execute();
    if (!batch.length) break;
    for (const { id } of batch) {
      await db.transaction().execute(async (tx) => {
        await tx.selectFrom('tickets').select('id').where('id', '=', id).forUpdate().execute();
        await recomputeOne(tx, id, report);
      });
      after = id;
    }
    options.onProgress?.(report.tickets);
  }
  report.seconds = (Date.now() - started) / 1000;
  return report;
}

async function recomputeOne(tx: Executor, id: number, report: FactsRecomputeReport): Promise<void> {
  const now = new Date();
  const [want, have] = await Promise.all([computeTicketFact(tx, id, now), storedTicketFact(tx, id)]);
  if (!want) return;
  report.tickets++;
  const replayed = have ? ((await tx.selectFrom('ticket_facts').select('replayed').where('ticket_id', '=', id).executeTakeFirst())?.replayed ?? false) : false;
  const diff = have ? factDifferences(want, have) : ['(missing)'];
  if (!diff.length && replayed) {
    report.matching++;
    return;
  }
  for (const c of diff.length ? diff : ['(not replayed)']) report.differences[c] = (report.differences[c] ?? 0) + 1;
  report.rebuilt++;
  await writeTicketFact(tx, id, await evaluateTicket(tx, id, now));
}

/**
 * The reports.facts-sweep job: tickets that have no facts yet (written in bulk, like the demo data)
 * or only the migration's back-filled part get theirs from a replay, a batch per run.
 */
export async function sweepFacts(db: Db, batch = 2000): Promise<number> {
  const rows = await sql<{ id: number }>`
    (SELECT t.id FROM tickets t WHERE NOT EXISTS (SELECT 1 FROM ticket_facts f WHERE f.ticket_id = t.id) ORDER BY t.id LIMIT ${batch})
    UNION
    (SELECT ticket_id FROM ticket_facts WHERE NOT replayed ORDER BY ticket_id LIMIT ${batch})
  `.execute(db);
  if (!rows.rows.length) return 0;
  const r = await recomputeFacts(db, { ticketIds: rows.rows.map((x) => Number(x.id)) });
  return r.rebuilt;
}
