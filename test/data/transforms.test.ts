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

import { endlessBatches } from '../../src/data/transforms';
import { ImageSet } from '../../src/data/image-set';

describe('endlessBatches and ImageSet.batch', () => {
  it('reshuffles every pass and repeats per seed', () => {
    const take = (seed: number) => {
      const it = endlessBatches(6, 3, seed);
      return Array.from({ length: 4 }, () => [...it.next().value!]);
    };
    const a = take(1);
    expect(take(1)).toEqual(a);
    expect([...a[0], ...a[1]].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect([...a[2], ...a[3]].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect([a[0], a[1]]).not.toEqual([a[2], a[3]]);
    expect(() => endlessBatches(2, 3).next()).toThrow(/batchSize 3 exceeds the 2 samples/);
  });
  it('gathers a batch as scaled NHWC images and one-hot labels', () => {
    const set = new ImageSet({ name: 't', images: Uint8Array.from([0, 255, 255, 0, 51, 51, 51, 51]), labels: Uint8Array.from([1, 2]), shape: [2, 2, 2], numClasses: 3, maxValue: 255 });
    const { x, y } = set.batch([1, 0], { channels: true });
    expect(x.shape).toEqual([2, 2, 2, 1]);
    expect(Array.from(x.dataSync()).map((v) => +v.toFixed(2))).toEqual([0.2, 0.2, 0.2, 0.2, 0, 1, 1, 0]);
    expect(Array.from(y.dataSync())).toEqual([0, 0, 1, 0, 1, 0]);
    x.dispose();
    y.dispose();
  });
});
