import { CompiledQuery, sql } from 'kysely';
import type { TextTerm } from './query.js';
import { tsQuery } from './ticket-filter.js';
import type { Executor } from '../../platform/db.js';

type Plan = { 'QUERY PLAN': { Plan: { 'Plan Rows': number } }[] };

/** The planner's row estimate for a query (EXPLAIN only: nothing is executed, about a millisecond). */
export async function estimatedRows(db: Executor, compiled: CompiledQuery): Promise<number> {
  const { rows } = await db.executeQuery<Plan>(CompiledQuery.raw(`EXPLAIN (FORMAT JSON) ${compiled.sql}`, [...compiled.parameters]));
  return rows[0]['QUERY PLAN'][0].Plan['Plan Rows'];
}

/** Statistics change only when PostgreSQL analyzes the table, so a share is good for minutes. */
const SHARE_TTL_MS = 10 * 60_000;
const SHARES_KEPT = 1000;
const shares = new WeakMap<object, Map<string, { share: number; at: number }>>();

/**
 * The share of tickets whose document the statistics say matches all of `terms` (0 without
 * statistics: a fresh or small database). Words outside ANALYZE's most common lexemes get a small
 * default share, which errs toward reading a wider window: cheap, since such words are rare.
 * Kept per database handle for SHARE_TTL_MS: it only sizes the windows a search reads, never decides
 * what matches, and asking costs two statements (an EXPLAIN and the table's size) per search.
 */
export async function documentShare(db: Executor, terms: TextTerm[]): Promise<number> {
  if (!terms.length) return 0;
  const key = JSON.stringify(terms.map((t) => [t.text, t.phrase, t.prefix]));
  let kept = shares.get(db);
  if (!kept) shares.set(db, (kept = new Map()));
  const hit = kept.get(key);
  if (hit && performance.now() - hit.at < SHARE_TTL_MS) return hit.share;
  const q = terms.map(tsQuery).reduce((a, b) => sql`(${a} && ${b})`);
  const [matches, size] = await Promise.all([
    estimatedRows(db, sql`SELECT 1 FROM ticket_search WHERE vector @@ ${q}`.compile(db)),
    sql<{ n: number }>`SELECT reltuples AS n FROM pg_class WHERE oid = 'ticket_search'::regclass`.execute(db),
  ]);
  const tickets = Number(size.rows[0]?.n ?? 0);
  const share = tickets > 0 ? Math.min(1, matches / tickets) : 0;
  // No statistics yet is not worth keeping: the next ANALYZE brings them.
  if (share > 0) {
    kept.delete(key);
    if (kept.size >= SHARES_KEPT) kept.delete(kept.keys().next().value!);
    kept.set(key, { share, at: performance.now() });
  }
  return share;
}
