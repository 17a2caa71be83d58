/**
 * Keras HDF5 (.h5) models, written and read with h5wasm in the layout of Keras 2's
 * `hdf5_format.save_model_to_hdf5`:
 *   /                 attrs model_config (JSON), keras_version, backend, training_config (compiled)
 *   /model_weights    attrs layer_names, keras_version, backend
 *   /model_weights/<layer>              attr weight_names, e.g. ["dense/kernel:0", "dense/bias:0"]
 *   /model_weights/<layer>/<layer>/kernel:0, bias:0   float32 datasets
 * so `keras.models.load_model('x.h5')` in Python rebuilds the model, and the reverse.
 */
import * as tf from '@tensorflow/tfjs';
import { writeFileAtomic } from './atomic';
import { H5, H5Dataset, H5File, H5Group, h5wasm, hdf5Reason, openH5 } from './h5';
import { Json, kerasModelConfig, kerasTrainingConfig, tfjsCompileArgs, tfjsModelConfig } from './keras-config';

/** The Keras version whose .h5 layout we write (also tells Keras not to apply Keras-1 conversions). */
export const KERAS_LAYOUT_VERSION = '2.15.0';

export interface SaveKerasOptions {
  /** Write `training_config` (optimizer, loss, metrics) when the model is compiled (default true). */
  includeOptimizer?: boolean;
}

export interface LoadKerasOptions {
  /** Compile with the file's `training_config` when it has one (default true, as in Keras). */
  compile?: boolean;
}

/** Keras' weight name for a tfjs weight: "<layer>/<kernel|bias|…>:0". */
function kerasWeightName(layer: tf.layers.Layer, w: tf.LayerVariable): string {
  const short = w.originalName.split('/').pop() ?? w.originalName;
  return `${layer.name}/${short}:0`;
}

/** Save a tfjs layers model as a Keras 2 .h5 file (atomically). */
export async function saveKerasH5(model: tf.LayersModel, file: string, options: SaveKerasOptions = {}): Promise<void> {
  const modelConfig = kerasModelConfig(model, file);
  const training = options.includeOptimizer === false ? null : kerasTrainingConfig(model, file);
  const layers = model.layers.map((layer) => ({
    layer,
    weights: layer.weights.map((w) => {
      const t = w.read();
      if (t.dtype !== 'float32') throw new Error(`${file}: layer "${layer.name}" weight ${w.originalName} is ${t.dtype}; expected float32`);
      return { name: kerasWeightName(layer, w), shape: [...t.shape], data: t.dataSync() as Float32Array };
    }),
  }));
  const h5 = await h5wasm();
  await writeFileAtomic(file, (tmp) => {
    const f = new h5.File(tmp, 'w');
    try {
      f.create_attribute('keras_version', KERAS_LAYOUT_VERSION);
      f.create_attribute('backend', 'tensorflow');
      f.create_attribute('model_config', JSON.stringify(modelConfig));
      if (training) f.create_attribute('training_config', JSON.stringify(training));
      const mw = f.create_group('model_weights');
      mw.create_attribute('layer_names', layers.map((l) => l.layer.name));
      mw.create_attribute('backend', 'tensorflow');
      mw.create_attribute('keras_version', KERAS_LAYOUT_VERSION);
      for (const { layer, weights } of layers) {
        const g = mw.create_group(layer.name);
        if (weights.length === 0) {
          // Keras writes an empty list here; an empty string array reads back as [] in h5py.
          g.create_attribute('weight_names', [], null, '|S1');
          continue;
        }
        g.create_attribute('weight_names', weights.map((w) => w.name));
        const inner = g.create_group(layer.name);
        for (const w of weights) {
          inner.create_dataset({ name: w.name.slice(layer.name.length + 1), data: w.data, shape: w.shape, dtype: '<f' });
        }
      }
    } catch (e) {
      throw new Error(`${file}: HDF5 write failed (${hdf5Reason(e)})`);
    } finally {
      f.close();
    }
  });
}

/** An attribute that holds a list of names (string, string array, or Keras' chunked name0, name1, …). */
function nameList(group: H5Group | H5File, attr: string): string[] | null {
  const attrs = group.attrs;
  const read = (a: string): string[] => {
    const v = attrs[a].value;
    if (typeof v === 'string') return [v];
    if (Array.isArray(v)) return v.map((x) => String(x));
    return []; // an empty numeric array: Keras' [] for layers without weights
  };
  if (attr in attrs) return read(attr);
  if (!(`${attr}0` in attrs)) return null;
  const out: string[] = [];
  for (let k = 0; `${attr}${k}` in attrs; k++) out.push(...read(`${attr}${k}`));
  return out;
}

function stringAttr(group: H5Group | H5File, attr: string): string | null {
  if (!(attr in group.attrs)) return null;
  const v = group.attrs[attr].value;
  return typeof v === 'string' ? v : v instanceof Uint8Array ? new TextDecoder().decode(v) : String(v);
}

function isGroup(x: unknown, h5: H5): x is H5Group {
  return x instanceof h5.Group;
}

/** Set the weights of `model` from a Keras weights group (model_weights, or the root of a save_weights file). */
async function setWeightsFrom(model: tf.LayersModel, group: H5Group | H5File, where: string, file: string): Promise<void> {
  const h5 = await h5wasm();
  const layerNames = nameList(group, 'layer_names');
  if (!layerNames) throw new Error(`${file}: ${where} has no "layer_names" attribute (expected Keras' weights layout)`);
  const fileLayers: { name: string; weightNames: string[] }[] = [];
  for (const name of layerNames) {
    const g = group.get(name);
    if (!isGroup(g, h5)) throw new Error(`${file}: group "${where}/${name}" listed in layer_names is missing`);
    const weightNames = nameList(g, 'weight_names');
    if (weightNames === null) throw new Error(`${file}: group "${where}/${name}" has no "weight_names" attribute`);
    if (weightNames.length) fileLayers.push({ name, weightNames });
  }
  const modelLayers = model.layers.filter((l) => l.weights.length > 0);
  if (fileLayers.length !== modelLayers.length) {
    throw new Error(`${file}: ${where} holds weights for ${fileLayers.length} layers (${fileLayers.map((l) => l.name).join(', ')}), the model has ${modelLayers.length} layers with weights`);
  }
  const tensors: tf.Tensor[][] = [];
  try {
    modelLayers.forEach((layer, k) => {
      const { name, weightNames } = fileLayers[k];
      if (weightNames.length !== layer.weights.length) {
        throw new Error(`${file}: layer "${name}" has ${weightNames.length} weights in the file, expected ${layer.weights.length} (${layer.weights.map((w) => w.originalName).join(', ')})`);
      }
      tensors.push(
        weightNames.map((wn, i) => {
          const ds = group.get(`${name}/${wn}`) as H5Dataset | null;
          const at = `${where}/${name}/${wn}`;
          if (!(ds instanceof h5.Dataset)) throw new Error(`${file}: dataset "${at}" is missing (layer "${name}", weight_names lists it)`);
          const expected = layer.weights[i].shape;
          const shape = ds.shape ?? [];
          if (ds.dtype !== '<f') {
            throw new Error(`${file}: layer "${name}" weight "${wn}" has HDF5 type ${JSON.stringify(ds.dtype)}; expected float32 ('<f4')`);
          }
          if (shape.length !== expected.length || shape.some((d, j) => d !== expected[j])) {
            throw new Error(`${file}: layer "${name}" weight "${wn}" has shape [${shape}]; expected [${expected}]`);
          }
          let values: unknown;
          try {
            values = ds.value;
          } catch (e) {
            throw new Error(`${file}: cannot read dataset "${at}" (${hdf5Reason(e)})`);
          }
          return tf.tensor(values as Float32Array, expected as number[], 'float32');
        }),
      );
    });
    modelLayers.forEach((layer, k) => layer.setWeights(tensors[k]));
  } finally {
    tensors.flat().forEach((t) => t.dispose());
  }
}

/**
 * Load a Keras .h5 model (as `keras.models.load_model` saves it) into tfjs: the architecture from
 * `model_config`, the weights from `model_weights`, compiled from `training_config` when possible.
 */
export async function loadKerasH5(file: string, options: LoadKerasOptions = {}): Promise<tf.LayersModel> {
  const f = await openH5(file);
  try {
    const configText = stringAttr(f, 'model_config');
    if (configText === null) {
      const hint = 'layer_names' in f.attrs ? ' (this looks like a save_weights file: build the model, then use loadKerasWeights)' : '';
      throw new Error(`${file}: no "model_config" attribute at the root; expected a Keras model saved with model.save('x.h5')${hint}`);
    }
    let config: Json;
    try {
      config = JSON.parse(configText) as Json;
    } catch (e) {
      throw new Error(`${file}: model_config is not valid JSON (${(e as Error).message})`);
    }
    const topology = tfjsModelConfig(config, file);
    let model: tf.LayersModel;
    try {
      model = await tf.models.modelFromJSON({ modelTopology: topology } as unknown as tf.io.ModelJSON);
    } catch (e) {
      throw new Error(`${file}: tfjs cannot build model_config (${(e as Error).message})`);
    }
    const mw = f.get('model_weights');
    if (!(mw instanceof (await h5wasm()).Group)) {
      model.dispose();
      throw new Error(`${file}: group "model_weights" is missing (expected Keras' layout model_weights/<layer>/<layer>/kernel:0)`);
    }
    try {
      await setWeightsFrom(model, mw, 'model_weights', file);
    } catch (e) {
      model.dispose();
      throw e;
    }
    const trainingText = stringAttr(f, 'training_config');
    if (options.compile !== false && trainingText !== null) {
      let args: tf.ModelCompileArgs | string;
      try {
        args = tfjsCompileArgs(JSON.parse(trainingText) as Json, file);
      } catch (e) {
        args = `${file}: training_config is not valid JSON (${(e as Error).message})`;
      }
      if (typeof args === 'string') console.warn(`${args}; the model is loaded uncompiled — compile it yourself`);
      else model.compile(args);
    }
    return model;
  } finally {
    f.close();
  }
}

/** Load weights saved by Keras' `model.save_weights('w.h5')` (or a full .h5 model) into a built tfjs model. */
export async function loadKerasWeights(model: tf.LayersModel, file: string): Promise<void> {
  const f = await openH5(file);
  try {
    const mw = f.get('model_weights');
    if (mw instanceof (await h5wasm()).Group) await setWeightsFrom(model, mw, 'model_weights', file);
    else await setWeightsFrom(model, f, '/', file);
  } finally {
    f.close();
  }
}
