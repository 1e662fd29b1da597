import { describe, expect, it } from 'vitest';
import { FRESH_MS, SharedViewCounts, STALE_MS } from './view-counts.js';

/** A count the test releases by hand, to see what askers get while it runs. */
function pendingCounts() {
  const started: { resolve: (n: number) => void; reject: (e: Error) => void }[] = [];
  const count = () => new Promise<number>((resolve, reject) => started.push({ resolve, reject }));
  return { started, count };
}

const settle = () => new Promise((r) => setImmediate(r));

/** A cache on a hand-moved clock, the counts it starts, and its reported errors. */
function cacheOnClock() {
  const clock = { now: 0 };
  const errors: unknown[] = [];
  const counts = new SharedViewCounts((e) => errors.push(e), () => clock.now);
  return { clock, errors, counts, ...pendingCounts() };
}

/** A cache holding a first count of 40 for view 1. */
async function cacheWith40() {
  const cache = cacheOnClock();
  const first = cache.counts.get(1, cache.count);
  cache.started[0].resolve(40);
  await first;
  return cache;
}

describe('shared view counts', () => {
  it('counts once for concurrent askers, then answers from memory while fresh', async () => {
    const { clock, errors, counts, started, count } = cacheOnClock();
    const a = counts.get(1, count);
    const b = counts.get(1, count);
    expect(started).toHaveLength(1);
    started[0].resolve(40);
    expect(await a).toEqual({ value: 40, fresh: true });
    expect(await b).toEqual({ value: 40, fresh: true });
    clock.now += FRESH_MS;
    expect(await counts.get(1, count)).toEqual({ value: 40, fresh: true });
    expect(started).toHaveLength(1);
    // Another view has its own count.
    const other = counts.get(2, count);
    started[1].resolve(7);
    expect(await other).toEqual({ value: 7, fresh: true });
    expect(errors).toEqual([]);
  });

  it('answers a stale count at once, marked not fresh, while one recount runs; then the new one', async () => {
    const { clock, counts, started, count } = await cacheWith40();
    clock.now += FRESH_MS + 1;
    expect(await counts.get(1, count)).toEqual({ value: 40, fresh: false });
    expect(await counts.get(1, count)).toEqual({ value: 40, fresh: false });
    expect(started).toHaveLength(2);
    started[1].resolve(41);
    await settle();
    expect(await counts.get(1, count)).toEqual({ value: 41, fresh: true });
  });

  it('keeps the old count when a recount fails, reports the error and retries on the next ask', async () => {
    const { clock, errors, counts, started, count } = await cacheWith40();
    clock.now += FRESH_MS + 1;
    expect(await counts.get(1, count)).toEqual({ value: 40, fresh: false });
    started[1].reject(new Error('connection lost'));
    await settle();
    expect(errors.map((e) => (e as Error).message)).toEqual(['connection lost']);
    expect(await counts.get(1, count)).toEqual({ value: 40, fresh: false });
    expect(started).toHaveLength(3);
  });

  it('makes the asker wait for a new count when the old one is too old to show, or the first count failed', async () => {
    const { clock, counts, started, count } = cacheOnClock();
    const first = counts.get(1, count);
    started[0].reject(new Error('timeout'));
    await expect(first).rejects.toThrow('timeout');
    const retry = counts.get(1, count);
    started[1].resolve(40);
    expect(await retry).toEqual({ value: 40, fresh: true });
    clock.now += STALE_MS + 1;
    let answered = false;
    const late = counts.get(1, count).then((c) => ((answered = true), c));
    await settle();
    expect(answered).toBe(false);
    started[2].resolve(52);
    expect(await late).toEqual({ value: 52, fresh: true });
  });
});
