/**
 * The fused Dense training step (src/engine/dense-step.ts) trains like tfjs-layers' own step:
 * same losses, accuracies and weights to float32 rounding, for each optimizer and activation it
 * covers; fit's callbacks, validation and history still work; unsupported models fall back.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { init } from '../../src/engine/select';
import { installFusedDense, uninstallFusedDense, fusedDenseInstalled, fusedDenseUnsupported } from '../../src/engine/dense-step';
import { mnist } from '../../src/data/mnist';

const TOL = 1e-4;

let xs: tf.Tensor2D;
let ys: tf.Tensor2D;

beforeAll(async () => {
  await init({ backend: 'wasm', quiet: true });
  const { train } = mnist();
  const idx = Array.from({ length: 96 }, (_, i) => i * 7);
  const b = train.batch(idx, { flatten: true, oneHot: true });
  xs = b.x as tf.Tensor2D;
  ys = b.y as tf.Tensor2D;
});

interface Spec {
  hidden: { units: number; activation: 'relu' | 'sigmoid' | 'tanh' | 'linear'; useBias?: boolean }[];
  optimizer: () => tf.Optimizer | string;
}

function build(spec: Spec, seed: number): tf.Sequential {
  const init = (s: number) => tf.initializers.glorotUniform({ seed: s });
  const m = tf.sequential();
  spec.hidden.forEach((h, i) => m.add(tf.layers.dense({ units: h.units, activation: h.activation, useBias: h.useBias ?? true, inputShape: i === 0 ? [784] : undefined, kernelInitializer: init(seed + i), biasInitializer: tf.initializers.randomNormal({ seed: seed + 20 + i }) })));
  m.add(tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: init(seed + 9) }));
  m.compile({ optimizer: spec.optimizer(), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}

/** Train `steps` batches of 32 with trainOnBatch, fused or not; returns [loss, acc] per step. */
async function train(m: tf.LayersModel, fused: boolean, steps: number, from = 0): Promise<number[][]> {
  if (fused) installFusedDense();
  else uninstallFusedDense();
  const out: number[][] = [];
  for (let s = from; s < from + steps; s++) {
    const a = (s * 32) % 96;
    const x = xs.slice([a, 0], [32, 784]);
    const y = ys.slice([a, 0], [32, 10]);
    out.push((await m.trainOnBatch(x, y)) as number[]);
    x.dispose();
    y.dispose();
  }
  return out;
}

function maxWeightDiff(a: tf.LayersModel, b: tf.LayersModel): number {
  const wa = a.getWeights().map((w) => w.dataSync());
  const wb = b.getWeights().map((w) => w.dataSync());
  let d = 0;
  wa.forEach((w, i) => w.forEach((v, j) => (d = Math.max(d, Math.abs(v - wb[i][j])))));
  return d;
}

const SPECS: [string, Spec][] = [
  ['784-64-10 relu, rmsprop (document 000)', { hidden: [{ units: 64, activation: 'relu' }], optimizer: () => 'rmsprop' }],
  ['784-100-10 relu, adam 1e-3 (document 003, narrower)', { hidden: [{ units: 100, activation: 'relu' }], optimizer: () => tf.train.adam(1e-3) }],
  ['784-30-17-10 sigmoid/tanh, rmsprop with momentum', { hidden: [{ units: 30, activation: 'sigmoid' }, { units: 17, activation: 'tanh' }], optimizer: () => tf.train.rmsprop(0.01, 0.8, 0.5) }],
  ['784-20-10 linear without bias, sgd 0.1', { hidden: [{ units: 20, activation: 'linear', useBias: false }], optimizer: () => tf.train.sgd(0.1) }],
];

describe('fused Dense step', () => {
  for (const [name, spec] of SPECS) {
    it(`${name}: same losses, accuracies and weights as tfjs-layers`, async () => {
      const a = build(spec, 1);
      const b = build(spec, 1);
      expect(maxWeightDiff(a, b)).toBe(0);
      expect(fusedDenseUnsupported(a)).toBeNull();
      const ref = await train(a, false, 6);
      const got = await train(b, true, 6);
      got.forEach(([loss, acc], i) => {
        expect(Math.abs(loss - ref[i][0])).toBeLessThan(TOL * Math.max(1, ref[i][0]));
        expect(acc).toBeCloseTo(ref[i][1], 6);
      });
      expect(maxWeightDiff(a, b)).toBeLessThan(TOL);
      expect(got[5][0]).toBeLessThan(got[0][0]); // it learns
      expect(((b.optimizer as unknown) as { iterations: number }).iterations).toBe(6);
    });
  }

  it('on the cpu backend too', async () => {
    await tf.setBackend('cpu');
    try {
      const spec: Spec = { hidden: [{ units: 24, activation: 'relu' }], optimizer: () => 'rmsprop' };
      const a = build(spec, 8);
      const b = build(spec, 8);
      const ref = await train(a, false, 3);
      const got = await train(b, true, 3);
      got.forEach(([loss], i) => expect(Math.abs(loss - ref[i][0])).toBeLessThan(TOL));
      expect(maxWeightDiff(a, b)).toBeLessThan(TOL);
      const w0 = b.getWeights()[0].dataSync().slice();
      await train(b, true, 1, 3);
      expect(b.getWeights()[0].dataSync()).not.toEqual(w0);
    } finally {
      await tf.setBackend('wasm');
    }
  });

  it('continues from tfjs-layers\' own optimizer state (Adam moments and β powers) and from weights set in between', async () => {
    const spec = SPECS[1][1];
    const a = build(spec, 3);
    const b = build(spec, 3);
    await train(a, false, 3);
    await train(b, false, 3);
    await train(a, false, 3, 3);
    await train(b, true, 3, 3); // picks up the moments tfjs's Adam accumulated
    expect(maxWeightDiff(a, b)).toBeLessThan(TOL);
    // Weights replaced by the user between fused steps are the ones trained next.
    const fresh = build(spec, 4).getWeights();
    a.setWeights(fresh);
    b.setWeights(fresh);
    await train(b, true, 1);
    await train(a, false, 1);
    expect(maxWeightDiff(a, b)).toBeLessThan(TOL);
  });

  it('hands its moments to tfjs\'s optimizer: getWeights, and batches that take tfjs\'s path (class weights)', async () => {
    for (const spec of [SPECS[0][1], SPECS[1][1]]) {
      const a = build(spec, 9);
      const b = build(spec, 9);
      const fitWeighted = (m: tf.LayersModel) =>
        m.fit(xs.slice(0, 32), ys.slice(0, 32), { batchSize: 32, epochs: 1, shuffle: false, verbose: 0, classWeight: { 0: 2, 1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 1, 7: 1, 8: 1, 9: 1 } });
      await train(a, false, 2);
      await fitWeighted(a);
      await train(a, false, 2, 2);
      await train(b, true, 2);
      await fitWeighted(b); // the wrapper hands tfjs the moments, lets it step, and reads them back
      await train(b, true, 2, 2);
      expect(maxWeightDiff(a, b)).toBeLessThan(TOL);
      const wa = (await a.optimizer.getWeights()) as tf.NamedTensor[];
      const wb = (await b.optimizer.getWeights()) as tf.NamedTensor[];
      // Same slots in the same order ("…/kernel/rms"); the layer part of the names differs by model.
      const slot = (ws: tf.NamedTensor[]) => ws.map((w) => w.name.split('/').slice(1).join('/'));
      expect(slot(wb)).toEqual(slot(wa));
      expect(wb[1].name.startsWith(b.layers[0].name)).toBe(true);
      expect(wa.length).toBeGreaterThan(1);
      wa.forEach((w, i) => {
        const d = wb[i].tensor.dataSync();
        let diff = 0;
        w.tensor.dataSync().forEach((v, j) => (diff = Math.max(diff, Math.abs(v - d[j]))));
        expect(diff).toBeLessThan(TOL);
      });
    }
  });

  it('model.fit with validation data, callbacks and history; no tensor leak across epochs', async () => {
    installFusedDense();
    const m = build(SPECS[0][1], 5);
    const counts: number[] = [];
    const batches: number[] = [];
    const h = await m.fit(xs, ys, {
      epochs: 4, batchSize: 20, shuffle: true, validationData: [xs, ys], verbose: 0,
      callbacks: { onBatchEnd: async (_b, logs) => void batches.push(logs!.loss as number), onEpochEnd: async () => void counts.push(tf.memory().numTensors) },
    });
    expect(Object.keys(h.history).sort()).toEqual(['acc', 'loss', 'val_acc', 'val_loss']);
    expect(batches).toHaveLength(4 * 5); // 96 rows in batches of 20: the last batch has 16
    expect(h.history.loss[3]).toBeLessThan(h.history.loss[0] as number);
    expect(new Set(counts.slice(1)).size).toBe(1);
    // val_loss comes from tfjs's own evaluation of the weights the fused step wrote.
    const ev = m.evaluate(xs, ys) as tf.Scalar[];
    expect(ev[0].dataSync()[0]).toBeCloseTo(h.history.val_loss[3] as number, 5);
    tf.dispose(ev);
  });

  it('leaves unsupported models to tfjs-layers, which still trains them', async () => {
    installFusedDense();
    expect(fusedDenseInstalled()).toBe(true);
    const drop = tf.sequential({ layers: [tf.layers.dense({ units: 8, activation: 'relu', inputShape: [784] }), tf.layers.dropout({ rate: 0.5 }), tf.layers.dense({ units: 10, activation: 'softmax' })] });
    drop.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    expect(fusedDenseUnsupported(drop)).toBe('layer 1 is Dropout, not Dense');
    const mse = build(SPECS[0][1], 6);
    mse.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    expect(fusedDenseUnsupported(mse)).toBe('loss meanSquaredError');
    const centered = build(SPECS[0][1], 7);
    centered.compile({ optimizer: tf.train.rmsprop(0.01, 0.9, 0, 1e-7, true), loss: 'categoricalCrossentropy' });
    expect(fusedDenseUnsupported(centered)).toBe('optimizer RMSProp');
    const before = drop.getWeights()[0].dataSync().slice();
    const loss = (await drop.trainOnBatch(xs, ys)) as number;
    expect(Number.isFinite(loss)).toBe(true);
    expect(drop.getWeights()[0].dataSync()).not.toEqual(before);
  });
});
