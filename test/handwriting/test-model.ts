/**
 * The model the handwriting tests read with: LeNet-5 (conv 5x5x6 same → maxpool → conv 5x5x16 →
 * maxpool → dense 120 → dense 84 → softmax 10; relu; adam 1e-3, batch 128, 6 epochs, seed 42),
 * small enough to train in a few minutes on the wasm backend with digitlab's conv-gradient kernels.
 * It is trained on the 60k MNIST training images passed through `toMnist` themselves, so that it
 * sees the same preprocessing at training and reading time (as one should train any model meant
 * for this pipeline), then cached under out/models/ keyed by these settings.
 *
 * Files that use it train it in `beforeAll` with TRAIN_TIMEOUT (the first one pays, the rest load
 * the cache).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as crypto from 'crypto';
import * as tf from '@tensorflow/tfjs';
import * as lab from '../../src';

export const TEST_MODEL = { kind: 'lenet5', epochs: 6, batchSize: 128, lr: 1e-3, seed: 42, trainedOn: 'toMnist(train)' } as const;

/** beforeAll timeout for files that call testModel(): training when the cache is absent, under CI load. */
export const TRAIN_TIMEOUT = 1_200_000;

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
  m.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 6, kernelSize: 5, padding: 'same', activation: 'relu' }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'relu' }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 120, activation: 'relu' }));
  m.add(tf.layers.dense({ units: 84, activation: 'relu' }));
  m.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  m.compile({ optimizer: tf.train.adam(TEST_MODEL.lr), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const flat = new Float32Array(train.length * 784);
  for (let i = 0; i < train.length; i++) {
    const t = lab.handwriting.toMnist(lab.handwriting.greyImage(28, 28, Float32Array.from(train.image(i))));
    for (let q = 0; q < 784; q++) flat[i * 784 + q] = t.data[q] / 255;
  }
  const x = tf.tensor4d(flat, [train.length, 28, 28, 1]), y = train.y({ oneHot: true });
  await m.fit(x, y, { epochs: TEST_MODEL.epochs, batchSize: TEST_MODEL.batchSize, verbose: 0 });
  x.dispose(); y.dispose();
  await lab.handwriting.saveModel(m, dir);
  return m;
}
