import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type pg from 'pg';

/**
 * Writes go to PostgreSQL as named prepared statements, once per connection. A ticket write sends a
 * dozen fixed-shape INSERTs and UPDATEs (audit, comment, ledger, report facts, jobs); parsing and
 * planning them again on every request cost PostgreSQL more than running them (issue 10: the
 * report-facts upsert alone planned for 1.4 ms). Prepared, they are parsed once per connection and,
 * after five runs, PostgreSQL may keep a generic plan: their parameters are ids, so one plan fits all.
 *
 * Reads stay unnamed unless marked with PREPARED: a generic plan ignores the parameter's value, and the
 * views' and searches' plans depend on it (skewed statuses, cursor bounds). The reads every ticket
 * request makes by id (the caller, the locked ticket, the audit, the side-loads) are marked: planning
 * them cost PostgreSQL about 0.2 ms each, more than running them.
 */

const MARK = '/* prepared */';
/**
 * Marks a read to prepare: put it in the statement's text (`.modifyFront(PREPARED)`, or inside `sql`).
 * Only for reads whose best plan does not depend on the parameters' values, and whose result columns
 * are named (`allColumns`): a top-level `*` fails once a migration adds a column to the table.
 */
export const PREPARED = sql.raw(MARK);

/** Named statements a connection keeps at most (stale ones included): texts built for a row count (multi-row inserts) must not fill a backend's memory. */
export const PREPARED_PER_CONNECTION = 100;

const WRITE = /^\s*(insert|update|delete)\b|^\s*with\b[\s\S]*?\b(insert\s+into|update|delete\s+from)\b/i;
/** `*` in a result list: a migration adding a column would change the statement's result type, which a prepared statement refuses. */
const STAR = /(\b(select|returning)\s+(distinct\s+)?|,\s*|\.)\*/i;
/** After a schema change, the prepared statement cannot be used again on this connection. */
const isStalePlan = (err: { code?: string; message?: string }) => err?.code === '0A000' && /cached plan must not change result type/.test(err.message ?? '');

export function shouldPrepare(text: string): boolean {
  return text.includes(MARK) || (WRITE.test(text) && !STAR.test(text));
}

export function statementName(text: string): string {
  return `w${createHash('sha1').update(text).digest('base64url').slice(0, 22)}`;
}

/**
 * Each text's verdict (its statement name, or null for "send unnamed"), remembered: the same few dozen
 * texts come back on every request, and testing and hashing them each time showed in profiles.
 * Bounded, as texts built for a row count or a filter combination vary.
 */
const verdicts = new Map<string, string | null>();
const VERDICTS_KEPT = 2000;
function preparedName(text: string): string | null {
  let name = verdicts.get(text);
  if (name === undefined) {
    if (verdicts.size >= VERDICTS_KEPT) verdicts.clear();
    verdicts.set(text, (name = shouldPrepare(text) ? statementName(text) : null));
  }
  return name;
}

type QueryFn = (...args: unknown[]) => unknown;

/** Makes `client` send the writes it runs, and the marked reads, as named statements (see above). */
export function prepareStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as QueryFn;
  /** Statement name per text's hash: a new one once the old became unusable. */
  const names = new Map<string, string>();
  let renamed = 0;
  (client as unknown as { query: QueryFn }).query = (...args: unknown[]) => {
    const [text, values] = args;
    if (typeof text !== 'string' || (values !== undefined && !Array.isArray(values)) || args.length > 2) return query(...args);
    const hash = preparedName(text);
    if (hash === null) return query(...args);
    let name = names.get(hash);
    if (!name) {
      if (names.size + renamed >= PREPARED_PER_CONNECTION) return query(...args);
      names.set(hash, (name = hash));
    }
    return (query({ name, text, values }) as Promise<unknown>).catch((err: { code?: string; message?: string }) => {
      // The server keeps the stale statement (it cannot be dropped inside a failed transaction): use another name from now on.
      if (isStalePlan(err)) names.set(hash, `${hash}_${++renamed}`);
      throw err;
    });
  };
}
