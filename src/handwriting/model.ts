/**
 * Running a trained tfjs model on MNIST tiles, and reading/writing models as a folder with
 * tfjs's `model.json` + weight files. (Written here with `tf.io.fromMemory`/`withSaveHandler`
 * because tfjs's `file://` handler lives in tfjs-node, which this project cannot rely on; once
 * `lab.io` has its folder handler, these two functions should defer to it.)
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import type { GreyImage } from './image';

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

/** Load a tfjs Layers model from a folder holding model.json and its weight files. */
export async function loadModel(dir: string): Promise<tf.LayersModel> {
  const jsonPath = fs.existsSync(dir) && fs.statSync(dir).isDirectory() ? path.join(dir, 'model.json') : dir;
  let json: { modelTopology?: object; weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] };
  try {
    json = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(`${jsonPath}: ${code === 'ENOENT' ? 'no such file (expected a tfjs model folder with model.json)' : `not valid model JSON (${(e as Error).message})`}`);
  }
  if (!json.modelTopology) throw new Error(`${jsonPath}: field "modelTopology" missing, expected a tfjs Layers model.json`);
  if (!Array.isArray(json.weightsManifest)) throw new Error(`${jsonPath}: field "weightsManifest" missing, expected a list of weight groups`);
  const specs: tf.io.WeightsManifestEntry[] = [];
  const parts: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) {
      const file = path.join(path.dirname(jsonPath), p);
      if (!fs.existsSync(file)) throw new Error(`${jsonPath}: weightsManifest names "${p}", but ${file} does not exist`);
      parts.push(fs.readFileSync(file));
    }
  }
  const total = parts.reduce((s, p) => s + p.length, 0);
  const buf = new Uint8Array(total);
  let o = 0;
  for (const p of parts) { buf.set(p, o); o += p.length; }
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: specs, weightData: buf.buffer }));
}

/** Save a model as `dir/model.json` + `dir/weights.bin`, atomically (written aside, then renamed). */
export async function saveModel(model: tf.LayersModel, dir: string): Promise<void> {
  const tmp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const data = artifacts.weightData instanceof ArrayBuffer ? new Uint8Array(artifacts.weightData) : new Uint8Array(0);
    fs.writeFileSync(path.join(tmp, 'weights.bin'), data);
    const json = {
      format: 'layers-model',
      generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
      convertedBy: null,
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
    };
    fs.writeFileSync(path.join(tmp, 'model.json'), JSON.stringify(json));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  fs.renameSync(tmp, dir);
}
