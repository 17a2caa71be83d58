/**
 * A fused training step for Keras-style stacks of Dense layers (the MLPs of documents 000 and 003),
 * used by `model.fit` and `model.trainOnBatch` when the engine runs on wasm or cpu.
 *
 * Why: tfjs-layers trains a 784-64-10 MLP with ~160 kernel calls per batch (forward, gradient
 * tape, loss, metric, one small op per optimiser term). On the wasm backend each costs ~10 µs of
 * bookkeeping, so the step is ~2.7 ms while its arithmetic needs a fraction of that. Here the
 * whole step (forward, categorical cross-entropy, backward, optimiser) runs in digitlab's wasm SIMD
 * kernels (src/simd, shared with the sklearn-style MLP), the first layer over the input's non-zero
 * pixels only (MNIST is ~80% zeros), and the new weights are assigned to the model's variables
 * after each batch, so everything else (fit's batching and shuffling, callbacks, validation,
 * predict, save) is tfjs's own.
 *
 * It follows tfjs's math operation for operation: Keras' categoricalCrossentropy (normalise, clip
 * to [1e-7, 1-1e-7], log), the accuracy metric, and tfjs-core's RMSprop, Adam and SGD updates;
 * results agree with the unfused path to float32 rounding (test/engine/dense-step.test.ts).
 *
 * Covered: a Sequential/functional chain of Dense layers on [batch, features] float input; hidden
 * activations relu, sigmoid, tanh, linear; softmax output; loss categoricalCrossentropy; metrics
 * none or accuracy/acc; optimizers rmsprop (not centered), adam, sgd; no regularizers, constraints,
 * sample or class weights, frozen layers. Anything else takes tfjs's own path, unchanged.
 *
 * The optimiser's moment estimates live here while the fused step trains: read from the tfjs
 * optimizer when it has them, handed back to it when `optimizer.getWeights()` is called and around
 * any batch that takes tfjs's own path; `optimizer.iterations` and Adam's β powers are kept in step.
 */
import * as tf from '@tensorflow/tfjs';
import { Workspace, pad4, weightGradient, deltaBelow, type Region } from '../simd/kernels';
import type { HeapBackend } from './wasm/transpose';

// Activation kinds of the kernels (src/simd/kernels.as).
const KIND: Record<string, number> = { linear: 0, sigmoid: 1, tanh: 2, relu: 3 };
const EPSILON = 1e-7; // tfjs-layers' epsilon(): the clip of categoricalCrossentropy

/** The parts of tfjs-layers objects the fused step reads (not all are in tfjs's public types). */
interface LayerVariableLike {
  name: string;
  trainable: boolean;
  read(): tf.Tensor;
  write(v: tf.Tensor): unknown;
}
interface DenseLike {
  getClassName(): string;
  units: number;
  useBias: boolean;
  trainable: boolean;
  activation: { getClassName(): string };
  kernel: LayerVariableLike;
  bias: LayerVariableLike | null;
  kernelRegularizer?: unknown;
  biasRegularizer?: unknown;
  activityRegularizer?: unknown;
  kernelConstraint?: unknown;
  biasConstraint?: unknown;
  batchInputShape?: (number | null)[];
}
interface OptimizerLike {
  getClassName(): string;
  learningRate: number;
  iterations: number;
  incrementIterations?: () => void;
  // RMSProp
  decay?: number;
  momentum?: number;
  epsilon?: number;
  centered?: boolean;
  // Adam
  beta1?: number;
  beta2?: number;
  accBeta1?: tf.Variable;
  accBeta2?: tf.Variable;
  accumulatedMeanSquares?: SlotList;
  accumulatedMoments?: SlotList;
  accumulatedFirstMoment?: SlotList;
  accumulatedSecondMoment?: SlotList;
  getWeights(): Promise<unknown>;
}
/** One of tfjs's optimizer slot lists (e.g. RMSprop's accumulatedMeanSquares). */
type SlotList = ({ originalName: string; variable: tf.Variable } | undefined)[];
interface ModelLike {
  layers: { getClassName(): string }[];
  inputs: { shape: (number | null)[] }[];
  outputs: unknown[];
  optimizer: OptimizerLike;
  loss: unknown;
  metricsNames: string[];
  makeTrainFunction(): (data: tf.Tensor[]) => tf.Scalar[];
}

interface Layer {
  fanIn: number;
  units: number;
  ld: number;
  kind: number;
  hasBias: boolean;
  W: Region;
  b: Region;
  gW: Region;
  gb: Region;
}

/** One trainable variable (a kernel [fanIn, units] or a bias [units]) and its regions here. */
interface Param {
  variable: LayerVariableLike;
  rows: number;
  cols: number;
  value: Region;
  grad: Region;
  /** Optimiser slots (RMSprop: ms, mom; Adam: m, v; SGD: velocity). */
  slots: [Region, Region];
  /** dataId of the variable as last assigned here: another id means the user set weights. */
  seen: object | null;
}

type OptKind = 'rmsprop' | 'adam' | 'sgd';

/**
 * A float32 tensor's values without a copy where the backend allows: on wasm, a view of its heap
 * (read at once, before any other tfjs call can move it); elsewhere dataSync().
 */
function valuesOf(t: tf.Tensor): Float32Array {
  if (tf.getBackend() === 'wasm') return (tf.backend() as unknown as HeapBackend).typedArrayFromHeap(t) as Float32Array;
  return t.dataSync() as Float32Array;
}

/** Why a model cannot use the fused step, or null when it can. */
export function fusedDenseUnsupported(model: tf.LayersModel): string | null {
  const m = model as unknown as ModelLike;
  if (m.inputs.length !== 1 || m.outputs.length !== 1) return 'more than one input or output';
  const shape = m.inputs[0].shape;
  if (shape.length !== 2) return `input shape [${shape}] is not [batch, features]`;
  const layers = m.layers.filter((l) => l.getClassName() !== 'InputLayer') as DenseLike[];
  if (!layers.length) return 'no layers';
  for (const [i, l] of layers.entries()) {
    if (l.getClassName() !== 'Dense') return `layer ${i} is ${l.getClassName()}, not Dense`;
    if (!l.trainable || !l.kernel.trainable || (l.bias && !l.bias.trainable)) return `layer ${i} is frozen`;
    if (l.kernelRegularizer || l.biasRegularizer || l.activityRegularizer) return `layer ${i} has a regularizer`;
    if (l.kernelConstraint || l.biasConstraint) return `layer ${i} has a constraint`;
    const act = l.activation.getClassName();
    const last = i === layers.length - 1;
    if (last ? act !== 'softmax' : !(act in KIND)) return `layer ${i} has activation ${act}`;
    if (l.kernel.read().dtype !== 'float32') return `layer ${i} is not float32`;
  }
  const loss = m.loss;
  if (loss !== 'categoricalCrossentropy' && loss !== 'categorical_crossentropy') return `loss ${typeof loss === 'string' ? loss : 'is a function'}`;
  const extra = m.metricsNames.slice(1);
  if (extra.some((n) => n !== 'acc' && n !== 'accuracy')) return `metrics ${extra.join(', ')}`;
  if (!optKind(m.optimizer)) return `optimizer ${m.optimizer.getClassName()}`;
  return null;
}

function optKind(o: OptimizerLike): OptKind | null {
  switch (o.getClassName()) {
    case 'RMSProp': return o.centered ? null : 'rmsprop';
    case 'Adam': return 'adam';
    case 'SGD': return 'sgd';
    default: return null;
  }
}

/** The fused step of one compiled model (its kernels, weights, optimiser state and buffers). */
class FusedDense {
  private readonly ws = new Workspace();
  private readonly layers: Layer[];
  /** Every kernel and bias, in the order of the model's trainable weights (tfjs's slot lists). */
  private readonly params: Param[] = [];
  private readonly opt: OptKind;
  private readonly nIn: number;
  private readonly nOut: number;
  private batchMark = 0;
  private cap = 0;
  private x!: Region;
  private rowptr!: Region;
  private cols!: Region;
  private vals!: Region;
  private rows!: Region;
  private t!: Region;
  private correct!: Region;
  private acts: Region[] = [];
  private deltas: Region[] = [];
  private scratch!: Region;
  private accBeta1 = 0;
  private accBeta2 = 0;

  constructor(readonly model: tf.LayersModel, readonly optimizer: OptimizerLike, readonly metrics: boolean) {
    const m = model as unknown as ModelLike;
    const dense = m.layers.filter((l) => l.getClassName() !== 'InputLayer') as DenseLike[];
    this.opt = optKind(optimizer)!;
    const ws = this.ws;
    let fanIn = m.inputs[0].shape[1] as number;
    this.nIn = fanIn;
    const param = (variable: LayerVariableLike, rows: number, cols: number, value: Region, grad: Region): void => {
      const n = rows * pad4(cols);
      this.params.push({ variable, rows, cols, value, grad, slots: [ws.alloc(n), ws.alloc(n)], seen: null });
    };
    this.layers = dense.map((l, i) => {
      const units = l.units;
      const ld = pad4(units);
      const hasBias = l.useBias && l.bias !== null;
      const layer: Layer = {
        fanIn, units, ld, hasBias,
        kind: i === dense.length - 1 ? 0 : KIND[l.activation.getClassName()], // the output's softmax is applied apart
        W: ws.alloc(fanIn * ld), b: ws.alloc(ld), gW: ws.alloc(fanIn * ld), gb: ws.alloc(ld),
      };
      param(l.kernel, fanIn, units, layer.W, layer.gW);
      if (hasBias) param(l.bias!, 1, units, layer.b, layer.gb);
      fanIn = units;
      return layer;
    });
    this.nOut = fanIn;
    this.importOptimizerState();
    this.batchMark = ws.mark();
  }

  /**
   * The optimizer's per-variable slots as tfjs keeps them (its lists are indexed like the model's
   * trainable weights: kernel, bias, kernel, …) beside the regions holding them here.
   */
  private slots(): { list: SlotList; suffix: string; index: number; name: string; region: Region; rows: number; cols: number }[] {
    const o = this.optimizer;
    const kinds: [SlotList, string][] = this.opt === 'rmsprop'
      ? [[(o.accumulatedMeanSquares ??= []), 'rms'], [(o.accumulatedMoments ??= []), 'momentum']]
      : this.opt === 'adam' ? [[(o.accumulatedFirstMoment ??= []), 'm'], [(o.accumulatedSecondMoment ??= []), 'v']] : [];
    return this.params.flatMap((p, index) =>
      kinds.map(([list, suffix], k) => ({ list, suffix, index, name: p.variable.name, region: p.slots[k], rows: p.rows, cols: p.cols })));
  }

  /** Start from the moments tfjs's optimizer holds for these variables, where it has any. */
  importOptimizerState(): void {
    for (const q of this.slots()) {
      const found = q.list[q.index];
      if (found?.originalName === `${q.name}/${q.suffix}`) this.put(q.region, valuesOf(found.variable), q.rows, q.cols);
      else this.ws.f32(q.region.ptr, q.region.length).fill(0);
    }
    const o = this.optimizer;
    if (this.opt === 'adam') {
      this.accBeta1 = o.accBeta1 ? o.accBeta1.dataSync()[0] : Math.fround(o.beta1!);
      this.accBeta2 = o.accBeta2 ? o.accBeta2.dataSync()[0] : Math.fround(o.beta2!);
    }
  }

  /**
   * Hand the moments back to tfjs's optimizer (its getWeights, saving with the optimizer, or a
   * step on tfjs's own path then see the state this step trained with).
   */
  exportOptimizerState(): void {
    for (const q of this.slots()) {
      const value = this.tensorOf(q.region, q.rows, q.cols, q.rows === 1 ? [q.cols] : [q.rows, q.cols]);
      const entry = q.list[q.index];
      if (entry?.originalName === `${q.name}/${q.suffix}`) entry.variable.assign(value);
      else q.list[q.index] = { originalName: `${q.name}/${q.suffix}`, variable: tf.variable(value, false) };
      value.dispose(); // the variable keeps its own reference to the data
    }
  }

  /** Copy a [rows, cols] array into a padded region (row stride pad4(cols)). */
  private put(r: Region, data: ArrayLike<number>, rows: number, cols: number): void {
    const ld = pad4(cols);
    const dst = this.ws.f32(r.ptr, rows * ld);
    if (ld === cols) dst.set(data as Float32Array);
    else for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) dst[i * ld + j] = data[i * cols + j];
  }

  /** The [rows, cols] array of a padded region, as a new tensor. */
  private tensorOf(r: Region, rows: number, cols: number, shape: number[]): tf.Tensor {
    const ld = pad4(cols);
    const src = this.ws.f32(r.ptr, rows * ld);
    // The wasm backend copies what it is given; the cpu backend keeps the array itself, and this
    // memory is rewritten by the next step, so it gets a copy.
    if (ld === cols) return tf.tensor(tf.getBackend() === 'wasm' ? src : src.slice(), shape, 'float32');
    const out = new Float32Array(rows * cols);
    for (let i = 0; i < rows; i++) out.set(src.subarray(i * ld, i * ld + cols), i * cols);
    return tf.tensor(out, shape, 'float32');
  }

  /** Buffers for batches of up to m rows (grown when a larger batch comes). */
  private ensureBatch(m: number): void {
    if (m <= this.cap) return;
    const ws = this.ws;
    ws.release(this.batchMark);
    this.x = ws.alloc(m * this.nIn);
    this.rowptr = ws.alloc(m + 1);
    this.cols = ws.alloc(m * this.nIn);
    this.vals = ws.alloc(m * this.nIn);
    this.rows = ws.alloc(m);
    this.t = ws.alloc(m * this.nOut);
    this.correct = ws.alloc(1);
    const rows = ws.i32(this.rows.ptr, m);
    for (let i = 0; i < m; i++) rows[i] = i;
    this.acts = this.layers.map((L) => ws.alloc(m * L.ld));
    this.deltas = this.layers.map((L) => ws.alloc(m * L.ld));
    this.scratch = ws.alloc(Math.max(...this.layers.map((L) => L.units * pad4(L.fanIn))));
    this.cap = m;
  }

  /** Reload the weights tfjs holds when they are not the ones this step last wrote. */
  private syncIn(): void {
    for (const p of this.params) {
      const v = p.variable.read();
      if (v.dataId !== p.seen) {
        this.put(p.value, valuesOf(v), p.rows, p.cols);
        p.seen = v.dataId;
      }
    }
  }

  /** Assign the trained values to the model's variables. */
  private syncOut(): void {
    for (const p of this.params) {
      const t = this.tensorOf(p.value, p.rows, p.cols, p.variable.read().shape);
      p.variable.write(t);
      t.dispose();
      p.seen = p.variable.read().dataId;
    }
  }

  /** One batch: returns [loss] or [loss, accuracy] as new scalars, as tfjs's train function does. */
  step(xT: tf.Tensor, yT: tf.Tensor): tf.Scalar[] {
    const m = xT.shape[0];
    if (xT.shape.length !== 2 || xT.shape[1] !== this.nIn) throw new Error(`fused Dense step: input has shape [${xT.shape}], expected [batch, ${this.nIn}]`);
    if (yT.shape.length !== 2 || yT.shape[0] !== m || yT.shape[1] !== this.nOut) throw new Error(`fused Dense step: target has shape [${yT.shape}], expected [${m}, ${this.nOut}]`);
    this.ensureBatch(m);
    this.syncIn();
    const ws = this.ws;
    const k = ws.k;
    ws.f32(this.x.ptr, m * this.nIn).set(valuesOf(xT));
    ws.f32(this.t.ptr, m * this.nOut).set(valuesOf(yT));
    k.denseToCsr(this.x.ptr, this.nIn, m, this.nIn, this.rowptr.ptr, this.cols.ptr, this.vals.ptr);

    // Forward: the first layer over the CSR rows, then dense products (skipping ReLU's zeros).
    const last = this.layers.length - 1;
    this.layers.forEach((L, l) => {
      const A = this.acts[l];
      const bias = L.hasBias ? L.b.ptr : 0;
      if (l === 0) k.csrNN(this.rows.ptr, m, this.rowptr.ptr, this.cols.ptr, this.vals.ptr, L.W.ptr, L.ld, bias, A.ptr, L.ld, L.ld);
      else {
        const prev = this.layers[l - 1];
        k.gemmNN(this.acts[l - 1].ptr, prev.ld, L.W.ptr, L.ld, bias, A.ptr, L.ld, m, L.fanIn, L.ld, prev.kind === KIND.relu && L.ld >= 32 ? 1 : 0);
      }
      if (l < last) k.activate(A.ptr, m * L.ld, L.kind);
    });

    // Softmax, then Keras' categorical cross-entropy and its gradient with respect to the logits,
    // as tfjs differentiates it (normalise, clip to [ε, 1−ε], −Σ t·log; see cceSoftmaxGrad).
    const out = this.layers[last];
    k.softmax(this.acts[last].ptr, out.ld, m, this.nOut, 0);
    const lossSum = k.cceSoftmaxGrad(this.acts[last].ptr, out.ld, m, this.nOut, this.t.ptr, this.deltas[last].ptr, EPSILON, this.correct.ptr);
    const correct = ws.i32(this.correct.ptr, 1)[0];

    // Backward: weight gradients, bias gradients (column sums), deltas through each layer.
    for (let l = last; l >= 0; l--) {
      const L = this.layers[l];
      const delta = this.deltas[l];
      if (l === 0) {
        k.csrTN(this.rows.ptr, m, this.rowptr.ptr, this.cols.ptr, this.vals.ptr, delta.ptr, L.ld, L.gW.ptr, L.ld, L.fanIn, L.ld);
      } else {
        weightGradient(ws, this.acts[l - 1].ptr, delta.ptr, L.gW.ptr, this.scratch.ptr, m, L.fanIn, L.units, this.layers[l - 1].kind === KIND.relu);
      }
      k.colMean(delta.ptr, L.ld, m, L.ld, L.gb.ptr);
      k.finishGrad(L.gb.ptr, L.gb.ptr, L.ld, 0, m); // colMean divides by m; the deltas already did
      if (l > 0) {
        deltaBelow(ws, L.W.ptr, delta.ptr, this.acts[l - 1].ptr, this.deltas[l - 1].ptr, this.scratch.ptr, m, L.fanIn, L.units, this.layers[l - 1].kind);
      }
    }
    this.update();
    this.syncOut();
    const loss = tf.scalar(lossSum / m);
    return this.metrics ? [loss, tf.scalar(correct / m)] : [loss];
  }

  /** The optimiser step on every W and b, as tfjs-core computes it. */
  private update(): void {
    const k = this.ws.k;
    const o = this.optimizer;
    const lr = o.learningRate;
    const params = this.params;
    if (this.opt === 'rmsprop') {
      const decay = o.decay!;
      for (const q of params) k.rmspropTf(q.value.ptr, q.grad.ptr, q.slots[0].ptr, q.slots[1].ptr, q.value.length, lr, decay, Math.fround(1 - decay), o.momentum!, o.epsilon!);
    } else if (this.opt === 'adam') {
      const b1 = o.beta1!, b2 = o.beta2!;
      const c1 = Math.fround(1 - this.accBeta1), c2 = Math.fround(1 - this.accBeta2);
      for (const q of params) k.adamTf(q.value.ptr, q.grad.ptr, q.slots[0].ptr, q.slots[1].ptr, q.value.length, lr, b1, Math.fround(1 - b1), b2, Math.fround(1 - b2), o.epsilon!, c1, c2);
      this.accBeta1 = Math.fround(this.accBeta1 * Math.fround(b1));
      this.accBeta2 = Math.fround(this.accBeta2 * Math.fround(b2));
      tf.tidy(() => {
        o.accBeta1?.assign(tf.scalar(this.accBeta1));
        o.accBeta2?.assign(tf.scalar(this.accBeta2));
      });
    } else {
      for (const q of params) k.sgd(q.value.ptr, q.grad.ptr, q.slots[0].ptr, q.value.length, lr, 0, 0);
    }
    o.incrementIterations?.();
  }
}

const steps = new WeakMap<tf.LayersModel, FusedDense>();
const ORIGINAL = Symbol('digitlab.makeTrainFunction');
const STEP = Symbol('digitlab.fusedDenseStep');

type Proto = ModelLike & { [ORIGINAL]?: ModelLike['makeTrainFunction'] };

/** The fused step for this model (made once per compiled model and optimizer), or null. */
function fusedFor(model: tf.LayersModel): FusedDense | null {
  if (fusedDenseUnsupported(model)) return null;
  const m = model as unknown as ModelLike;
  const metrics = m.metricsNames.length > 1;
  let s = steps.get(model);
  if (!s || s.optimizer !== m.optimizer || s.metrics !== metrics) {
    s = new FusedDense(model, m.optimizer, metrics);
    steps.set(model, s);
    exportOnGetWeights(m.optimizer, s);
  }
  return s;
}

/** Make `optimizer.getWeights()` (and so saving with the optimizer) see the fused step's moments. */
function exportOnGetWeights(o: OptimizerLike, step: FusedDense): void {
  const own = o as OptimizerLike & { [STEP]?: FusedDense };
  const first = !own[STEP];
  own[STEP] = step; // the latest step of this optimizer (a re-compiled model makes a new one)
  if (!first) return;
  const getWeights = o.getWeights.bind(o);
  o.getWeights = () => {
    own[STEP]?.exportOptimizerState();
    return getWeights();
  };
}

/**
 * Route tfjs-layers' training of supported Dense stacks through the fused step (idempotent).
 * Returns false when this JS engine cannot run the wasm SIMD kernels (nothing is changed then).
 */
export function installFusedDense(): boolean {
  const proto = tf.LayersModel.prototype as unknown as Proto;
  if (proto[ORIGINAL]) return true;
  try {
    new Workspace();
  } catch {
    return false;
  }
  const original = proto.makeTrainFunction;
  proto[ORIGINAL] = original;
  proto.makeTrainFunction = function (this: ModelLike) {
    const unfused = original.call(this);
    let fused: FusedDense | null;
    try {
      fused = fusedFor(this as unknown as tf.LayersModel);
    } catch {
      fused = null;
    }
    if (!fused) return unfused;
    const f = fused;
    // data = inputs, targets, then sample weights when fit was given any (left to tfjs, which then
    // steps with and updates the optimizer's own moments: handed over and back around that step).
    return (data: tf.Tensor[]) => {
      if (data.length === 2 && data[0].dtype === 'float32' && data[1].dtype === 'float32') return f.step(data[0], data[1]);
      f.exportOptimizerState();
      const out = unfused(data);
      f.importOptimizerState();
      return out;
    };
  };
  return true;
}

/** Undo installFusedDense: tfjs-layers trains every model itself again. */
export function uninstallFusedDense(): void {
  const proto = tf.LayersModel.prototype as unknown as Proto;
  const original = proto[ORIGINAL];
  if (original) {
    proto.makeTrainFunction = original;
    delete proto[ORIGINAL];
  }
}

/** Whether tfjs-layers' training goes through the fused step now. */
export function fusedDenseInstalled(): boolean {
  return Boolean((tf.LayersModel.prototype as unknown as Proto)[ORIGINAL]);
}
