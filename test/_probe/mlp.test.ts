import { it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import * as lab from '../../src';
function build() {
  const m = tf.sequential({ layers: [tf.layers.dense({ units: 64, activation: 'relu', inputShape: [784] }), tf.layers.dense({ units: 10, activation: 'softmax' })] });
  m.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}
it('probe', async () => {
  await lab.engine.init();
  const x = tf.randomUniform([128, 784]), y = tf.oneHot(tf.randomUniform([128], 0, 10, 'int32'), 10);
  const m = build();
  const N = 200;
  for (let i = 0; i < 20; i++) await m.trainOnBatch(x, y);
  let t = performance.now();
  for (let i = 0; i < N; i++) await m.trainOnBatch(x, y);
  console.log('trainOnBatch ms/step', ((performance.now() - t) / N).toFixed(2));
  const m2 = build();
  const opt = tf.train.rmsprop(1e-3, 0.9, 0, 1e-7);
  t = performance.now();
  for (let i = 0; i < N; i++) {
    const l = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, m2.apply(x) as tf.Tensor) as tf.Scalar, true)!;
    await l.data(); l.dispose();
  }
  console.log('minimize ms/step', ((performance.now() - t) / N).toFixed(2));
  // gradients only (no optimizer)
  t = performance.now();
  for (let i = 0; i < N; i++) {
    const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, m2.apply(x) as tf.Tensor) as tf.Scalar);
    await value.data(); value.dispose(); tf.dispose(grads);
  }
  console.log('grads only ms/step', ((performance.now() - t) / N).toFixed(2));
  // forward only
  t = performance.now();
  for (let i = 0; i < N; i++) { const p = m2.apply(x) as tf.Tensor; await p.data(); p.dispose(); }
  console.log('forward ms', ((performance.now() - t) / N).toFixed(2));
  const w = tf.randomUniform([784, 64]), g = tf.randomUniform([128, 64]);
  t = performance.now();
  for (let i = 0; i < N; i++) tf.matMul(x, w).dispose();
  console.log('matmul 128x784x64 ms', ((performance.now() - t) / N).toFixed(3));
  t = performance.now();
  for (let i = 0; i < N; i++) tf.matMul(x, g, true, false).dispose();
  console.log('matmul xT g ms', ((performance.now() - t) / N).toFixed(3));
  const big = tf.randomUniform([784 * 64]);
  t = performance.now();
  for (let i = 0; i < N; i++) tf.tidy(() => tf.add(tf.mul(big, 0.9), tf.mul(tf.square(big), 0.1)));
  console.log('4 elementwise on 50k ms', ((performance.now() - t) / N).toFixed(3));
}, 600000);
