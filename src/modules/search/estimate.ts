import { CompiledQuery, sql, type Compilable, type RawBuilder } from 'kysely';
import type { Executor } from '../../platform/db.js';
import type { TextTerm } from './query.js';
import { tsQuery } from './ticket-filter.js';

type Plan = { 'QUERY PLAN': { Plan: { 'Plan Rows': number } }[] };

/** The planner's row estimate for a query (EXPLAIN only: nothing is executed, about a millisecond). */
export async function estimatedRows(db: Executor, query: Compilable<unknown>): Promise<number> {
  const compiled = query.compile();
  const { rows } = await db.executeQuery<Plan>(CompiledQuery.raw(`EXPLAIN (FORMAT JSON) ${compiled.sql}`, [...compiled.parameters]));
  return rows[0]['QUERY PLAN'][0].Plan['Plan Rows'];
}

async function plannedRows(db: Executor, query: RawBuilder<unknown>): Promise<number> {
  const { rows } = await sql<Plan>`EXPLAIN (FORMAT JSON) ${query}`.execute(db);
  return rows[0]['QUERY PLAN'][0].Plan['Plan Rows'];
}

/** Of several words, the one the statistics say is in the fewest subjects, descriptions and comments. */
export async function rarestTerm(db: Executor, terms: TextTerm[]): Promise<TextTerm> {
  const counts = await Promise.all(
    terms.map(async (t) => {
      const q = tsQuery(t);
      const [inTickets, inComments] = await Promise.all([plannedRows(db, sql`SELECT 1 FROM ticket_search WHERE vector @@ ${q}`), plannedRows(db, sql`SELECT 1 FROM comment_search WHERE vector @@ ${q}`)]);
      return inTickets + inComments;
    }),
  );
  return terms[counts.indexOf(Math.min(...counts))];
}
