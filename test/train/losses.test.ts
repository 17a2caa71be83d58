import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { init } from '../../src/engine/select';
import { sparseSoftmaxCrossEntropy, accuracy } from '../../src/train/losses';
import { predictClasses, evaluateAccuracy } from '../../src/train/evaluate';
import { leakMeter } from '../../src/train/leaks';

beforeAll(async () => {
  await init({ quiet: true });
});

describe('sparseSoftmaxCrossEntropy', () => {
  it('equals −mean log softmax at the label, computed by hand', () => {
    const logits = [
      [2, 1, 0.1],
      [0.5, 2.5, -1],
      [0, 0, 0],
    ];
    const labels = [0, 2, 1];
    const byHand =
      labels
        .map((l, i) => {
          const row = logits[i];
          const z = row.reduce((s, v) => s + Math.exp(v), 0);
          return -Math.log(Math.exp(row[l]) / z);
        })
        .reduce((a, b) => a + b, 0) / labels.length;
    const loss = sparseSoftmaxCrossEntropy(tf.tensor1d(labels, 'int32'), tf.tensor2d(logits));
    expect(loss.rank).toBe(0);
    expect(loss.dataSync()[0]).toBeCloseTo(byHand, 5);
  });
  it('stays finite for huge logits and has the softmax − onehot gradient', () => {
    const big = sparseSoftmaxCrossEntropy(tf.tensor1d([1], 'int32'), tf.tensor2d([[1000, -1000]]));
    expect(big.dataSync()[0]).toBeGreaterThan(1999);
    expect(Number.isFinite(big.dataSync()[0])).toBe(true);
    const logits = tf.tensor2d([[1, 2, 3]]);
    const g = tf.grad((z: tf.Tensor) => sparseSoftmaxCrossEntropy(tf.tensor1d([0], 'int32'), z))(logits);
    const p = tf.softmax(logits).dataSync();
    const expected = [p[0] - 1, p[1], p[2]];
    Array.from(g.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
  });
  it('rejects labels that do not match the logits', () => {
    expect(() => sparseSoftmaxCrossEntropy(tf.tensor1d([0, 1], 'int32'), tf.zeros([3, 4]))).toThrow(/labels must be \[3\], got shape \[2\]/);
    expect(() => sparseSoftmaxCrossEntropy(tf.tensor1d([0], 'int32'), tf.zeros([4]))).toThrow(/logits must be \[n, classes\]/);
  });
});

describe('accuracy and evaluation', () => {
  const scores = tf.tensor2d([
    [0.9, 0.1, 0],
    [0.2, 0.7, 0.1],
    [0.3, 0.3, 0.4],
    [0.5, 0.4, 0.1],
  ]);
  it('counts argmax matches against class indices or one-hot rows', () => {
    expect(accuracy(scores, tf.tensor1d([0, 1, 2, 1], 'int32'))).toBeCloseTo(0.75, 6);
    expect(accuracy(scores, tf.oneHot(tf.tensor1d([0, 0, 0, 0], 'int32'), 3))).toBeCloseTo(0.5, 6);
    expect(() => accuracy(scores, tf.tensor1d([0, 1], 'int32'))).toThrow(/4 predictions but 2 labels/);
  });
  it('predicts in slices (any slice size gives the same classes) without leaking', () => {
    const x = tf.randomNormal([23, 5], 0, 1, 'float32', 4);
    const w = tf.randomNormal([5, 3], 0, 1, 'float32', 5);
    const f = (b: tf.Tensor) => tf.matMul(b, w);
    const meter = leakMeter();
    meter.sample(0);
    const all = predictClasses(f, x, 1000);
    const sliced = predictClasses(f, x, 4);
    meter.sample(1);
    expect(Array.from(sliced)).toEqual(Array.from(all));
    expect(Array.from(all)).toEqual(Array.from(tf.matMul(x, w).argMax(1).dataSync()));
    expect(meter.leakedPerStep()).toBe(0);
    expect(evaluateAccuracy(f, x, all, 7)).toBe(1);
    const wrong = Array.from(all, (c) => (c + 1) % 3);
    expect(evaluateAccuracy(f, x, wrong)).toBe(0);
    expect(() => evaluateAccuracy(f, x, [1, 2])).toThrow(/23 inputs but 2 labels/);
  });
  it('leakMeter reports tensors gained per step', () => {
    const meter = leakMeter();
    const kept: tf.Tensor[] = [];
    meter.sample(0);
    for (let s = 1; s <= 4; s++) kept.push(tf.scalar(s), tf.scalar(-s));
    meter.sample(4);
    expect(meter.leakedPerStep()).toBe(2);
    tf.dispose(kept);
  });
});

describe('evaluation of a LayersModel', () => {
  it('gives the same classes as predict() itself', () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 8, activation: 'relu', inputShape: [16] }), tf.layers.dense({ units: 4, activation: 'softmax' })] });
    const x = tf.randomNormal([500, 16], 0, 1, 'float32', 9);
    const expected = Array.from((model.predict(x) as tf.Tensor).argMax(1).dataSync());
    const got = predictClasses(model, x, 200);
    expect(Array.from(got)).toEqual(expected);
    expect(evaluateAccuracy(model, x, expected)).toBe(1);
    tf.dispose(x);
    model.dispose();
  });
});
