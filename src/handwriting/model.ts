/**
 * Running a trained tfjs model on MNIST tiles; loading and saving models as tfjs folders
 * (model.json + weights.bin) through lab.io.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import type { GreyImage } from './image';
import * as io from '../io';

/** Does the model take images [n,28,28,1] or flat vectors [n,784]? */
export function inputLayout(model: tf.LayersModel): 'image' | 'flat' {
  const shape = model.inputs[0].shape;
  if (shape.length === 4 && shape[1] === 28 && shape[2] === 28 && shape[3] === 1) return 'image';
  if (shape.length === 2 && shape[1] === 784) return 'flat';
  throw new Error(`model: input shape [${shape.map(String)}], expected [null,28,28,1] or [null,784]`);
}

/** Class probabilities for each 28x28 tile (values 0..255), one row of 10 per tile. */
export function predictTiles(model: tf.LayersModel, tiles: GreyImage[]): number[][] {
  if (tiles.length === 0) return [];
  const layout = inputLayout(model);
  const flat = new Float32Array(tiles.length * 784);
  tiles.forEach((t, j) => {
    if (t.width !== 28 || t.height !== 28) throw new Error(`tile ${j}: ${t.width}x${t.height}, expected 28x28`);
    for (let i = 0; i < 784; i++) flat[j * 784 + i] = t.data[i] / 255;
  });
  const probs = tf.tidy(() => {
    const x = layout === 'image' ? tf.tensor4d(flat, [tiles.length, 28, 28, 1]) : tf.tensor2d(flat, [tiles.length, 784]);
    const y = model.predict(x) as tf.Tensor;
    // A model that ends in logits gets its softmax here, so callers always see probabilities.
    const sums = y.sum(-1);
    const isProb = y.min().dataSync()[0] >= 0 && Math.abs(sums.sub(1).abs().max().dataSync()[0]) < 1e-3;
    return isProb ? y : tf.softmax(y);
  });
  const rows = probs.arraySync() as number[][];
  probs.dispose();
  return rows;
}

/**
 * Load a tfjs Layers model from a folder holding model.json and its weight files (or from the
 * model.json path itself), through lab.io's folder handler.
 */
export async function loadModel(dir: string): Promise<tf.LayersModel> {
  const folder = dir.endsWith('.json') ? path.dirname(dir) : dir;
  const json = path.join(folder, 'model.json');
  if (!fs.existsSync(json)) throw new Error(`${json}: no such file (expected a tfjs model folder with model.json)`);
  return io.loadModel(folder);
}

/** Save a model as `dir/model.json` + `dir/weights.bin`, atomically (lab.io). */
export async function saveModel(model: tf.LayersModel, dir: string): Promise<void> {
  await io.saveModel(model, dir, { includeOptimizer: false });
}
