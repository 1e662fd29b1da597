import pg from 'pg';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import type { Database } from './db-types.js';
import { prepareStatements } from './prepared-statements.js';
import { DeferringKysely } from './after-commit.js';

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
/** SQLSTATEs of a server that is down, starting, shutting down, full or too slow (a statement cancelled by its timeout): the request may succeed later. */
const UNAVAILABLE_STATES = /^(08|57P0[123]$|53300$|57014$)/;

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

export interface DbOptions {
  /** Connections in the pool. */
  max?: number;
  /** Longest wait for a connection, new or from the pool: a server that accepts but never answers gives 503. */
  connectTimeoutMs?: number;
  /**
   * PostgreSQL cancels a statement running longer than this. A server that stops answering altogether
   * (hung, or a network that drops packets) cannot cancel anything, so the client abandons the connection
   * a little later and the request fails as unavailable instead of hanging. Unset for one-off commands and
   * migrations, whose statements may legitimately run for minutes.
   */
  statementTimeoutMs?: number;
}

/** How long past the server's own statement timeout the client waits before it gives up on a server that does not answer. */
const unansweredGraceMs = (statementTimeoutMs: number) => Math.min(5_000, statementTimeoutMs);

/** A pool whose failed connects are marked, so a refused connection is told apart from other ECONNREFUSED. */
class MarkingPool extends pg.Pool {
  constructor(config: pg.PoolConfig, unansweredAfterMs: number | null) {
    super(config);
    this.on('connect', (client) => {
      // pg-pool listens for errors on idle clients only. A checked-out client between two queries of a
      // transaction that loses its server would emit an unheard 'error' and end the process; its next
      // query fails instead (answered 503) and the pool discards it on release.
      client.on('error', () => undefined);
      if (unansweredAfterMs !== null) abandonWhenUnanswered(client, unansweredAfterMs);
      prepareStatements(client);
    });
  }

  override connect(...args: any[]): any {
    if (args.length) return (super.connect as (...a: any[]) => unknown)(...args);
    return super.connect().catch((e: unknown) => {
      if (e && typeof e === 'object') Object.assign(e, { [UNAVAILABLE]: true });
      throw e;
    });
  }
}

/**
 * Closes the socket of a client whose query has had no answer for `ms`: the query then fails with
 * "Connection terminated" (503), a queued ROLLBACK fails at once instead of waiting behind it, and the
 * pool drops the client on release.
 */
function abandonWhenUnanswered(client: pg.PoolClient, ms: number) {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const pending = query(...args);
    if (!pending || typeof (pending as Promise<unknown>).then !== 'function') return pending;
    const stream = (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream;
    const timer = setTimeout(() => stream.destroy(), ms);
    return (pending as Promise<unknown>).finally(() => clearTimeout(timer));
  };
}

export function createDb(connectionString: string, options: DbOptions = {}): { db: Db; pool: pg.Pool } {
  const { max = 10, connectTimeoutMs = 5_000, statementTimeoutMs } = options;
  // JIT compiling pays off for long analytical queries only; on request-sized ones whose estimates run
  // high (a search over a million rows) it added 0.7 s of compiling to a query that ran in 40 ms.
  const settings = ['-c jit=off', ...(statementTimeoutMs ? [`-c statement_timeout=${statementTimeoutMs}`] : [])];
  const pool = new MarkingPool(
    { connectionString, max, idleTimeoutMillis: 30_000, connectionTimeoutMillis: connectTimeoutMs, keepAlive: true, options: settings.join(' ') },
    statementTimeoutMs ? statementTimeoutMs + unansweredGraceMs(statementTimeoutMs) : null,
  );
  // An idle client that loses its server must not crash the process.
  pool.on('error', () => undefined);
  const db = new DeferringKysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, pool };
}
