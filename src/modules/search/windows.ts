import { sql, type RawBuilder } from 'kysely';

/**
 * Id windows for finding the newest (or, for export, the next) matches of a word without reading all
 * of them: every stored search vector carries one lexeme per block size naming its block of ticket
 * ids (search_windows() in migration 0026), and ORing block lexemes into the tsquery makes the GIN
 * index itself drop matches outside them. Sizes are 2^shift ids and must match that function.
 */
const SHIFTS = [12, 14, 16, 18] as const;

export interface IdWindow {
  /** tsquery matching vectors of tickets inside the window; absent when the window runs to the end. */
  query?: RawBuilder<unknown>;
  /** The aligned blocks it is made of: ids shift-block index × 2^shift up to the next block. */
  blocks: { shift: number; index: number }[];
  from: number;
  to: number;
}

/**
 * The window that walks on from `edge` (inclusive) toward the end of `bounds` in `direction` and
 * spans at least `span` ids. It is made of whole aligned blocks, so the window after it starts where
 * it stops and no match is read twice; the first block is the one holding `edge`, cut at `edge`.
 * Null once `edge` is past the bounds.
 */
export function nextWindow(edge: number, direction: 'desc' | 'asc', span: number, bounds: { min: number; max: number }): IdWindow | null {
  const down = direction === 'desc';
  if (down ? edge < bounds.min : edge > bounds.max) return null;
  const first = 2 ** SHIFTS[0];
  // The block holding the edge, from the edge on.
  const firstBlock = Math.floor(edge / first);
  const blocks = [{ shift: SHIFTS[0] as number, index: firstBlock }];
  let next = down ? firstBlock * first - 1 : (firstBlock + 1) * first;
  let covered = down ? edge - firstBlock * first + 1 : next - edge;
  while (covered < span && (down ? next >= bounds.min : next <= bounds.max)) {
    // The largest block aligned at `next` that the remaining span fills (the smallest always fits).
    const start = down ? next + 1 : next;
    const shift = [...SHIFTS].reverse().find((s) => start % 2 ** s === 0 && 2 ** s <= Math.max(span - covered, first)) ?? SHIFTS[0];
    const size = 2 ** shift;
    blocks.push({ shift, index: down ? start / size - 1 : start / size });
    next = down ? next - size : next + size;
    covered += size;
  }
  const from = down ? Math.max(next + 1, 0) : edge;
  const to = down ? edge : next - 1;
  // A window reaching the end of the ids needs no lexemes: the id range alone bounds it.
  const reachesEnd = down ? from <= bounds.min : to >= bounds.max;
  const lexemes = blocks.map((b) => `'~${b.shift}.${b.index}'`).join(' | ');
  return { query: reachesEnd ? undefined : sql`${lexemes}::tsquery`, blocks, from, to };
}
