/**
 * Seeded randomness for the whole process (used by every notebook's parameters cell).
 *
 * tfjs has no global seed: its initializers, dropout and `model.fit`'s shuffling draw their
 * seeds from `Math.random()` when none is given. Replacing `Math.random` with a seeded generator
 * therefore makes weight init, shuffling and dropout repeatable on one backend, which is what
 * `tf.random.set_seed` / `torch.manual_seed` give a Keras or PyTorch user.
 */

/** A seeded generator of floats in [0, 1). */
export interface Rng {
  (): number;
  /** The seed it was made from. */
  readonly seed: number;
}

/**
 * Mulberry32: a small, fast, well-tested 32-bit generator. Written out (10 lines) rather than
 * imported because the library needs it in hot loops (shuffles, randn) where a package call
 * per draw would cost more than the arithmetic.
 */
export function rng(seed: number): Rng {
  let a = (seed >>> 0) ^ 0x9e3779b9;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Object.assign(next, { seed });
}

/** Standard normal draws from a uniform generator (Box–Muller, caching the second value). */
export function gaussian(r: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = r();
    const v = r();
    const m = Math.sqrt(-2 * Math.log(u));
    spare = m * Math.sin(2 * Math.PI * v);
    return m * Math.cos(2 * Math.PI * v);
  };
}

const nativeRandom = Math.random;
let current: number | null = null;

/**
 * Seed all randomness of this process: `Math.random` (and so tfjs's initializers, dropout and
 * fit-shuffling) becomes a generator seeded with `n`. Call it again to restart the sequence;
 * `seed(null)` restores the native, unseeded `Math.random`.
 */
export function seed(n: number | null): void {
  if (n === null) {
    Math.random = nativeRandom;
    current = null;
    return;
  }
  if (!Number.isFinite(n)) throw new Error(`seed: expected a finite number, got ${n}`);
  Math.random = rng(n);
  current = n;
}

/** The seed last passed to `seed()`, or null when randomness is native. */
export function currentSeed(): number | null {
  return current;
}
