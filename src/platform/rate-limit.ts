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

/** Old windows are useless; trimmed opportunistically by the sweep job. */
export async function pruneRateLimits(db: Db): Promise<void> {
  await db.deleteFrom('rate_limit_hits').where('window_start', '<', new Date(Date.now() - 86_400_000)).execute();
}
