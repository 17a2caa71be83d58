/**
 * Seeded random arrays (np.random.randn / rand). The default generator is `Math.random`, which
 * `lab.seed(n)` seeds for the whole process (as np.random.seed does); pass `rng` (from
 * `lab.rng(n)`) for a private stream.
 */
import { gaussian } from '../engine/seed';
import { alloc, fromData, sizeOf, type DType, type NdArray } from './array';

export interface RandomOptions {
  /** Uniform [0, 1) generator (default Math.random, seeded by lab.seed). */
  rng?: () => number;
  dtype?: DType;
  /** Multiply every draw by this (e.g. 0.01 for small initial weights). Default 1. */
  scale?: number;
}

/** Standard normal draws of `shape`, times `scale`. */
export function randn(shape: readonly number[], options: RandomOptions = {}): NdArray {
  const g = gaussian(options.rng ?? Math.random);
  const k = options.scale ?? 1;
  const data = alloc(sizeOf(shape), options.dtype);
  for (let i = 0; i < data.length; i++) data[i] = g() * k;
  return fromData(data, shape);
}

/** Uniform draws in [0, 1) of `shape`, times `scale`. */
export function rand(shape: readonly number[], options: RandomOptions = {}): NdArray {
  const r = options.rng ?? Math.random;
  const k = options.scale ?? 1;
  const data = alloc(sizeOf(shape), options.dtype);
  for (let i = 0; i < data.length; i++) data[i] = r() * k;
  return fromData(data, shape);
}

/** `size` integers drawn uniformly from 0..n-1 with replacement (np.random.choice(n, size)). */
export function choice(n: number, size: number, rng: () => number = Math.random): Int32Array {
  const out = new Int32Array(size);
  for (let i = 0; i < size; i++) out[i] = Math.floor(rng() * n);
  return out;
}
