import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { percentiles } from './percentile.js';

/** percentile_cont by sorting: the definition the selection must match. */
function bySorting(values: number[], p: number): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const r = p * (s.length - 1);
  const lo = Math.floor(r);
  const hi = Math.ceil(r);
  return s[lo] + (s[hi] - s[lo]) * (r - lo);
}

describe('percentiles', () => {
  it('interpolates between ranks like percentile_cont', () => {
    expect(percentiles(Float64Array.from([240, 60, 120]), [0.5, 0.9])).toEqual([120, 216]);
    expect(percentiles(Float64Array.from([10, 20, 30, 40]), [0.5, 0.9])).toEqual([25, 37]);
    expect(percentiles(Float64Array.from([7]), [0.5, 0.9])).toEqual([7, 7]);
    expect(percentiles(new Float64Array(0), [0.5])).toEqual([null]);
  });

  it('equals sorting on any data, duplicates included', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.double({ min: 0, max: 1e6, noNaN: true })), { minLength: 1, maxLength: 300 }), fc.double({ min: 0, max: 1, noNaN: true }), (values, p) => {
        const [got] = percentiles(Float64Array.from(values), [p]);
        expect(got).toBeCloseTo(bySorting(values, p)!, 6);
        // Several at once, as the reports ask (median and 90th), reuse the partitioning.
        const q = Math.min(1, p + 0.3);
        const both = percentiles(Float64Array.from(values), [p, q]);
        expect(both[0]).toBeCloseTo(bySorting(values, p)!, 6);
        expect(both[1]).toBeCloseTo(bySorting(values, q)!, 6);
      }),
      { numRuns: 300 },
    );
  });
});
