import { describe, expect, it } from 'vitest';
import { nextWindow, type IdWindow } from './windows.js';

function walk(edge: number, direction: 'desc' | 'asc', span: number, bounds: { min: number; max: number }): IdWindow[] {
  const out: IdWindow[] = [];
  for (let w = nextWindow(edge, direction, span, bounds); w; w = nextWindow(direction === 'desc' ? w.from - 1 : w.to + 1, direction, span, bounds)) out.push(w);
  return out;
}

const blockRange = (b: { shift: number; index: number }) => ({ from: b.index * 2 ** b.shift, to: (b.index + 1) * 2 ** b.shift - 1 });

describe('id windows', () => {
  const bounds = { min: 17, max: 1_010_486 };
  const cases: [number, 'desc' | 'asc', number][] = [
    [bounds.max, 'desc', 9_000],
    [bounds.max, 'desc', 150_000],
    [bounds.max, 'desc', 1],
    [600_001, 'desc', 70_000],
    [bounds.min, 'asc', 5_000],
    [123_456, 'asc', 300_000],
  ];
  it.each(cases)('from %i %s, %i ids at a time: consecutive, never overlapping, covering every id once', (edge, direction, span) => {
    const windows = walk(edge, direction, span, bounds);
    const down = direction === 'desc';
    // Consecutive from the edge to the end of the ids.
    expect(down ? windows[0].to : windows[0].from).toBe(edge);
    for (let i = 1; i < windows.length; i++) expect(down ? windows[i].to : windows[i].from).toBe(down ? windows[i - 1].from - 1 : windows[i - 1].to + 1);
    const last = windows[windows.length - 1];
    expect(down ? last.from <= bounds.min : last.to >= bounds.max).toBe(true);
    for (const [i, w] of windows.entries()) {
      // As wide as asked (the last may stop at the end), from few blocks.
      if (i < windows.length - 1) expect(w.to - w.from + 1).toBeGreaterThanOrEqual(span);
      expect(w.blocks.length).toBeLessThanOrEqual(16);
      // The blocks tile the window exactly; only the first one reaches past the edge, which the range cuts.
      const ranges = w.blocks.map(blockRange).sort((a, b) => a.from - b.from);
      for (let j = 1; j < ranges.length; j++) expect(ranges[j].from).toBe(ranges[j - 1].to + 1);
      expect(ranges[0].from).toBeLessThanOrEqual(w.from);
      expect(ranges[ranges.length - 1].to).toBeGreaterThanOrEqual(w.to);
      const [firstBlock] = w.blocks.map(blockRange);
      for (const r of w.blocks.slice(1).map(blockRange)) expect(r.from >= w.from && r.to <= w.to).toBe(true);
      expect(down ? firstBlock.from >= w.from : firstBlock.to <= w.to).toBe(true);
      // Only the window that reaches the end of the ids goes without lexemes.
      expect(w.query === undefined).toBe(w === last);
    }
  });

  it('sizes the first window from the edge and ends after the last id', () => {
    const w = nextWindow(1_010_486, 'desc', 9_000, bounds)!;
    expect(w.to).toBe(1_010_486);
    expect(w.to - w.from + 1).toBeGreaterThanOrEqual(9_000);
    expect(w.to - w.from + 1).toBeLessThan(9_000 + 4_096 * 2);
    expect(nextWindow(bounds.min - 1, 'desc', 10, bounds)).toBeNull();
    expect(nextWindow(bounds.max + 1, 'asc', 10, bounds)).toBeNull();
  });
});
