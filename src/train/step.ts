/** One optimisation step written out, the tfjs counterpart of a GradientTape block. */
import * as tf from '@tensorflow/tfjs';

/**
 * Differentiate `loss` with respect to `vars` (tf.variableGrads, the GradientTape of tfjs),
 * apply the gradients with `optimizer`, and free everything the step made. Returns nothing on
 * purpose: reading the loss every step would force a device sync; recompute it when printing.
 */
export function gradientStep(optimizer: tf.Optimizer, loss: () => tf.Scalar, vars?: tf.Variable[]): void {
  const { value, grads } = tf.variableGrads(loss, vars);
  optimizer.applyGradients(grads);
  value.dispose();
  tf.dispose(Object.values(grads));
}

/** The tf.Variables behind a tfjs layer's (or model's) trainable weights, for variableGrads. */
export function trainableVariables(owner: { trainableWeights: { read(): tf.Tensor }[] }): tf.Variable[] {
  return owner.trainableWeights.map((w) => w.read() as tf.Variable);
}
