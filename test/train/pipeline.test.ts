import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { init } from '../../src/engine/select';
import { pipeline, forEachBatch } from '../../src/train/pipeline';

beforeAll(async () => {
  await init({ quiet: true });
});

/** 50 rows whose x row i holds i, and y = i: a batch shows exactly which rows it took. */
function rows(n = 50) {
  const x = tf.tensor2d(Array.from({ length: n * 3 }, (_, k) => Math.floor(k / 3)), [n, 3]);
  const y = tf.tensor1d(Array.from({ length: n }, (_, i) => i), 'int32');
  return { x, y };
}

async function firstBatches(ds: tf.data.Dataset<{ xs: tf.Tensor; ys: tf.Tensor }>, count: number): Promise<number[][]> {
  const out: number[][] = [];
  await forEachBatch(ds, count, (b) => {
    const xs = b.xs.arraySync() as number[][];
    const ys = Array.from(b.ys.dataSync());
    expect(xs.map((r) => r[0])).toEqual(ys); // inputs and labels stay paired through the shuffle
    out.push(ys);
  });
  return out;
}

describe('train.pipeline (repeat → shuffle → batch → prefetch)', () => {
  it('gives the same stream for the same seed, another for another seed', async () => {
    const { x, y } = rows();
    const opts = { batch: 8, shuffle: 20, repeat: true, prefetch: 1 };
    const a = await firstBatches(pipeline(x, y, { ...opts, seed: 7 }), 20);
    const b = await firstBatches(pipeline(x, y, { ...opts, seed: 7 }), 20);
    const c = await firstBatches(pipeline(x, y, { ...opts, seed: 8 }), 20);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    expect(a.flat().slice(0, 50)).not.toEqual(Array.from({ length: 50 }, (_, i) => i)); // really shuffled
    tf.dispose([x, y]);
  });

  it('repeats through epochs: every row once per pass when the buffer covers the data', async () => {
    const { x, y } = rows(40);
    // 20 batches of 8 = 160 samples = 4 passes over 40 rows, each row exactly 4 times.
    const seen = (await firstBatches(pipeline(x, y, { batch: 8, shuffle: 40, seed: 1 }), 20)).flat();
    expect(seen.length).toBe(160);
    const counts = new Array(40).fill(0);
    for (const i of seen) counts[i]++;
    expect(Math.min(...counts)).toBeGreaterThan(0);
    expect(counts.reduce((s, c) => s + c, 0)).toBe(160);
    tf.dispose([x, y]);
  });

  it('without repeat ends after one pass, last batch short, order kept without shuffle', async () => {
    const { x, y } = rows(10);
    const got = await firstBatches(pipeline(x, y, { batch: 4, repeat: false, prefetch: 0 }), 100);
    expect(got).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    tf.dispose([x, y]);
  });

  it('leaves no tensor behind once the batches are consumed', async () => {
    const { x, y } = rows();
    const ds = pipeline(x, y, { batch: 8, shuffle: 16, seed: 3, prefetch: 0 });
    const before = tf.memory().numTensors;
    await forEachBatch(ds, 30, () => undefined);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
  });

  it('rejects mismatched rows and bad options, naming the option', () => {
    const { x, y } = rows(10);
    const y9 = tf.zeros([9]);
    expect(() => pipeline(x, y9, { batch: 4 })).toThrow(/x has 10 rows but y has 9/);
    expect(() => pipeline(x, y, { batch: 0 })).toThrow(/option "batch" must be an integer ≥ 1, got 0/);
    expect(() => pipeline(x, y, { batch: 4, shuffle: 2.5 })).toThrow(/option "shuffle"/);
    expect(() => pipeline(x, y, { batch: 4, seed: NaN })).toThrow(/option "seed" must be a finite number/);
    tf.dispose([x, y, y9]);
  });
});
