import { sql } from 'kysely';
import type { Db } from './db.js';
import { AppError } from './errors.js';

export interface Limit {
  key: string;
  max: number;
  windowSeconds: number;
}

/**
 * Fixed-window counters in PostgreSQL so every node enforces the same budget.
 * Throws 429 with Retry-After when any of the limits is exhausted.
 */
export async function enforceRateLimits(db: Db, limits: Limit[]): Promise<void> {
  for (const limit of limits) {
    const windowMs = limit.windowSeconds * 1000;
    const now = Date.now();
    const windowStart = new Date(Math.floor(now / windowMs) * windowMs);
    const row = await db
      .insertInto('rate_limit_hits')
      .values({ key: limit.key, window_start: windowStart, hits: 1 })
      .onConflict((oc) => oc.columns(['key', 'window_start']).doUpdateSet({ hits: sql`rate_limit_hits.hits + 1` }))
      .returning('hits')
      .executeTakeFirstOrThrow();
    if (row.hits > limit.max) {
      const retryAfter = Math.max(1, Math.ceil((windowStart.getTime() + windowMs - now) / 1000));
      throw new AppError('TooManyRequests', `Too many attempts. Try again in ${retryAfter} seconds.`, undefined, {
        'Retry-After': String(retryAfter),
      });
    }
  }
}

/** One limit after a hit: how much of its window's budget is left and when the window ends. */
export interface LimitState {
  limit: Limit;
  hits: number;
  remaining: number;
  /** Whole seconds until this window ends (at least 1). */
  resetSeconds: number;
  exceeded: boolean;
}

const windowStart = (limit: Limit, at: number) => {
  const windowMs = limit.windowSeconds * 1000;
  return new Date(Math.floor(at / windowMs) * windowMs);
};

/** Each limit's state once its window's count is known (`hitsByKey`: counts after this hit). */
export function limitStates(limits: Limit[], hitsByKey: Map<string, number>, now: Date): LimitState[] {
  const at = now.getTime();
  return limits.map((limit) => {
    const hits = hitsByKey.get(limit.key) ?? 1;
    const resetSeconds = Math.max(1, Math.ceil((windowStart(limit, at).getTime() + limit.windowSeconds * 1000 - at) / 1000));
    return { limit, hits, remaining: Math.max(0, limit.max - hits), resetSeconds, exceeded: hits > limit.max };
  });
}

/**
 * Counts one hit against every limit in a single multi-row upsert (one round trip, however many
 * limits) and reports each limit's state; the caller decides how to refuse. Keys must be distinct.
 */
export async function hitRateLimits(db: Db, limits: Limit[], now: Date = new Date()): Promise<LimitState[]> {
  if (limits.length === 0) return [];
  // Rows are locked in VALUES order: sorting the keys keeps two concurrent statements from deadlocking.
  const sorted = [...limits].sort((a, b) => (a.key < b.key ? -1 : 1));
  const rows = await db
    .insertInto('rate_limit_hits')
    .values(sorted.map((l) => ({ key: l.key, window_start: windowStart(l, now.getTime()), hits: 1 })))
    .onConflict((oc) => oc.columns(['key', 'window_start']).doUpdateSet({ hits: sql`rate_limit_hits.hits + 1` }))
    .returning(['key', 'hits'])
    .execute();
  return limitStates(limits, new Map(rows.map((r) => [r.key, r.hits])), now);
}

/** Counts after a request's hit, keys with the caller filled in (what hitsForCaller returns). */
export type CountedHits = { key: string; hits: number }[];

/** Stands for the caller in the keys of limits counted by the authentication statement, which finds the caller. */
export const CALLER = '{caller}';

/**
 * The upsert of hitRateLimits as a data-modifying CTE over `users` (the one row authentication found):
 * counting rides on the statement that authenticates, one round trip less on every request. Keys
 * contain CALLER; the row counts only for a user who may act (active, not suspended). Returns
 * {key, hits} rows, keys with the caller filled in.
 */
export function hitsForCaller(windows: LimitWindows, users: string) {
  return sql`INSERT INTO rate_limit_hits (key, window_start, hits)
    SELECT replace(l.key, ${CALLER}, 'user:' || u.id), l.window_start, 1
    FROM ${sql.table(users)} u, unnest(${windows.keys}::text[], ${windows.starts}::timestamptz[]) AS l(key, window_start)
    WHERE u.active AND NOT u.suspended
    ORDER BY 1
    ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limit_hits.hits + 1
    RETURNING key, hits`;
}

/** The limits' keys and the starts of their current windows, as hitsForCaller takes them. */
export type LimitWindows = { keys: string[]; starts: string[] };
export function limitWindows(limits: Limit[], now: Date): LimitWindows {
  const at = now.getTime();
  return { keys: limits.map((l) => l.key), starts: limits.map((l) => windowStart(l, at).toISOString()) };
}

/** Old windows are useless; trimmed opportunistically by the sweep job. */
export async function pruneRateLimits(db: Db): Promise<void> {
  await db.deleteFrom('rate_limit_hits').where('window_start', '<', new Date(Date.now() - 86_400_000)).execute();
}
