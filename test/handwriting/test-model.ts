/**
 * The model the handwriting tests read with. A LeNet-style CNN trains too slowly on this
 * machine's tfjs backends today (no wasm kernels for conv gradients yet: ~18 min per 12k images
 * on cpu), so the tests use a compact MLP 784-256-10 (relu, softmax; adam 1e-3, batch 128,
 * 4 epochs on all 60k MNIST training images, seed 42) — about 0.975 on clean MNIST test —
 * trained once and cached under out/models/ keyed by these settings.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as crypto from 'crypto';
import * as tf from '@tensorflow/tfjs';
import * as lab from '../../src';

export const TEST_MODEL = { kind: 'mlp', hidden: 256, epochs: 4, batchSize: 128, lr: 1e-3, seed: 42 } as const;

export function testModelDir(): string {
  const key = crypto.createHash('sha1').update(JSON.stringify(TEST_MODEL)).digest('hex').slice(0, 10);
  return path.join(__dirname, '..', '..', 'out', 'models', `handwriting-test-${key}`);
}

export async function testModel(): Promise<tf.LayersModel> {
  await lab.engine.init({ quiet: true });
  const dir = testModelDir();
  if (fs.existsSync(path.join(dir, 'model.json'))) return lab.handwriting.loadModel(dir);
  lab.seed(TEST_MODEL.seed);
  const { train } = lab.data.mnist();
  const m = tf.sequential();
  m.add(tf.layers.dense({ inputShape: [784], units: TEST_MODEL.hidden, activation: 'relu' }));
  m.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  m.compile({ optimizer: tf.train.adam(TEST_MODEL.lr), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const x = train.x({ flatten: true }), y = train.y({ oneHot: true });
  await m.fit(x, y, { epochs: TEST_MODEL.epochs, batchSize: TEST_MODEL.batchSize, verbose: 0 });
  x.dispose(); y.dispose();
  await lab.handwriting.saveModel(m, dir);
  return m;
}
