/**
 * Model and training configs between tfjs and Keras 2's .h5 layout.
 *
 * tfjs already serialises layers the Keras way (`model.toJSON` gives Keras class names and
 * snake_case fields: that is how tensorflowjs_converter exchanges models), so we start from it
 * and only fix the few places where the two differ, checking every layer against the set whose
 * weights and fields we have verified (anything else gets an error naming file and layer).
 */
import * as tf from '@tensorflow/tfjs';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Keras layer classes that export and import (verified field by field, see docs/io.md). */
export const KERAS_LAYERS = ['InputLayer', 'Dense', 'Conv2D', 'MaxPooling2D', 'AveragePooling2D', 'Flatten', 'Dropout', 'Reshape', 'Activation'] as const;

/** Keras activation names ↔ tfjs's (they differ only in case style). */
const ACTIVATIONS: Record<string, string> = {
  linear: 'linear',
  relu: 'relu',
  sigmoid: 'sigmoid',
  softmax: 'softmax',
  tanh: 'tanh',
  elu: 'elu',
  selu: 'selu',
  softplus: 'softplus',
  softsign: 'softsign',
  hard_sigmoid: 'hardSigmoid',
};
const ACTIVATION_TO_KERAS: Record<string, string> = Object.fromEntries(Object.entries(ACTIVATIONS).map(([k, t]) => [t, k]));

/** Keras loss names ↔ tfjs loss names. */
const LOSSES: Record<string, string> = {
  categorical_crossentropy: 'categoricalCrossentropy',
  sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy',
  binary_crossentropy: 'binaryCrossentropy',
  mean_squared_error: 'meanSquaredError',
  mean_absolute_error: 'meanAbsoluteError',
};
const LOSS_ALIASES: Record<string, string> = {
  mse: 'mean_squared_error',
  mae: 'mean_absolute_error',
  CategoricalCrossentropy: 'categorical_crossentropy',
  SparseCategoricalCrossentropy: 'sparse_categorical_crossentropy',
  BinaryCrossentropy: 'binary_crossentropy',
  MeanSquaredError: 'mean_squared_error',
  MeanAbsoluteError: 'mean_absolute_error',
};

function isObject(x: Json | undefined): x is JsonObject {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** The model config's own array of layers (to edit in place), or null when it has none. */
function layerArray(model: JsonObject): Json[] | null {
  const cfg = model.config;
  // Keras 2.0–2.2 wrote a Sequential's config as the bare list of layers.
  const layers = Array.isArray(cfg) ? cfg : isObject(cfg) ? cfg.layers : undefined;
  return Array.isArray(layers) ? layers : null;
}

function layerList(model: JsonObject): JsonObject[] {
  return (layerArray(model) ?? []).filter(isObject);
}

function layerName(layer: JsonObject, i: number): string {
  const c = layer.config;
  const n = isObject(c) ? c.name : undefined;
  return typeof n === 'string' ? n : typeof layer.name === 'string' ? layer.name : `#${i}`;
}

// ---------------------------------------------------------------- tfjs → Keras

/** The Keras `model_config` of a tfjs model: `{class_name, config}` as Keras 2 writes it. */
export function kerasModelConfig(model: tf.LayersModel, file: string): JsonObject {
  const full = model.toJSON(null, false) as unknown as JsonObject;
  const className = full.class_name === 'Model' ? 'Functional' : full.class_name;
  if (className !== 'Sequential' && className !== 'Functional') {
    throw new Error(`${file}: model class ${String(full.class_name)} cannot be written as Keras .h5 (expected Sequential or a functional model)`);
  }
  const out: JsonObject = { class_name: className, config: JSON.parse(JSON.stringify(full.config)) as Json };
  layerList(out).forEach((layer, i) => {
    const name = layerName(layer, i);
    const cls = String(layer.class_name);
    if (!(KERAS_LAYERS as readonly string[]).includes(cls)) {
      throw new Error(`${file}: layer "${name}" is a ${cls}; Keras .h5 export supports ${KERAS_LAYERS.join(', ')}`);
    }
    const c = layer.config;
    if (!isObject(c)) return;
    if (typeof c.activation === 'string') {
      const k = ACTIVATION_TO_KERAS[c.activation];
      if (!k) throw new Error(`${file}: layer "${name}" uses activation "${c.activation}"; expected one of ${Object.keys(ACTIVATION_TO_KERAS).join(', ')}`);
      c.activation = k;
    }
    if (c.data_format !== undefined && c.data_format !== 'channels_last') {
      throw new Error(`${file}: layer "${name}" has data_format ${String(c.data_format)}; expected channels_last`);
    }
  });
  if (className === 'Sequential') prependInputLayer(out);
  return out;
}

/**
 * Keras 2 writes a Sequential's input as an explicit InputLayer first (and keeps
 * `batch_input_shape` on the first layer too). Keras 3's .h5 loader needs that InputLayer: it
 * reads a `batch_input_shape` found on any other layer as a shape *without* the batch axis, and
 * then rejects every input (checked with Keras 3.15.1).
 */
function prependInputLayer(model: JsonObject): void {
  const list = layerArray(model);
  const first = list?.[0];
  if (!isObject(first) || first.class_name === 'InputLayer' || !isObject(first.config)) return;
  const shape = first.config.batch_input_shape;
  if (!Array.isArray(shape)) return;
  const input: JsonObject = {
    class_name: 'InputLayer',
    config: { batch_input_shape: shape, dtype: first.config.dtype ?? 'float32', sparse: false, ragged: false, name: `${layerName(first, 0)}_input` },
  };
  list!.unshift(input);
}

/**
 * The reverse for loading: a Sequential's leading InputLayer becomes the first layer's
 * `batch_input_shape`, so the loaded model's `layers` are the ones the user built (tfjs would
 * otherwise list the InputLayer as a layer of its own).
 */
function foldInputLayer(model: JsonObject): void {
  const list = layerArray(model);
  if (!list || list.length < 2) return;
  const [input, next] = list;
  if (!isObject(input) || input.class_name !== 'InputLayer' || !isObject(input.config) || !isObject(next) || !isObject(next.config)) return;
  if (next.config.batch_input_shape === undefined) next.config.batch_input_shape = input.config.batch_input_shape;
  list.splice(0, 1);
}

function toKerasLoss(loss: unknown, file: string): string {
  if (typeof loss !== 'string') throw new Error(`${file}: the model's loss is a function; Keras .h5 needs a named loss (${Object.values(LOSSES).join(', ')}) or includeOptimizer: false`);
  const k = Object.keys(LOSSES).find((key) => LOSSES[key] === loss || key === loss);
  if (!k) throw new Error(`${file}: loss "${loss}" has no Keras equivalent here; expected one of ${Object.values(LOSSES).join(', ')} (or includeOptimizer: false)`);
  return k;
}

function toKerasMetric(m: unknown, file: string): string {
  const map: Record<string, string> = { accuracy: 'accuracy', acc: 'acc', categoricalAccuracy: 'categorical_accuracy', sparseCategoricalAccuracy: 'sparse_categorical_accuracy', binaryAccuracy: 'binary_accuracy' };
  if (typeof m === 'string' && map[m]) return map[m];
  throw new Error(`${file}: metric ${typeof m === 'string' ? `"${m}"` : '(a function)'} has no Keras equivalent here; expected one of ${Object.keys(map).join(', ')} (or includeOptimizer: false)`);
}

/** Keras optimizer config (class name and config keys accepted by Keras 2.x, legacy and v2 alike). */
function toKerasOptimizer(opt: tf.Optimizer, file: string): JsonObject {
  const c = opt.getConfig() as Record<string, number | boolean | null | undefined>;
  const num = (v: unknown, dflt: number) => (typeof v === 'number' ? v : dflt);
  const lr = num(c.learningRate, 0.001);
  const eps = num(c.epsilon, 1e-7);
  switch (opt.getClassName()) {
    case 'RMSProp':
      return { class_name: 'RMSprop', config: { name: 'RMSprop', learning_rate: lr, rho: num(c.decay, 0.9), momentum: num(c.momentum, 0), epsilon: eps, centered: !!c.centered } };
    case 'Adam':
      return { class_name: 'Adam', config: { name: 'Adam', learning_rate: lr, beta_1: num(c.beta1, 0.9), beta_2: num(c.beta2, 0.999), epsilon: eps, amsgrad: false } };
    case 'Adamax':
      return { class_name: 'Adamax', config: { name: 'Adamax', learning_rate: lr, beta_1: num(c.beta1, 0.9), beta_2: num(c.beta2, 0.999), epsilon: eps } };
    case 'SGD':
      return { class_name: 'SGD', config: { name: 'SGD', learning_rate: lr, momentum: 0, nesterov: false } };
    case 'Momentum':
      return { class_name: 'SGD', config: { name: 'SGD', learning_rate: lr, momentum: num(c.momentum, 0), nesterov: !!c.useNesterov } };
    case 'Adagrad':
      return { class_name: 'Adagrad', config: { name: 'Adagrad', learning_rate: lr, initial_accumulator_value: num(c.initialAccumulatorValue, 0.1), epsilon: eps } };
    case 'Adadelta':
      return { class_name: 'Adadelta', config: { name: 'Adadelta', learning_rate: lr, rho: num(c.rho, 0.95), epsilon: eps } };
    default:
      throw new Error(`${file}: optimizer ${opt.getClassName()} has no Keras equivalent here (or use includeOptimizer: false)`);
  }
}

/** Keras `training_config` of a compiled tfjs model (null when it was never compiled). */
export function kerasTrainingConfig(model: tf.LayersModel, file: string): JsonObject | null {
  if (!model.optimizer) return null;
  const metrics = model.metrics === undefined || model.metrics === null ? [] : Array.isArray(model.metrics) ? model.metrics : [model.metrics];
  return {
    loss: toKerasLoss(model.loss, file),
    metrics: metrics.map((m) => toKerasMetric(m, file)),
    weighted_metrics: null,
    loss_weights: null,
    optimizer_config: toKerasOptimizer(model.optimizer, file),
  };
}

// ---------------------------------------------------------------- Keras → tfjs

/**
 * Check a Keras `model_config` and adapt it for `tf.models.modelFromJSON`: supported classes only,
 * Keras activation names to tfjs's, and no initializers (weights are loaded right after, and
 * Keras has initializers tfjs lacks).
 */
export function tfjsModelConfig(modelConfig: Json, file: string): JsonObject {
  if (!isObject(modelConfig) || typeof modelConfig.class_name !== 'string') {
    throw new Error(`${file}: model_config is not a {class_name, config} object`);
  }
  const cls = modelConfig.class_name;
  if (!['Sequential', 'Functional', 'Model'].includes(cls)) {
    throw new Error(`${file}: model_config class ${cls} is not supported; expected Sequential or Functional`);
  }
  const out = JSON.parse(JSON.stringify(modelConfig)) as JsonObject;
  const layers = layerList(out);
  if (layers.length === 0) throw new Error(`${file}: model_config has no layers`);
  layers.forEach((layer, i) => {
    const name = layerName(layer, i);
    const lc = String(layer.class_name);
    if (!(KERAS_LAYERS as readonly string[]).includes(lc)) {
      throw new Error(`${file}: layer "${name}" is a ${lc}; loading Keras .h5 supports ${KERAS_LAYERS.join(', ')}`);
    }
    const nodes = layer.inbound_nodes;
    if (Array.isArray(nodes) && nodes.some((n) => isObject(n))) {
      throw new Error(`${file}: layer "${name}" uses Keras 3's node format; expected a Keras 2 (tf.keras) .h5`);
    }
    const c = layer.config;
    if (!isObject(c)) throw new Error(`${file}: layer "${name}" has no config object`);
    for (const key of Object.keys(c)) if (key.endsWith('_initializer')) delete c[key];
    // Mixed-precision policies serialise dtype as an object; only its name matters to tfjs.
    if (isObject(c.dtype)) {
      const pc = c.dtype.config;
      c.dtype = isObject(pc) && typeof pc.name === 'string' ? pc.name : 'float32';
    }
    if (c.dtype !== undefined && c.dtype !== 'float32') {
      throw new Error(`${file}: layer "${name}" has dtype ${JSON.stringify(c.dtype)}; expected float32`);
    }
    if (c.batch_shape !== undefined && c.batch_input_shape === undefined) {
      c.batch_input_shape = c.batch_shape;
      delete c.batch_shape;
    }
    if (typeof c.activation === 'string') {
      const t = ACTIVATIONS[c.activation];
      if (!t) throw new Error(`${file}: layer "${name}" uses activation "${c.activation}"; expected one of ${Object.keys(ACTIVATIONS).join(', ')}`);
      c.activation = t;
    }
    if (c.data_format !== undefined && c.data_format !== 'channels_last') {
      throw new Error(`${file}: layer "${name}" has data_format ${String(c.data_format)}; expected channels_last`);
    }
  });
  if (cls === 'Sequential') foldInputLayer(out);
  return out;
}

/** tfjs compile arguments from a Keras `training_config`, or the reason they cannot be made. */
export function tfjsCompileArgs(training: Json, file: string): tf.ModelCompileArgs | string {
  if (!isObject(training)) return `${file}: training_config is not an object`;
  let loss = training.loss;
  if (isObject(loss) && typeof loss.class_name === 'string') {
    const lc = loss.config;
    if (isObject(lc) && lc.from_logits === true) return `${file}: loss ${loss.class_name} with from_logits has no tfjs equivalent`;
    loss = loss.class_name;
  }
  if (typeof loss !== 'string') return `${file}: training_config loss ${JSON.stringify(loss)} is not a single named loss`;
  const tfLoss = LOSSES[LOSS_ALIASES[loss] ?? loss];
  if (!tfLoss) return `${file}: loss "${loss}" has no tfjs equivalent (expected one of ${Object.keys(LOSSES).join(', ')})`;

  const metrics: string[] = [];
  const flat = (x: Json | undefined): Json[] => (Array.isArray(x) ? x.flatMap(flat) : x === undefined || x === null ? [] : [x]);
  for (const m of flat(training.metrics)) {
    const id = isObject(m) ? (isObject(m.config) ? (m.config.fn ?? m.config.name) : m.class_name) : m;
    if (id === 'accuracy' || id === 'acc' || id === 'categorical_accuracy' || id === 'sparse_categorical_accuracy' || id === 'binary_accuracy') {
      metrics.push('accuracy');
    } else {
      return `${file}: metric ${JSON.stringify(id)} has no tfjs equivalent (expected accuracy)`;
    }
  }

  const oc = training.optimizer_config;
  if (!isObject(oc) || typeof oc.class_name !== 'string' || !isObject(oc.config)) return `${file}: training_config has no optimizer_config {class_name, config}`;
  const c = oc.config;
  const lrRaw = c.learning_rate ?? c.lr;
  if (lrRaw !== undefined && typeof lrRaw !== 'number') return `${file}: optimizer learning_rate ${JSON.stringify(lrRaw)} is a schedule; expected a number`;
  const lr = (lrRaw as number | undefined) ?? 0.001;
  const n = (v: Json | undefined, d: number) => (typeof v === 'number' ? v : d);
  let optimizer: tf.Optimizer;
  switch (oc.class_name.replace(/^Custom>/, '')) {
    case 'RMSprop':
      optimizer = tf.train.rmsprop(lr, n(c.rho, 0.9), n(c.momentum, 0), n(c.epsilon, 1e-7), c.centered === true);
      break;
    case 'Adam':
      if (c.amsgrad === true) return `${file}: Adam with amsgrad has no tfjs equivalent`;
      optimizer = tf.train.adam(lr, n(c.beta_1, 0.9), n(c.beta_2, 0.999), n(c.epsilon, 1e-7));
      break;
    case 'Adamax':
      optimizer = tf.train.adamax(lr, n(c.beta_1, 0.9), n(c.beta_2, 0.999), n(c.epsilon, 1e-7));
      break;
    case 'SGD':
      optimizer = n(c.momentum, 0) ? tf.train.momentum(lr, n(c.momentum, 0), c.nesterov === true) : tf.train.sgd(lr);
      break;
    case 'Adagrad':
      optimizer = tf.train.adagrad(lr, n(c.initial_accumulator_value, 0.1));
      break;
    case 'Adadelta':
      optimizer = tf.train.adadelta(lr, n(c.rho, 0.95), n(c.epsilon, 1e-7));
      break;
    default:
      return `${file}: optimizer ${oc.class_name} has no tfjs equivalent`;
  }
  return { optimizer, loss: tfLoss, metrics };
}
