/**
 * A fully-connected network written from scratch on lab.nd: layers of `x @ W + b` followed by an
 * activation, a loss, backpropagation, numerical gradients and SGD (mini-batch or per sample).
 *
 * Layout follows document 004 (rows are samples, W is [inputs, units]); document 001 writes the
 * transpose (W [units, inputs] times a column vector), which is the same arithmetic.
 */
import * as nd from '../nd';
import type { NdArray, DType, ActivationName } from '../nd';
import { sigmoid1 } from '../nd/activations';
import { LOG_EPS } from '../nd/losses';

export type LossName = 'mse' | 'crossEntropy';
export type InitKind = 'randn' | 'rand' | 'zeros' | 'ones';

export interface LayerSpec {
  units: number;
  activation: ActivationName;
}

export interface InitSpec {
  /** How weights start (default randn). */
  weights?: InitKind;
  /** How biases start (default zeros). */
  biases?: InitKind;
  /**
   * Multiply initial weights by this (default 1: plain randn, as both documents do); an array
   * gives one factor per layer.
   */
  weightScale?: number | number[];
}

export interface NetworkOptions {
  inputSize: number;
  layers: LayerSpec[];
  loss: LossName;
  init?: InitKind | InitSpec;
  /** Float64 (default) or Float32 weights. */
  dtype?: DType;
  /** Uniform generator for init (default Math.random, seeded by lab.seed). */
  rng?: () => number;
  /** Names of each layer's weight and bias (default W1, b1, W2, b2, …). */
  paramNames?: [string, string][];
  name?: string;
}

/** One trainable array. */
export interface Param {
  name: string;
  value: NdArray;
}

/** Gradient arrays by parameter name. */
export type Gradients = Record<string, NdArray>;

/** Targets: one-hot rows [n, classes] or class labels (one per row). */
export type Targets = NdArray | ArrayLike<number>;

/** What one epoch of per-sample SGD saw (document 001 prints the last sample's loss). */
export interface EpochResult {
  /** Loss of the last sample of the epoch (what document 001 prints and plots). */
  loss: number;
  /** Mean loss over the epoch's samples. */
  meanLoss: number;
  /** Share of samples whose prediction (before their own update) was right. */
  accuracy: number;
}

export interface FitOptions {
  /** Learning rate of the per-sample SGD step. */
  lr: number;
  /** Passes over the data (default 1). */
  epochs?: number;
  /** Row order of every epoch (default: in order, as document 001). */
  order?: ArrayLike<number>;
  /** Called after each epoch; returning 'stop' ends training there. */
  onEpochEnd?: (epoch: number, result: EpochResult) => 'stop' | void;
}

export interface SummaryRow {
  name: string;
  outputShape: (number | null)[];
  params: number;
  type?: string;
}

function initArray(kind: InitKind, shape: number[], dtype: DType, rng: () => number, scale: number): NdArray {
  switch (kind) {
    case 'randn': return nd.randn(shape, { rng, dtype, scale });
    case 'rand': return nd.rand(shape, { rng, dtype, scale });
    case 'zeros': return nd.zeros(shape, dtype);
    case 'ones': return nd.full(shape, scale, dtype);
    default: throw new Error(`nn: init "${kind as string}" is unknown, expected randn, rand, zeros or ones`);
  }
}

function isNd(t: Targets): t is NdArray {
  return typeof t === 'object' && t !== null && 'shape' in t && 'stride' in t;
}

export class Network {
  readonly name: string;
  readonly inputSize: number;
  readonly layers: readonly LayerSpec[];
  readonly loss: LossName;
  readonly dtype: DType;
  /** W and b of each layer, in order: params[2l] is W of layer l, params[2l+1] its b. */
  readonly params: Param[];
  // Per-sample buffers (reused: no allocation in trainSample).
  private readonly z: Float64Array[];
  private readonly a: Float64Array[];
  private readonly delta: Float64Array[];
  private readonly target: Float64Array;
  // One sample's non-zero inputs (trainSample) and the identity index of the hidden layers.
  private readonly nzIdx: Int32Array;
  private readonly nzVal: Float64Array;
  private readonly allIdx: Int32Array;

  constructor(options: NetworkOptions) {
    const { inputSize, layers, loss } = options;
    if (!Number.isInteger(inputSize) || inputSize < 1) throw new Error(`nn.Network: inputSize is ${inputSize}, expected a positive integer`);
    if (!layers.length) throw new Error('nn.Network: layers is empty, expected at least one {units, activation}');
    layers.forEach((l, i) => {
      if (!Number.isInteger(l.units) || l.units < 1) throw new Error(`nn.Network: layers[${i}].units is ${l.units}, expected a positive integer`);
      if (!nd.ACTIVATIONS.includes(l.activation)) throw new Error(`nn.Network: layers[${i}].activation is "${l.activation}", expected one of ${nd.ACTIVATIONS.join(', ')}`);
      if (l.activation === 'softmax' && i !== layers.length - 1) throw new Error(`nn.Network: layers[${i}] is softmax, which only the output layer may use`);
    });
    if (loss !== 'mse' && loss !== 'crossEntropy') throw new Error(`nn.Network: loss is "${loss as string}", expected "mse" or "crossEntropy"`);
    this.name = options.name ?? 'network';
    this.inputSize = inputSize;
    this.layers = layers.map((l) => ({ ...l }));
    this.loss = loss;
    this.dtype = options.dtype ?? 'float64';
    const init: InitSpec = typeof options.init === 'string' ? { weights: options.init, biases: options.init } : options.init ?? {};
    const rng = options.rng ?? Math.random;
    const ws = init.weightScale ?? 1;
    if (Array.isArray(ws) && ws.length !== layers.length) throw new Error(`nn.Network: init.weightScale has ${ws.length} factors, expected one per layer (${layers.length})`);
    const scale = (i: number): number => (Array.isArray(ws) ? ws[i] : ws);
    this.params = [];
    let prev = inputSize;
    layers.forEach((l, i) => {
      const [wn, bn] = options.paramNames?.[i] ?? [`W${i + 1}`, `b${i + 1}`];
      this.params.push({ name: wn, value: initArray(init.weights ?? 'randn', [prev, l.units], this.dtype, rng, scale(i)) });
      this.params.push({ name: bn, value: initArray(init.biases ?? 'zeros', [l.units], this.dtype, rng, 1) });
      prev = l.units;
    });
    this.z = layers.map((l) => new Float64Array(l.units));
    this.a = layers.map((l) => new Float64Array(l.units));
    this.delta = layers.map((l) => new Float64Array(l.units));
    this.target = new Float64Array(this.outputSize);
    this.nzIdx = new Int32Array(inputSize);
    this.nzVal = new Float64Array(inputSize);
    this.allIdx = Int32Array.from({ length: Math.max(inputSize, ...layers.map((l) => l.units)) }, (_, i) => i);
  }

  get outputSize(): number {
    return this.layers[this.layers.length - 1].units;
  }

  /** Parameter by name. */
  param(name: string): NdArray {
    const p = this.params.find((q) => q.name === name);
    if (!p) throw new Error(`nn.${this.name}: no parameter "${name}" (has ${this.params.map((q) => q.name).join(', ')})`);
    return p.value;
  }

  /** Total number of weights and biases. */
  countParams(): number {
    return this.params.reduce((s, p) => s + p.value.size, 0);
  }

  private asBatch(x: NdArray): NdArray {
    const X = x.dimension === 1 ? nd.reshape(x, [1, x.shape[0]]) : x;
    if (X.dimension !== 2 || X.shape[1] !== this.inputSize) {
      throw new Error(`nn.${this.name}: input has shape [${x.shape}], expected [n, ${this.inputSize}] or [${this.inputSize}]`);
    }
    return X;
  }

  /** Forward pass keeping every layer's pre-activation z and output a (a[0] is the input). */
  forwardAll(x: NdArray): { z: NdArray[]; a: NdArray[] } {
    const z: NdArray[] = [];
    const a: NdArray[] = [this.asBatch(x)];
    this.layers.forEach((l, i) => {
      const zi = nd.add(nd.matmul(a[i], this.params[2 * i].value), this.params[2 * i + 1].value);
      z.push(zi);
      a.push(nd.activation(l.activation).f(zi));
    });
    return { z, a };
  }

  /** Outputs for a batch [n, inputs] → [n, outputs], or one sample [inputs] → [outputs]. */
  predict(x: NdArray): NdArray {
    const { a } = this.forwardAll(x);
    const y = a[a.length - 1];
    return x.dimension === 1 ? nd.reshape(y, [this.outputSize]) : y;
  }

  private targetsFor(t: Targets, n: number): NdArray {
    if (isNd(t)) {
      if (t.size !== n * this.outputSize) throw new Error(`nn.${this.name}: targets have shape [${t.shape}], expected [${n}, ${this.outputSize}] one-hot rows`);
      return t;
    }
    if (t.length !== n) throw new Error(`nn.${this.name}: ${t.length} labels for ${n} samples`);
    return nd.oneHot(t, this.outputSize);
  }

  private lossOf(y: NdArray, t: NdArray): number {
    return this.loss === 'mse' ? nd.meanSquaredError(y, t) : nd.crossEntropyError(y, t);
  }

  /** The loss of the network's outputs on x against t. */
  lossOn(x: NdArray, t: Targets): number {
    const X = this.asBatch(x);
    return this.lossOf(this.predict(X), this.targetsFor(t, X.shape[0]));
  }

  /** Share of rows whose argmax output equals the label (t as labels or one-hot rows). */
  accuracy(x: NdArray, t: Targets): number {
    const X = this.asBatch(x);
    const pred = nd.argmax(this.predict(X), 1).data;
    const labels = isNd(t) ? nd.argmax(t, 1).data : t;
    if (labels.length !== pred.length) throw new Error(`nn.${this.name}: ${labels.length} labels for ${pred.length} samples`);
    let ok = 0;
    for (let i = 0; i < pred.length; i++) if (pred[i] === labels[i]) ok++;
    return ok / pred.length;
  }

  /** Predicted class of each row. */
  predictClasses(x: NdArray): Int32Array {
    return nd.argmax(this.predict(this.asBatch(x)), 1).data;
  }

  /**
   * Gradients of the loss by backpropagation, for a batch. The output delta is the exact
   * derivative of the loss as defined (including the 1e-7 inside cross-entropy's log) pushed
   * through the output activation, so it matches the numerical gradient to rounding error.
   */
  gradient(x: NdArray, t: Targets): { loss: number; grads: Gradients } {
    const { z, a } = this.forwardAll(x);
    const L = this.layers.length;
    const y = a[L];
    const T = this.targetsFor(t, y.shape[0]);
    const loss = this.lossOf(y, T);
    const dy = this.loss === 'mse' ? nd.meanSquaredErrorGrad(y, T) : nd.crossEntropyErrorGrad(y, T);
    const out = this.layers[L - 1].activation;
    let delta = out === 'softmax' ? nd.softmaxGrad(y, dy) : nd.mul(dy, nd.activation(out).df!(z[L - 1]));
    const grads: Gradients = {};
    for (let l = L - 1; l >= 0; l--) {
      grads[this.params[2 * l].name] = nd.matmul(a[l].transpose(1, 0), delta);
      grads[this.params[2 * l + 1].name] = nd.sum(delta, 0);
      if (l > 0) {
        const back = nd.matmul(delta, this.params[2 * l].value.transpose(1, 0));
        delta = nd.mul(back, nd.activation(this.layers[l - 1].activation).df!(z[l - 1]));
      }
    }
    return { loss, grads };
  }

  /**
   * Gradients by central differences (document 004's `gradient`): every weight is nudged by ±h
   * in place and the whole forward pass rerun, 2 × countParams() forward passes in all.
   */
  numericalGradient(x: NdArray, t: Targets, h = nd.DIFF_H): Gradients {
    const X = this.asBatch(x);
    const T = this.targetsFor(t, X.shape[0]);
    const f = () => this.lossOf(this.predict(X), T);
    const grads: Gradients = {};
    for (const p of this.params) grads[p.name] = nd.numericalGradient(f, p.value, h);
    return grads;
  }

  /** W ← W − lr · grad for every parameter. */
  applyGradients(grads: Gradients, lr: number): void {
    for (const p of this.params) {
      const g = grads[p.name];
      if (!g) throw new Error(`nn.${this.name}: no gradient for "${p.name}"`);
      nd.axpy(p.value, -lr, g);
    }
  }

  /**
   * One mini-batch SGD step; returns the batch's loss before the step. `numerical: true` uses
   * numericalGradient (document 004's slow path) instead of backpropagation.
   */
  trainBatch(x: NdArray, t: Targets, lr: number, options: { numerical?: boolean } = {}): number {
    if (options.numerical) {
      const loss = this.lossOn(x, t);
      this.applyGradients(this.numericalGradient(x, t), lr);
      return loss;
    }
    const { loss, grads } = this.gradient(x, t);
    this.applyGradients(grads, lr);
    return loss;
  }

  /**
   * One per-sample SGD step on row `row` of the packed matrix `xs` (document 001's
   * forward + backward), fused on the typed arrays with preallocated buffers. Returns the loss;
   * `lastPrediction` then holds the class the network predicted before the update.
   */
  trainSample(xs: ArrayLike<number>, row: number, label: number, lr: number): number {
    const nz = listNonZeros(xs, row * this.inputSize, this.inputSize, this.nzIdx, this.nzVal, 0);
    return this.step(this.nzIdx, this.nzVal, 0, nz, label, lr);
  }

  /**
   * The fused step on one sample given as its non-zero inputs (idx[off..off+count) with values
   * val[off..]): only they contribute to x·W (the others add exactly 0) and only their rows of W
   * change in the update (by exactly 0 for the others), so skipping the zeros gives the same
   * numbers as the dense step. The text digits are ~70% zeros, MNIST ~80%.
   */
  private step(idx: Int32Array, val: Float64Array, off: number, count: number, label: number, lr: number): number {
    const L = this.layers.length;
    // Forward.
    for (let l = 0; l < L; l++) {
      const W = this.params[2 * l].value.data;
      const b = this.params[2 * l + 1].value.data;
      const z = this.z[l];
      const m = z.length;
      for (let j = 0; j < m; j++) z[j] = b[j];
      if (l === 0) denseForward(idx, val, off, count, W, z);
      else denseForward(this.allIdx, this.a[l - 1], 0, this.a[l - 1].length, W, z);
      activate(this.layers[l].activation, z, this.a[l]);
    }
    // Loss and the output delta.
    const y = this.a[L - 1];
    const t = this.target;
    t.fill(0);
    t[label] = 1;
    let loss = 0;
    let best = 0;
    const dOut = this.delta[L - 1];
    for (let k = 0; k < y.length; k++) {
      if (y[k] > y[best]) best = k;
      if (this.loss === 'mse') {
        const d = y[k] - t[k];
        loss += 0.5 * d * d;
        dOut[k] = d;
      } else {
        if (t[k] !== 0) loss -= t[k] * Math.log(y[k] + LOG_EPS);
        dOut[k] = -t[k] / (y[k] + LOG_EPS);
      }
    }
    this.lastPrediction = best;
    const outAct = this.layers[L - 1].activation;
    if (outAct === 'softmax') {
      let s = 0;
      for (let k = 0; k < y.length; k++) s += dOut[k] * y[k];
      for (let k = 0; k < y.length; k++) dOut[k] = y[k] * (dOut[k] - s);
    } else {
      scaleByDerivative(outAct, this.z[L - 1], y, dOut);
    }
    // Backward: the delta of layer l-1 uses W of layer l before its update, as the document does.
    for (let l = L - 1; l >= 0; l--) {
      const W = this.params[2 * l].value.data;
      const b = this.params[2 * l + 1].value.data;
      const delta = this.delta[l];
      const m = delta.length;
      for (let j = 0; j < m; j++) b[j] -= lr * delta[j];
      if (l === 0) {
        denseUpdate(idx, val, off, count, W, delta, lr);
      } else {
        const inp = this.a[l - 1];
        const prev = this.delta[l - 1];
        const n = inp.length;
        for (let i = 0; i < n; i++) {
          const r = i * m;
          let s = 0;
          for (let j = 0; j < m; j++) s += W[r + j] * delta[j];
          prev[i] = s;
        }
        denseUpdate(this.allIdx, inp, 0, n, W, delta, lr);
        scaleByDerivative(this.layers[l - 1].activation, this.z[l - 1], inp, prev);
      }
    }
    return loss;
  }

  /** Class predicted by the forward pass of the last trainSample call. */
  lastPrediction = -1;

  /**
   * One epoch of per-sample SGD over every row of x (document 001's `train` loop): rows in
   * order, or in `order` when given. Accuracy counts each sample's prediction before its update.
   */
  trainEpoch(x: NdArray, labels: ArrayLike<number>, lr: number, options: { order?: ArrayLike<number> } = {}): EpochResult {
    const X = this.checkTraining(x, labels, lr, options.order);
    return this.epoch(X.data, null, labels, lr, options.order, 1);
  }

  /**
   * Several epochs of per-sample SGD (document 001's `train(trainMat, trainLabels, Epoch)`),
   * like Keras' fit: returns one EpochResult per epoch. Each row's non-zero inputs are listed
   * once for the whole call instead of being searched for in every epoch, so x must not change
   * while fit runs. `onEpochEnd` may return 'stop' to end training early.
   */
  fit(x: NdArray, labels: ArrayLike<number>, options: FitOptions): EpochResult[] {
    const { lr, order } = options;
    const epochs = options.epochs ?? 1;
    if (!Number.isInteger(epochs) || epochs < 0) throw new Error(`nn.${this.name}: epochs is ${epochs}, expected a non-negative integer`);
    const X = this.checkTraining(x, labels, lr, order);
    const rows = sparseRows(X.data, X.shape[0], this.inputSize);
    const history: EpochResult[] = [];
    for (let e = 0; e < epochs; e++) {
      const r = this.epoch(X.data, rows, labels, lr, order, e + 1);
      history.push(r);
      if (options.onEpochEnd?.(e, r) === 'stop') break;
    }
    return history;
  }

  /** The packed input matrix, after checking labels, learning rate and order against it. */
  private checkTraining(x: NdArray, labels: ArrayLike<number>, lr: number, order?: ArrayLike<number>): NdArray {
    const X = nd.packed(this.asBatch(x));
    const n = X.shape[0];
    if (labels.length !== n) throw new Error(`nn.${this.name}: ${labels.length} labels for ${n} samples`);
    if (!(lr > 0) || !Number.isFinite(lr)) throw new Error(`nn.${this.name}: lr is ${lr}, expected a positive number`);
    if (order && order.length !== n) throw new Error(`nn.${this.name}: order has ${order.length} entries, expected ${n}`);
    for (let i = 0; i < n; i++) {
      const label = labels[i];
      if (!Number.isInteger(label) || label < 0 || label >= this.outputSize) {
        throw new Error(`nn.${this.name}: label ${i} is ${label}, expected an integer 0–${this.outputSize - 1}`);
      }
    }
    return X;
  }

  /** One pass over the rows: from their sparse listing when given, else scanning each row. */
  private epoch(xs: ArrayLike<number>, rows: SparseRows | null, labels: ArrayLike<number>, lr: number, order: ArrayLike<number> | undefined, epoch: number): EpochResult {
    const n = labels.length;
    let ok = 0;
    let sum = 0;
    let loss = 0;
    for (let k = 0; k < n; k++) {
      const i = order ? order[k] : k;
      loss = rows
        ? this.step(rows.index, rows.value, rows.start[i], rows.start[i + 1] - rows.start[i], labels[i], lr)
        : this.trainSample(xs, i, labels[i], lr);
      if (!Number.isFinite(loss)) throw new Error(`nn.${this.name}: the loss of sample ${i} in epoch ${epoch} is ${loss}, expected a finite number (try a lower lr)`);
      sum += loss;
      if (this.lastPrediction === labels[i]) ok++;
    }
    return { loss, meanLoss: sum / n, accuracy: ok / n };
  }

  /** Rows for lab.plot.summary: one per layer, like Keras' model.summary(). */
  summaryRows(): SummaryRow[] {
    return this.layers.map((l, i) => ({
      name: `dense_${i + 1} (${l.activation})`,
      type: 'Dense',
      outputShape: [null, l.units],
      params: this.params[2 * i].value.size + this.params[2 * i + 1].value.size,
    }));
  }

  /** Copies of the weights (for snapshots). */
  getWeights(): Record<string, NdArray> {
    const out: Record<string, NdArray> = {};
    for (const p of this.params) out[p.name] = nd.copy(p.value);
    return out;
  }

  /** Replace the weights; every array must match its parameter's shape. `where` names the source. */
  setWeights(weights: Record<string, { shape: readonly number[]; data: ArrayLike<number> }>, where = 'weights'): void {
    for (const p of this.params) {
      const w = weights[p.name];
      if (!w) throw new Error(`${where}: no array "${p.name}" (expected ${this.params.map((q) => q.name).join(', ')})`);
      const same = w.shape.length === p.value.shape.length && w.shape.every((d, i) => d === p.value.shape[i]);
      if (!same || w.data.length !== p.value.size) {
        throw new Error(`${where}: "${p.name}" has shape [${w.shape}], expected [${p.value.shape}]`);
      }
      const d = p.value.data;
      for (let i = 0; i < d.length; i++) d[i] = Number(w.data[i]);
    }
  }
}

/** a = f(z) for one layer (softmax over the whole vector). */
function activate(kind: ActivationName, z: Float64Array, a: Float64Array): void {
  const n = z.length;
  switch (kind) {
    case 'sigmoid': for (let j = 0; j < n; j++) a[j] = sigmoid1(z[j]); break;
    case 'relu': for (let j = 0; j < n; j++) a[j] = z[j] > 0 ? z[j] : 0; break;
    case 'identity': a.set(z); break;
    case 'softmax': nd.softmaxRow(z, a, 0, n); break;
  }
}

/** d ← d ⊙ f'(z) for an elementwise activation (sigmoid' from its output a = σ(z)). */
function scaleByDerivative(kind: ActivationName, z: Float64Array, a: Float64Array, d: Float64Array): void {
  const n = d.length;
  switch (kind) {
    case 'sigmoid': for (let j = 0; j < n; j++) d[j] *= a[j] * (1 - a[j]); break;
    case 'relu': for (let j = 0; j < n; j++) if (!(z[j] > 0)) d[j] = 0; break;
    case 'identity': break;
    case 'softmax': throw new Error('nn: softmax is only allowed on the output layer');
  }
}

/** Each row's non-zero entries of a packed [n, cols] matrix: compressed sparse rows. */
interface SparseRows {
  /** Row i's entries are start[i] … start[i+1]-1. */
  start: Int32Array;
  index: Int32Array;
  value: Float64Array;
}

function sparseRows(xs: ArrayLike<number>, n: number, cols: number): SparseRows {
  let nnz = 0;
  for (let i = 0; i < n * cols; i++) if (xs[i] !== 0) nnz++;
  const rows: SparseRows = { start: new Int32Array(n + 1), index: new Int32Array(nnz), value: new Float64Array(nnz) };
  let q = 0;
  for (let r = 0; r < n; r++) {
    rows.start[r] = q;
    q = listNonZeros(xs, r * cols, cols, rows.index, rows.value, q);
  }
  rows.start[n] = q;
  return rows;
}

/**
 * The columns and values of the non-zero entries of xs[from … from+cols), written to idx and val
 * from position `at`; returns the position after the last one written.
 */
function listNonZeros(xs: ArrayLike<number>, from: number, cols: number, idx: Int32Array, val: Float64Array, at: number): number {
  let q = at;
  for (let c = 0; c < cols; c++) {
    const v = xs[from + c];
    if (v !== 0) {
      idx[q] = c;
      val[q++] = v;
    }
  }
  return q;
}

/**
 * z[j] += Σ_q val[off+q] · W[idx[off+q], j] for q < count, W packed [inputs, z.length].
 * Eight outputs at a time with their sums in registers across the rows: about a third of the
 * instructions of the plain row-by-row loop on document 001's 16-wide layers.
 */
function denseForward(idx: Int32Array, val: Float64Array, off: number, count: number, W: ArrayLike<number>, z: Float64Array): void {
  const m = z.length;
  const end = off + count;
  let j0 = 0;
  for (; j0 + 8 <= m; j0 += 8) {
    let s0 = z[j0], s1 = z[j0 + 1], s2 = z[j0 + 2], s3 = z[j0 + 3];
    let s4 = z[j0 + 4], s5 = z[j0 + 5], s6 = z[j0 + 6], s7 = z[j0 + 7];
    for (let q = off; q < end; q++) {
      const xi = val[q];
      const r = idx[q] * m + j0;
      s0 += xi * W[r];
      s1 += xi * W[r + 1];
      s2 += xi * W[r + 2];
      s3 += xi * W[r + 3];
      s4 += xi * W[r + 4];
      s5 += xi * W[r + 5];
      s6 += xi * W[r + 6];
      s7 += xi * W[r + 7];
    }
    z[j0] = s0; z[j0 + 1] = s1; z[j0 + 2] = s2; z[j0 + 3] = s3;
    z[j0 + 4] = s4; z[j0 + 5] = s5; z[j0 + 6] = s6; z[j0 + 7] = s7;
  }
  if (j0 === m) return;
  for (let q = off; q < end; q++) {
    const xi = val[q];
    const r = idx[q] * m;
    for (let j = j0; j < m; j++) z[j] += xi * W[r + j];
  }
}

/** W[idx[off+q], j] −= lr · val[off+q] · delta[j]: the SGD step of one layer for one sample. */
function denseUpdate(idx: Int32Array, val: Float64Array, off: number, count: number, W: Float64Array | Float32Array, delta: Float64Array, lr: number): void {
  const m = delta.length;
  const end = off + count;
  let j0 = 0;
  for (; j0 + 8 <= m; j0 += 8) {
    const d0 = lr * delta[j0], d1 = lr * delta[j0 + 1], d2 = lr * delta[j0 + 2], d3 = lr * delta[j0 + 3];
    const d4 = lr * delta[j0 + 4], d5 = lr * delta[j0 + 5], d6 = lr * delta[j0 + 6], d7 = lr * delta[j0 + 7];
    for (let q = off; q < end; q++) {
      const xi = val[q];
      const r = idx[q] * m + j0;
      W[r] -= xi * d0;
      W[r + 1] -= xi * d1;
      W[r + 2] -= xi * d2;
      W[r + 3] -= xi * d3;
      W[r + 4] -= xi * d4;
      W[r + 5] -= xi * d5;
      W[r + 6] -= xi * d6;
      W[r + 7] -= xi * d7;
    }
  }
  if (j0 === m) return;
  for (let q = off; q < end; q++) {
    const g = lr * val[q];
    const r = idx[q] * m;
    for (let j = j0; j < m; j++) W[r + j] -= g * delta[j];
  }
}
