/**
 * The tfjs layers format (model.json + weights.bin) in a local folder, with any backend:
 * tfjs-node's `file://` handler exists only with the native package, so this is our IOHandler.
 * A save builds the folder under a temporary name and swaps it in whole.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { recoverStale, replaceDirAtomic, writeFileAtomicSync } from './atomic';
import { readJson } from './read';

type ModelArtifacts = tf.io.ModelArtifacts;
type ModelJSON = tf.io.ModelJSON;
type WeightsManifestConfig = tf.io.WeightsManifestConfig;
type WeightsManifestEntry = tf.io.WeightsManifestEntry;

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2, complex64: 8 };

/** Bytes a weight occupies in the binary file (quantized weights are stored smaller). */
function specBytes(spec: WeightsManifestEntry): number {
  const n = spec.shape.reduce((a, b) => a * b, 1);
  const dtype = spec.quantization?.dtype ?? spec.dtype;
  const b = BYTES[dtype];
  if (b === undefined) throw new Error(`weight "${spec.name}": dtype ${dtype} has no known size`);
  return n * b;
}

function readModelJson(file: string): ModelJSON {
  const json = readJson(file, '; the file may be truncated');
  const j = json as Partial<ModelJSON> | null;
  if (!j || typeof j !== 'object' || !j.modelTopology) throw new Error(`${file}: no "modelTopology" (expected a tfjs layers-model model.json)`);
  if (!Array.isArray(j.weightsManifest)) throw new Error(`${file}: no "weightsManifest" array (expected a tfjs layers-model model.json)`);
  return j as ModelJSON;
}

async function loadFolder(dir: string): Promise<ModelArtifacts> {
  // A save killed between its two renames leaves the previous folder aside: put it back first.
  recoverStale(dir);
  const jsonPath = path.join(dir, MODEL_JSON);
  const modelJSON = readModelJson(jsonPath);
  return tf.io.getModelArtifactsForJSON(modelJSON, async (manifest: WeightsManifestConfig) => {
    const specs: WeightsManifestEntry[] = [];
    const parts: Uint8Array[] = [];
    for (const group of manifest) {
      if (!Array.isArray(group.paths) || !Array.isArray(group.weights)) {
        throw new Error(`${jsonPath}: weightsManifest entry without "paths"/"weights" arrays`);
      }
      const groupParts = group.paths.map((p) => {
        const file = path.join(dir, p);
        try {
          return fs.readFileSync(file) as Uint8Array;
        } catch (e) {
          throw new Error(`${file}: cannot read weights named in ${MODEL_JSON} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
        }
      });
      const need = group.weights.reduce((s, w) => s + specBytes(w), 0);
      const have = groupParts.reduce((s, b) => s + b.length, 0);
      if (have !== need) {
        throw new Error(
          `${path.join(dir, group.paths.join('+'))}: ${have < need ? 'truncated' : 'too long'}: ${MODEL_JSON} lists ${group.weights.length} weights of ${need} bytes, the file${group.paths.length > 1 ? 's hold' : ' holds'} ${have}`,
        );
      }
      specs.push(...group.weights);
      parts.push(...groupParts);
    }
    const all = new Uint8Array(parts.reduce((s, b) => s + b.length, 0));
    let off = 0;
    for (const b of parts) {
      all.set(b, off);
      off += b.length;
    }
    return [specs, all.buffer];
  });
}

async function saveFolder(dir: string, artifacts: ModelArtifacts): Promise<tf.io.SaveResult> {
  if (artifacts.modelTopology instanceof ArrayBuffer) {
    throw new Error(`${dir}: a graph model (binary topology) cannot be saved here; expected a layers model`);
  }
  const weightData = artifacts.weightData ? new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData)) : new Uint8Array(0);
  const modelJSON: ModelJSON = {
    modelTopology: artifacts.modelTopology ?? {},
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
  };
  if (artifacts.trainingConfig) modelJSON.trainingConfig = artifacts.trainingConfig;
  if (artifacts.userDefinedMetadata) modelJSON.userDefinedMetadata = artifacts.userDefinedMetadata;
  if (artifacts.signature) modelJSON.signature = artifacts.signature;
  await replaceDirAtomic(dir, (tmp) => {
    // Inside the temporary folder plain writes suffice; the folder swap is the atomic step.
    writeFileAtomicSync(path.join(tmp, WEIGHTS_BIN), weightData);
    writeFileAtomicSync(path.join(tmp, MODEL_JSON), new TextEncoder().encode(JSON.stringify(modelJSON)));
  });
  return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
}

/** What `fileHandler` returns: a tfjs IOHandler with both save and load. */
export type FileHandler = Required<Pick<tf.io.IOHandler, 'save' | 'load'>>;

/**
 * A tfjs IOHandler for folder `dir` (model.json + weights.bin):
 * `await model.save(lab.io.fileHandler('out/models/mlp'))`,
 * `await tf.loadLayersModel(lab.io.fileHandler('out/models/mlp'))`. A `file://` prefix is accepted.
 */
export function fileHandler(dir: string): FileHandler {
  const d = dir.startsWith('file://') ? dir.slice('file://'.length) : dir;
  if (!d) throw new Error('fileHandler: expected a folder path');
  return { save: (a) => saveFolder(d, a), load: () => loadFolder(d) };
}

export interface SaveModelOptions {
  /**
   * Also save the training config and optimizer state, so the loaded model comes back compiled
   * and can resume training (default true, like Keras' model.save; tfjs's own default is false).
   */
  includeOptimizer?: boolean;
}

/** Save a layers model to folder `dir` (tfjs layers format). */
export async function saveModel(model: tf.LayersModel, dir: string, options: SaveModelOptions = {}): Promise<void> {
  await model.save(fileHandler(dir), { includeOptimizer: options.includeOptimizer !== false && !!model.optimizer });
}

/** Load a layers model saved by `saveModel` (or tfjs-node / tensorflowjs_converter) from `dir`. */
export async function loadModel(dir: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(fileHandler(dir));
}

let registered = false;

/**
 * Let `model.save('file://dir')` and `tf.loadLayersModel('file://dir/model.json')` work as with
 * tfjs-node. Does nothing when a `file://` handler already exists (tfjs-node loaded), since tfjs
 * refuses URLs that two handlers claim.
 */
export function registerFileScheme(): boolean {
  if (registered) return true;
  if (tf.io.getSaveHandlers('file:///x').length > 0) return false;
  const route = (url: string | string[]): tf.io.IOHandler => {
    if (Array.isArray(url) || !url.startsWith('file://')) return null as unknown as tf.io.IOHandler; // tfjs routers return null for "not mine"
    const p = url.slice('file://'.length);
    return fileHandler(p.endsWith(MODEL_JSON) ? path.dirname(p) : p);
  };
  tf.io.registerSaveRouter(route);
  tf.io.registerLoadRouter(route);
  registered = true;
  return true;
}
