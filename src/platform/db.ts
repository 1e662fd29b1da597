import pg from 'pg';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import type { Database } from './db-types.js';

// int8 ids and counts fit in a double (< 2^53), as Zendesk's own ids do; numeric stays a string.
pg.types.setTypeParser(20, (v) => Number(v));
// bigint[] (lists of ids) likewise; pg hands arrays as '{1,2,3}' text.
pg.types.setTypeParser(1016 as never, (v) => (v === '{}' ? [] : v.slice(1, -1).split(',').map(Number)));
// Calendar dates stay 'YYYY-MM-DD' strings: a Date would shift them by the process time zone.
pg.types.setTypeParser(1082, (v) => v);

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Either the root handle or an open transaction: repositories accept both. */
export type Executor = Db | Tx;

const UNAVAILABLE = Symbol('databaseUnavailable');
/** SQLSTATEs of a server that is down, starting, shutting down or full: the request may succeed later. */
const UNAVAILABLE_STATES = /^(08|57P0[123]$|53300$)/;

/**
 * True when `err` says PostgreSQL could not be reached or went away (not that it refused the query):
 * a failed connect of the pool, a connection cut mid-query, or a server shutting down. The API answers
 * these with 503 and Retry-After instead of a 500 (issue 11, faults).
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { [UNAVAILABLE]?: boolean; code?: unknown; message?: unknown };
  if (e[UNAVAILABLE]) return true;
  if (typeof e.code === 'string' && UNAVAILABLE_STATES.test(e.code)) return true;
  return typeof e.message === 'string' && /^Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect/.test(e.message);
}

/** A pool whose failed connects are marked, so a refused connection is told apart from other ECONNREFUSED. */
class MarkingPool extends pg.Pool {
  constructor(config: pg.PoolConfig) {
    super(config);
    // pg-pool listens for errors on idle clients only. A checked-out client between two queries of a
    // transaction that loses its server would emit an unheard 'error' and end the process; its next
    // query fails instead (answered 503) and the pool discards it on release.
    this.on('connect', (client) => client.on('error', () => undefined));
  }

  override connect(...args: any[]): any {
    if (args.length) return (super.connect as (...a: any[]) => unknown)(...args);
    return super.connect().catch((e: unknown) => {
      if (e && typeof e === 'object') Object.assign(e, { [UNAVAILABLE]: true });
      throw e;
    });
  }
}

export function createDb(connectionString: string, max = 10): { db: Db; pool: pg.Pool } {
  // JIT compiling pays off for long analytical queries only; on request-sized ones whose estimates run
  // high (a search over a million rows) it added 0.7 s of compiling to a query that ran in 40 ms.
  const pool = new MarkingPool({ connectionString, max, idleTimeoutMillis: 30_000, options: '-c jit=off' });
  // An idle client that loses its server must not crash the process.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, pool };
}
