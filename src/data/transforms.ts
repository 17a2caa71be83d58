/** The small data transforms the documents use: one-hot, seeded shuffles, batches, splits. */
import { rng } from '../engine/seed';

/** Keras' `to_categorical`: labels → row-major one-hot matrix [n, numClasses]. */
export function toCategorical(labels: ArrayLike<number>, numClasses: number): Float32Array {
  const out = new Float32Array(labels.length * numClasses);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (!Number.isInteger(l) || l < 0 || l >= numClasses) {
      throw new RangeError(`toCategorical: label ${i} is ${l}, expected an integer 0–${numClasses - 1}`);
    }
    out[i * numClasses + l] = 1;
  }
  return out;
}

/** Shuffle in place (Fisher–Yates) with a seeded generator. */
export function shuffleInPlace<T extends { length: number; [i: number]: number }>(a: T, seed: number): T {
  const r = rng(seed);
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}

/** 0..n-1 in a seeded random order. */
export function shuffledIndices(n: number, seed: number): Int32Array {
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  return shuffleInPlace(idx, seed);
}

export interface BatchOptions {
  /** Shuffle before batching (default false). */
  shuffle?: boolean;
  /** Seed of the shuffle (default 0). */
  seed?: number;
  /** Drop a last batch smaller than batchSize (default false). */
  dropRemainder?: boolean;
}

/** Index batches over n samples, optionally in a seeded random order. */
export function* batches(n: number, batchSize: number, options: BatchOptions = {}): Generator<Int32Array> {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batches: batchSize must be a positive integer, got ${batchSize}`);
  const order = options.shuffle ? shuffledIndices(n, options.seed ?? 0) : Int32Array.from({ length: n }, (_, i) => i);
  for (let s = 0; s < n; s += batchSize) {
    if (options.dropRemainder && s + batchSize > n) return;
    yield order.subarray(s, Math.min(n, s + batchSize));
  }
}

/**
 * An endless stream of index batches that reshuffles at every pass over the data, like
 * TensorFlow's `data.train.next_batch(n)` (document 001) or `repeat().shuffle().batch()`.
 * Pass e's shuffle is seeded with seed + e, so the stream repeats for the same seed.
 */
export function* endlessBatches(n: number, batchSize: number, seed = 0): Generator<Int32Array> {
  if (batchSize > n) throw new RangeError(`endlessBatches: batchSize ${batchSize} exceeds the ${n} samples`);
  for (let pass = 0; ; pass++) {
    yield* batches(n, batchSize, { shuffle: true, seed: seed + pass, dropRemainder: true });
  }
}

export interface SplitOptions {
  /** Fraction (0–1) or count of samples for the test part (default 0.25, as scikit-learn). */
  testSize?: number;
  seed?: number;
  /** Keep class proportions in both parts (default true). */
  stratify?: boolean;
}

/**
 * Train/test indices. Stratified like scikit-learn's StratifiedShuffleSplit: each class
 * contributes round(share × testSize) samples to the test part, drawn in a seeded order.
 */
export function stratifiedSplit(labels: ArrayLike<number>, options: SplitOptions = {}): { train: Int32Array; test: Int32Array } {
  const n = labels.length;
  const size = options.testSize ?? 0.25;
  const nTest = size < 1 ? Math.ceil(size * n) : Math.round(size);
  if (!(nTest > 0 && nTest < n)) throw new RangeError(`stratifiedSplit: testSize ${size} leaves no train or no test samples of ${n}`);
  const seed = options.seed ?? 0;
  if (options.stratify === false) {
    const order = shuffledIndices(n, seed);
    return { train: order.slice(nTest).sort(), test: order.slice(0, nTest).sort() };
  }
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    if (!byClass.has(l)) byClass.set(l, []);
    byClass.get(l)!.push(i);
  }
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  // Largest-remainder apportionment so the per-class counts add up to nTest exactly.
  const quotas = classes.map((c) => (byClass.get(c)!.length * nTest) / n);
  const counts = quotas.map(Math.floor);
  let left = nTest - counts.reduce((a, b) => a + b, 0);
  const order = quotas.map((q, i) => [q - Math.floor(q), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left === 0) break;
    counts[i]++;
    left--;
  }
  const test: number[] = [];
  const train: number[] = [];
  classes.forEach((c, k) => {
    const members = Int32Array.from(byClass.get(c)!);
    shuffleInPlace(members, seed + 7919 * (c + 1));
    for (let j = 0; j < members.length; j++) (j < counts[k] ? test : train).push(members[j]);
  });
  return { train: Int32Array.from(train).sort(), test: Int32Array.from(test).sort() };
}
