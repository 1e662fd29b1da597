import { describe, expect, it } from 'vitest';
import { cursorPage, decodeCursor, encodeCursor, readIncrementalParams, timePage, type Fetch, type Window } from './incremental.paging.js';

/** An in-memory table of (second, id) rows answering windows the way the repository does. */
function table(rows: [number, number][]): Fetch<{ id: number }> {
  const keyed = rows.map(([s, id]) => ({ id, key_us: s * 1_000_000 })).sort((a, b) => a.key_us - b.key_us || a.id - b.id);
  return async (w: Window) => {
    const after = w.after;
    const hits = keyed.filter((r) => r.key_us < w.until.getTime() * 1000 && (after ? r.key_us > after.us || (r.key_us === after.us && r.id > after.id) : r.key_us >= (w.from ?? 0) * 1_000_000));
    return w.limit === null ? hits : hits.slice(0, w.limit);
  };
}
const until = new Date(10_000 * 1000);
const ids = (p: { rows: { id: number }[] }) => p.rows.map((r) => r.id);

describe('time-based pages', () => {
  it('end on the last second, which the next page repeats', async () => {
    const f = table([[1, 1], [2, 2], [2, 3], [3, 4]]);
    const p1 = await timePage(f, 0, 2, until);
    expect([ids(p1), p1.endTime, p1.endOfStream]).toEqual([[1, 2], 2, false]);
    const p2 = await timePage(f, p1.endTime, 2, until);
    expect([ids(p2), p2.endTime, p2.endOfStream]).toEqual([[2, 3], 3, false]);
    const p3 = await timePage(f, p2.endTime, 2, until);
    expect([ids(p3), p3.endTime, p3.endOfStream]).toEqual([[4], 3, true]);
  });

  it('finish a second that fills a page, and know when nothing follows it', async () => {
    const f = table([[5, 1], [5, 2], [5, 3], [5, 4]]);
    const p = await timePage(f, 0, 2, until);
    expect([ids(p), p.endTime, p.endOfStream]).toEqual([[1, 2, 3, 4], 6, true]);
    const empty = await timePage(f, 6, 2, until);
    expect([ids(empty), empty.endTime, empty.endOfStream]).toEqual([[], 6, true]);
  });
});

describe('cursor pages', () => {
  it('continue exactly after the last row, and from start_time when empty', async () => {
    const f = table([[1, 1], [1, 2], [2, 3]]);
    const p1 = await cursorPage(f, { startTime: 1 }, 2, until);
    expect([ids(p1), p1.endOfStream]).toEqual([[1, 2], false]);
    const p2 = await cursorPage(f, { cursor: p1.after }, 2, until);
    expect([ids(p2), p2.endOfStream]).toEqual([[3], true]);
    const none = await cursorPage(f, { startTime: 7 }, 2, until);
    expect(none.after).toEqual({ us: 7_000_000, id: 0 });
    expect(decodeCursor(encodeCursor(none.after))).toEqual(none.after);
  });

  it('read cursor=undefined as no cursor and ignore page[size]', () => {
    const now = new Date(1_000_000 * 1000);
    const p = readIncrementalParams({ start_time: '5', cursor: 'undefined', 'page[size]': '100' }, { cursorAllowed: true, now });
    expect(p).toMatchObject({ startTime: 5, cursor: undefined, perPage: 1000, carry: {} });
    expect(readIncrementalParams({ start_time: '5', per_page: '5000', include: 'users,groups' }, { cursorAllowed: false, now })).toMatchObject({ perPage: 1000, carry: { per_page: '1000', include: 'users,groups' } });
  });
});
