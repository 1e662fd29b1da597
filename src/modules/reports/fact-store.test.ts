import { describe, expect, it } from 'vitest';
import { Codes, SlotIndex } from './fact-store.js';

describe('SlotIndex', () => {
  it('finds slots of dense ids, growing with them', () => {
    const index = new SlotIndex();
    expect(index.get(1)).toBe(-1);
    for (let id = 1; id <= 100_000; id++) index.add(id, id - 1);
    expect(index.get(1)).toBe(0);
    expect(index.get(100_000)).toBe(99_999);
    expect(index.get(100_001)).toBe(-1);
    expect(index.get(0)).toBe(-1);
    expect(index.get(-5)).toBe(-1);
    expect(index.get(1.5)).toBe(-1);
  });

  it('keeps every slot when ids turn sparse, huge, negative or fractional', () => {
    for (const odd of [2 ** 31 + 7, 5e12, 2 ** 53 - 1, 70_000_000, -3, 0.5]) {
      const index = new SlotIndex();
      index.reserve(1000, 1000);
      for (let id = 1; id <= 1000; id++) index.add(id, id - 1);
      index.add(odd, 1000);
      index.add(1001, 1001);
      expect(index.get(odd)).toBe(1000);
      expect(index.get(1001)).toBe(1001);
      for (let id = 1; id <= 1000; id++) expect(index.get(id)).toBe(id - 1);
      expect(index.get(1002)).toBe(-1);
      expect(index.get(odd + 1)).toBe(-1);
    }
  });

  it('ignores a reservation far beyond the tickets it is for', () => {
    const index = new SlotIndex();
    index.reserve(2 ** 40, 10);
    index.add(2 ** 40, 0);
    expect(index.get(2 ** 40)).toBe(0);
  });
});

describe('Codes', () => {
  it('codes values by first appearance, null as -1, unknown as -2', () => {
    const codes = new Codes<number>();
    expect([codes.add(7), codes.add(5e12), codes.add(null), codes.add(7)]).toEqual([0, 1, -1, 0]);
    expect(codes.values).toEqual([7, 5e12]);
    expect([codes.find(5e12), codes.find(8)]).toEqual([1, -2]);
  });
});
