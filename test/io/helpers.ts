/** Shared by the io tests: temp folders, Debian's python3 with numpy/h5py, small seeded models. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import * as tf from '@tensorflow/tfjs';
import { seed } from '../../src/engine/seed';

export const PY = '/usr/bin/python3';
export const FIXTURES = path.join(__dirname, 'fixtures');

export function tmpDir(tag: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `digitlab-io-${tag}-`));
}

/** Whether /usr/bin/python3 can import numpy and h5py; the reason when not. */
export function pythonCheck(): { ok: boolean; why: string } {
  const r = spawnSync(PY, ['-c', 'import numpy, h5py'], { encoding: 'utf8' });
  const ok = r.status === 0;
  const why = ok ? '' : `${PY} cannot import numpy and h5py (${(r.stderr || r.error?.message || '').trim().split('\n').pop()})`;
  if (!ok) console.warn(`SKIPPING the Python cross-checks: ${why}`);
  return { ok, why };
}

/** Run python code (or a script with args); returns stdout, throws with stderr on failure. */
export function py(args: string[], input?: string): string {
  const r = spawnSync(PY, args, { encoding: 'utf8', input, maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`python failed (${r.status}): ${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Document 000's MLP, shrunk: 20 → 16 relu → 10 softmax, compiled like the document. */
export function denseModel(s = 1): tf.Sequential {
  seed(s);
  const m = tf.sequential();
  m.add(tf.layers.dense({ inputShape: [20], units: 16, activation: 'relu' }));
  m.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  m.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}

/** Document 001's CNN, shrunk: 12x12x1 → conv same relu → pool → conv valid → flatten → dropout → dense. */
export function convModel(s = 2): tf.Sequential {
  seed(s);
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [12, 12, 1], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.conv2d({ filters: 3, kernelSize: 3, activation: 'relu' }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dropout({ rate: 0.5 }));
  m.add(tf.layers.dense({ units: 5, activation: 'softmax' }));
  m.compile({ optimizer: tf.train.adam(1e-4), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}

/** Random-but-seeded inputs for a model's input shape. */
export function inputsFor(model: tf.LayersModel, n: number, s = 7): tf.Tensor {
  seed(s);
  const shape = [n, ...(model.inputs[0].shape.slice(1) as number[])];
  return tf.randomUniform(shape, 0, 1, 'float32', s);
}

/** Predictions as a flat Float32Array (and the tensor disposed). */
export function predict(model: tf.LayersModel, x: tf.Tensor): Float32Array {
  const y = model.predict(x) as tf.Tensor;
  const v = y.dataSync() as Float32Array;
  y.dispose();
  return v.slice();
}

/** Bit-for-bit equality of two float arrays (NaN-safe, -0 vs 0 distinguished). */
export function sameBits(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return ua.every((v, i) => v === ub[i]);
}

/** A functional model with the remaining exchangeable layers: Reshape, AveragePooling2D, Activation. */
export function functionalModel(s = 3): tf.LayersModel {
  seed(s);
  const input = tf.input({ shape: [6, 6] });
  let h = tf.layers.reshape({ targetShape: [6, 6, 1] }).apply(input) as tf.SymbolicTensor;
  h = tf.layers.averagePooling2d({ poolSize: 2 }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.flatten().apply(h) as tf.SymbolicTensor;
  h = tf.layers.dense({ units: 7 }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.activation({ activation: 'tanh' }).apply(h) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 3, activation: 'sigmoid' }).apply(h) as tf.SymbolicTensor;
  const m = tf.model({ inputs: input, outputs: out });
  m.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
  return m;
}
