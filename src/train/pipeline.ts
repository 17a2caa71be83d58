/**
 * The input pipeline of document 002, `from_tensor_slices((x, y)).repeat().shuffle(5000)
 * .batch(256).prefetch(1)`, built on tfjs's own tf.data with its seeded shuffle.
 *
 * tf.data would hold one JS object per sample if fed the rows themselves; instead the dataset
 * streams sample *indices* through repeat/shuffle/batch and gathers each batch from the two big
 * tensors in one op, so a batch costs one gather, not 256 small tensors.
 */
import * as tf from '@tensorflow/tfjs';

export interface PipelineOptions {
  /** Samples per batch (document: 256). */
  batch: number;
  /** Size of the shuffle buffer, as `shuffle(5000)`; 0 or absent keeps the order. */
  shuffle?: number;
  /** Seed of the shuffle: the same seed gives the same stream of batches. */
  seed?: number;
  /** Cycle through the data forever, as `repeat()` (default true). */
  repeat?: boolean;
  /** Batches prepared ahead, as `prefetch(1)` (default 1; 0 for none). */
  prefetch?: number;
}

/** One element of the pipeline: a batch of inputs and the matching labels. */
// A type alias (not an interface) so that it satisfies tf.data's TensorContainer index signature.
export type Batch = {
  xs: tf.Tensor;
  ys: tf.Tensor;
};

function check(name: string, value: number | undefined, min: number): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= min)) {
    throw new RangeError(`train.pipeline: option "${name}" must be an integer ≥ ${min}, got ${value}`);
  }
}

/**
 * `tf.data.Dataset` of `{xs, ys}` batches over the rows of `x` and `y` (same first dimension),
 * in the order repeat → shuffle → batch → prefetch. The caller keeps owning `x` and `y` (they must
 * outlive the dataset); each batch's tensors belong to whoever reads it and must be disposed.
 */
export function pipeline(x: tf.Tensor, y: tf.Tensor, options: PipelineOptions): tf.data.Dataset<Batch> {
  const n = x.shape[0];
  if (y.shape[0] !== n) {
    throw new RangeError(`train.pipeline: x has ${n} rows but y has ${y.shape[0]}; expected the same number`);
  }
  if (n === 0) throw new RangeError('train.pipeline: x has no rows');
  check('batch', options.batch, 1);
  check('shuffle', options.shuffle, 0);
  check('prefetch', options.prefetch, 0);
  if (options.seed !== undefined && !Number.isFinite(options.seed)) {
    throw new RangeError(`train.pipeline: option "seed" must be a finite number, got ${options.seed}`);
  }
  let ds: tf.data.Dataset<number> = tf.data.array(Array.from({ length: n }, (_, i) => i));
  if (options.repeat !== false) ds = ds.repeat();
  if (options.shuffle) {
    // tf.data's shuffle takes a string seed; without one it seeds from the clock. Default to 0
    // rather than the clock so that a forgotten seed still gives a repeatable run.
    ds = ds.shuffle(options.shuffle, String(options.seed ?? 0));
  }
  let batches = ds.batch(options.batch).map((idx) =>
    tf.tidy(() => {
      const i = (idx as tf.Tensor1D).toInt();
      return { xs: tf.gather(x, i), ys: tf.gather(y, i) };
    }),
  ) as tf.data.Dataset<Batch>;
  const ahead = options.prefetch ?? 1;
  if (ahead > 0) batches = batches.prefetch(ahead);
  return batches;
}

/**
 * Read `count` batches from a dataset and hand each to `step` (1-based, as Python's
 * `enumerate(ds.take(n), 1)`), disposing the batch afterwards so a loop cannot leak them.
 */
export async function forEachBatch(
  ds: tf.data.Dataset<Batch>,
  count: number,
  step: (batch: Batch, index: number) => void | Promise<void>,
): Promise<void> {
  const it = await ds.iterator();
  for (let s = 1; s <= count; s++) {
    const r = await it.next();
    if (r.done) return;
    try {
      await step(r.value, s);
    } finally {
      tf.dispose([r.value.xs, r.value.ys]);
    }
  }
}
