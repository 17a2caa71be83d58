/**
 * Our .h5 files against real Keras (keras 3 with TensorFlow), both ways, on the notebooks' model
 * shapes: `keras.models.load_model` reads what saveKerasH5 writes and predicts the same, and a
 * Keras-written .h5 loads into tfjs and predicts the same.
 *
 * Keras is not a Debian package; `.ci/run` installs keras + tensorflow-cpu into .venv-keras from
 * the machine's local wheel mirror (/opt/pypi). Elsewhere set DIGITLAB_KERAS_PYTHON to a python
 * that imports keras, or this file says why it is skipped.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import * as tf from '@tensorflow/tfjs';
import * as lab from '../../src';
import { tmpDir } from './helpers';

const ROOT = path.join(__dirname, '..', '..');
const SCRIPT = path.join(__dirname, 'keras_check.py');
const PYTHON = process.env.DIGITLAB_KERAS_PYTHON ?? path.join(ROOT, '.venv-keras', 'bin', 'python');
const probe = fs.existsSync(PYTHON) ? spawnSync(PYTHON, ['-c', 'import keras'], { encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' } }) : null;
const haveKeras = probe?.status === 0;
if (!haveKeras) console.warn(`SKIPPING real-Keras checks: ${probe ? `${PYTHON} cannot import keras` : `${PYTHON} not found`} (see .ci/run)`);

function keras(args: string[]): Record<string, unknown> {
  const r = spawnSync(PYTHON, [SCRIPT, ...args], { encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' }, maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`keras_check.py ${args[0]} failed (${r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

function mlp(): tf.Sequential {
  lab.seed(1);
  const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [784], units: 64, activation: 'relu' }), tf.layers.dense({ units: 10, activation: 'softmax' })] });
  m.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}

function cnn(): tf.Sequential {
  lab.seed(2);
  const w = () => tf.initializers.truncatedNormal({ stddev: 0.05 });
  const m = tf.sequential({ layers: [
    tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 5, padding: 'same', activation: 'relu', kernelInitializer: w() }),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.conv2d({ filters: 16, kernelSize: 5, padding: 'same', activation: 'relu', kernelInitializer: w() }),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.flatten(),
    tf.layers.dense({ units: 32, activation: 'relu', kernelInitializer: w() }),
    tf.layers.dropout({ rate: 0.5 }),
    tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: w() }),
  ] });
  m.compile({ optimizer: tf.train.adam(1e-4), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}

describe.skipIf(!haveKeras)('real Keras reads our .h5 and we read its .h5', () => {
  let dir: string;
  let xFlat: tf.Tensor, xImg: tf.Tensor;
  beforeAll(async () => {
    await lab.engine.init({ quiet: true });
    dir = tmpDir('keras');
    const test = lab.data.mnist().test.take(32);
    xFlat = test.x({ flatten: true });
    xImg = test.x().reshape([32, 28, 28, 1]);
    lab.io.saveNpy(path.join(dir, 'flat.npy'), xFlat);
    lab.io.saveNpy(path.join(dir, 'img.npy'), xImg);
  });

  for (const [kind, make, input] of [['mlp', mlp, 'flat'], ['cnn', cnn, 'img']] as const) {
    it(`${kind}: keras.models.load_model of our .h5 predicts what tfjs predicts, compiled with our optimizer`, async () => {
      const m = make();
      const file = path.join(dir, `ours-${kind}.h5`);
      await lab.io.saveKerasH5(m, file);
      const facts = keras(['load', file, path.join(dir, `${input}.npy`), path.join(dir, `ours-${kind}.npy`)]);
      const ours = (m.predict(input === 'flat' ? xFlat : xImg) as tf.Tensor).dataSync();
      expect(maxDiff(lab.io.loadNpy(path.join(dir, `ours-${kind}.npy`)).data as Float32Array, ours)).toBeLessThan(1e-5);
      expect(facts.optimizer).toBe(kind === 'mlp' ? 'RMSprop' : 'Adam');
      expect(facts.learning_rate as number).toBeCloseTo(kind === 'mlp' ? 0.001 : 1e-4, 7);
      expect((facts.layers as string[]).length).toBe(m.layers.length);
    }, 120_000);

    it(`${kind}: a .h5 saved by Keras loads with lab.io.loadKerasH5 and predicts the same`, async () => {
      const file = path.join(dir, `keras-${kind}.h5`);
      keras(['save', kind, file, path.join(dir, `${input}.npy`), path.join(dir, `keras-${kind}.npy`)]);
      const m = await lab.io.loadKerasH5(file);
      const ours = (m.predict(input === 'flat' ? xFlat : xImg) as tf.Tensor).dataSync();
      expect(maxDiff(lab.io.loadNpy(path.join(dir, `keras-${kind}.npy`)).data as Float32Array, ours)).toBeLessThan(1e-5);
      expect(m.optimizer?.getClassName()).toBe(kind === 'mlp' ? 'RMSProp' : 'Adam');
    }, 120_000);
  }
});
