/** Losses and metrics the documents use that tfjs lacks under their TensorFlow names. */
import * as tf from '@tensorflow/tfjs';

/**
 * `tf.nn.sparse_softmax_cross_entropy_with_logits` followed by `reduce_mean`: integer labels
 * [n] against raw scores [n, k]. Built on tfjs's softmaxCrossEntropy (numerically stable, with its
 * own gradient) by one-hot encoding the labels.
 */
export function sparseSoftmaxCrossEntropy(labels: tf.Tensor, logits: tf.Tensor): tf.Scalar {
  if (logits.rank !== 2) throw new RangeError(`sparseSoftmaxCrossEntropy: logits must be [n, classes], got shape [${logits.shape}]`);
  if (labels.rank !== 1 || labels.shape[0] !== logits.shape[0]) {
    throw new RangeError(`sparseSoftmaxCrossEntropy: labels must be [${logits.shape[0]}], got shape [${labels.shape}]`);
  }
  return tf.tidy(() => {
    const oneHot = tf.oneHot(labels.toInt(), logits.shape[1]!);
    return tf.losses.softmaxCrossEntropy(oneHot, logits, undefined, 0, tf.Reduction.MEAN) as tf.Scalar;
  });
}

/**
 * Fraction of rows whose argmax matches the label. `labels` may be class indices [n] or one-hot
 * rows [n, k]; `predictions` are scores, logits or probabilities [n, k] (argmax is the same).
 */
export function accuracy(predictions: tf.Tensor, labels: tf.Tensor): number {
  if (predictions.rank !== 2) throw new RangeError(`accuracy: predictions must be [n, classes], got shape [${predictions.shape}]`);
  if (labels.shape[0] !== predictions.shape[0]) {
    throw new RangeError(`accuracy: ${predictions.shape[0]} predictions but ${labels.shape[0]} labels`);
  }
  const acc = tf.tidy(() => {
    const truth = labels.rank === 2 ? labels.argMax(1) : labels.toInt();
    return predictions.argMax(1).equal(truth).toFloat().mean();
  });
  const v = acc.dataSync()[0];
  acc.dispose();
  return v;
}
