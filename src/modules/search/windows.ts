import { sql, type RawBuilder } from 'kysely';

/**
 * Id windows for finding the newest (or, for export, the next) matches of a word without reading all
 * of them: every stored search vector carries one lexeme per window size naming its block of ticket
 * ids (search_windows() in migration 0026), and ANDing the lexemes of a window into a tsquery makes
 * the GIN index itself drop matches outside it. Sizes are 2^shift ids and must match that function.
 */
const SHIFTS = [12, 14, 16, 18] as const;
/** Blocks per window: two, so a window is at least one full block whatever the edge's position in it. */
const BLOCKS = 2;

export interface IdWindow {
  /** tsquery matching vectors of tickets inside the window. */
  query: RawBuilder<unknown>;
  from: number;
  to: number;
}

/**
 * Windows of growing size starting at `edge` and extending down (newest first) or up (export order),
 * stopping before one that would span all of [min, max], where the caller reads without a window.
 */
export function windowsFrom(edge: number, direction: 'desc' | 'asc', bounds: { min: number; max: number }): IdWindow[] {
  const out: IdWindow[] = [];
  for (const shift of SHIFTS) {
    const block = Math.floor(edge / 2 ** shift);
    const first = direction === 'desc' ? block - BLOCKS + 1 : block;
    const from = Math.max(0, first) * 2 ** shift;
    const to = (first + BLOCKS) * 2 ** shift - 1;
    if (from <= bounds.min && to >= bounds.max) break;
    const lexemes = Array.from({ length: BLOCKS }, (_, i) => first + i)
      .filter((b) => b >= 0)
      .map((b) => `'~${shift}.${b}'`);
    out.push({ query: sql`${lexemes.join(' | ')}::tsquery`, from, to });
  }
  return out;
}
