/**
 * A short version of document 002's loop built from the library's pieces: seeded pipeline,
 * sparse cross-entropy from logits, gradientStep (variableGrads + applyGradients). It must learn
 * (accuracy rises well above chance) and hold the tensor count flat across steps.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { init } from '../../src/engine/select';
import { seed } from '../../src/engine/seed';
import { mnist } from '../../src/data/mnist';
import { pipeline, forEachBatch } from '../../src/train/pipeline';
import { sparseSoftmaxCrossEntropy } from '../../src/train/losses';
import { evaluateAccuracy } from '../../src/train/evaluate';
import { gradientStep, trainableVariables } from '../../src/train/step';
import { leakMeter } from '../../src/train/leaks';

beforeAll(async () => {
  await init({ quiet: true });
});

function mlp() {
  const fc1 = tf.layers.dense({ units: 64, activation: 'relu' });
  const out = tf.layers.dense({ units: 10 });
  const call = (x: tf.Tensor) => out.apply(fc1.apply(x)) as tf.Tensor;
  tf.tidy(() => call(tf.zeros([1, 784]))); // build the layers so their variables exist
  return { call, vars: [...trainableVariables(fc1), ...trainableVariables(out)] };
}

async function train(steps: number, s: number) {
  seed(s);
  const { train: tr, test } = mnist();
  const sub = tr.take(6000);
  const x = sub.x({ flatten: true });
  const y = sub.y();
  const net = mlp();
  const opt = tf.train.sgd(0.1);
  const ds = pipeline(x, y, { repeat: true, shuffle: 1000, batch: 64, prefetch: 1, seed: s });
  const meter = leakMeter();
  await forEachBatch(ds, steps, (b, step) => {
    gradientStep(opt, () => sparseSoftmaxCrossEntropy(b.ys, net.call(b.xs)), net.vars);
    if (step === 20 || step === steps) meter.sample(step);
  });
  const xt = test.take(2000).x({ flatten: true });
  const acc = evaluateAccuracy(net.call, xt, test.take(2000).labels);
  const w = net.vars[0].dataSync().slice(0, 5);
  tf.dispose([x, y, xt, ...net.vars]);
  opt.dispose();
  return { acc, meter, w };
}

describe('a custom training loop from the train helpers', () => {
  it('learns MNIST (accuracy > 0.85 after 300 steps), leaks nothing, and repeats per seed', async () => {
    const a = await train(300, 11);
    expect(a.acc).toBeGreaterThan(0.85);
    expect(a.meter.samples.length).toBe(2);
    expect(a.meter.samples[1].numTensors).toBe(a.meter.samples[0].numTensors);
    expect(a.meter.leakedPerStep()).toBe(0);
    const b = await train(30, 11);
    const c = await train(30, 11);
    expect(Array.from(c.w)).toEqual(Array.from(b.w)); // same seed → same weights after training
  });
});
