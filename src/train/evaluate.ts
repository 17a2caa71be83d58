/** Predictions and accuracy over a whole test set, in slices so memory stays bounded. */
import * as tf from '@tensorflow/tfjs';

/** Anything that maps a batch of inputs to scores [n, k]: a LayersModel's predict or own code. */
export type Predictor = (x: tf.Tensor) => tf.Tensor;

/** An object with a batch `predict`: a tfjs LayersModel, or one of the library's own networks. */
export interface PredictsBatches {
  predict(x: tf.Tensor, options?: { batchSize?: number }): tf.Tensor | tf.Tensor[];
}

function asPredictor(model: PredictsBatches | Predictor): Predictor {
  if (typeof model === 'function') return model;
  return (x) => {
    // predict() would cut each slice again into its default batches of 32, paying per-op overhead
    // ~30 times per slice (10 s instead of 0.1 s for the MNIST test set on wasm): one batch per slice.
    const y = model.predict(x, { batchSize: x.shape[0] });
    return Array.isArray(y) ? y[0] : y;
  };
}

/**
 * The predicted class of every row of `x`, computed `batchSize` rows at a time without leaking:
 * the argmax of the scores, or score > 0.5 for a single sigmoid output.
 */
export function predictClasses(model: PredictsBatches | Predictor, x: tf.Tensor, batchSize = 1000): Int32Array {
  const f = asPredictor(model);
  const n = x.shape[0];
  const out = new Int32Array(n);
  for (let s = 0; s < n; s += batchSize) {
    const size = Math.min(batchSize, n - s);
    const cls = tf.tidy(() => {
      const y = f(x.slice(s, size));
      return y.rank === 2 && y.shape[1] === 1 ? tf.greater(y.reshape([-1]), 0.5).toInt() : y.argMax(-1);
    });
    out.set(cls.dataSync() as Int32Array, s);
    cls.dispose();
  }
  return out;
}

/** Test accuracy: the share of rows of `x` whose predicted class equals `labels[i]`. */
export function evaluateAccuracy(
  model: PredictsBatches | Predictor,
  x: tf.Tensor,
  labels: ArrayLike<number>,
  batchSize = 1000,
): number {
  if (labels.length !== x.shape[0]) {
    throw new RangeError(`evaluateAccuracy: ${x.shape[0]} inputs but ${labels.length} labels`);
  }
  const pred = predictClasses(model, x, batchSize);
  let correct = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === labels[i]) correct++;
  return correct / pred.length;
}
