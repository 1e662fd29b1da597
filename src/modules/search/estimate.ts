import { CompiledQuery, type Compilable } from 'kysely';
import type { Executor } from '../../platform/db.js';

type Plan = { 'QUERY PLAN': { Plan: { 'Plan Rows': number } }[] };

/** The planner's row estimate for a query (EXPLAIN only: nothing is executed, about a millisecond). */
export async function estimatedRows(db: Executor, query: Compilable<unknown>): Promise<number> {
  const compiled = query.compile();
  const { rows } = await db.executeQuery<Plan>(CompiledQuery.raw(`EXPLAIN (FORMAT JSON) ${compiled.sql}`, [...compiled.parameters]));
  return rows[0]['QUERY PLAN'][0].Plan['Plan Rows'];
}
