import { describe, it, expect } from 'vitest';
import { toCategorical, shuffledIndices, batches, stratifiedSplit } from '../../src/data/transforms';

describe('transforms', () => {
  it('toCategorical one-hots and rejects out-of-range labels', () => {
    expect([...toCategorical([2, 0], 3)]).toEqual([0, 0, 1, 1, 0, 0]);
    expect(() => toCategorical([1, 3], 3)).toThrow(/label 1 is 3, expected an integer 0–2/);
  });
  it('shuffles repeatably per seed, as a permutation', () => {
    const a = shuffledIndices(100, 7);
    expect([...a]).toEqual([...shuffledIndices(100, 7)]);
    expect([...a]).not.toEqual([...shuffledIndices(100, 8)]);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
  it('batches cover every index once', () => {
    const seen: number[] = [];
    const sizes: number[] = [];
    for (const b of batches(10, 4, { shuffle: true, seed: 1 })) {
      sizes.push(b.length);
      seen.push(...b);
    }
    expect(sizes).toEqual([4, 4, 2]);
    expect(seen.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...batches(10, 4, { dropRemainder: true })].length).toBe(2);
  });
  it('stratifiedSplit keeps class proportions and is disjoint', () => {
    const labels = Array.from({ length: 400 }, (_, i) => (i < 300 ? 0 : 1));
    const { train, test } = stratifiedSplit(labels, { testSize: 0.25, seed: 3 });
    expect(test.length).toBe(100);
    expect(train.length).toBe(300);
    expect([...test].filter((i) => labels[i] === 1).length).toBe(25);
    const all = new Set([...train, ...test]);
    expect(all.size).toBe(400);
    expect([...stratifiedSplit(labels, { seed: 3 }).test]).toEqual([...test]);
  });
});
