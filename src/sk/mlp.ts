/**
 * MLPClassifier: scikit-learn's multi-layer perceptron (adam/sgd solvers) with its semantics —
 * Glorot-uniform init as `_init_coef`, softmax (or logistic for two classes) with log-loss plus
 * alpha/2/n·||W||², per-epoch convergence on the training loss (or validation accuracy with
 * early stopping) with tol over nIterNoChange epochs, and a ConvergenceWarning at maxIter.
 *
 * The arithmetic runs in wasm SIMD kernels (./wasm) on float32; the input layer treats X as
 * sparse (CSR), since half the pixels of a digit are zero.
 */
import { rng as makeRng } from '../engine/seed';
import { stratifiedSplit } from '../data/transforms';
import { resolveParams, type MLPOptions, type MLPParams } from './params';
import { toMatrix, toLabels, type Matrix, type MatrixLike } from './matrix';
import { Workspace, pad4, weightGradient, deltaBelow, type Region } from '../simd/kernels';
import { warn } from './warnings';

const KIND = { identity: 0, logistic: 1, tanh: 2, relu: 3 } as const;

/** X's rows in CSR form inside the kernel memory. */
interface Csr {
  rowptr: Region;
  cols: Region;
  vals: Region;
}

interface Layer {
  fanIn: number;
  fanOut: number;
  /** Padded row width of W (= fanOut rounded up to 4). */
  ld: number;
  W: Region; // [fanIn, ld]
  b: Region; // [ld]
  gW: Region;
  gb: Region;
}

export class MLPClassifier {
  /** The resolved hyperparameters (sklearn's get_params, camelCase). */
  readonly params: MLPParams;
  /** The class labels, sorted (sklearn's classes_). */
  classes: number[] = [];
  /** Training loss per epoch (loss_curve_). */
  lossCurve: number[] = [];
  /** Validation accuracy per epoch with earlyStopping (validation_scores_), else null. */
  validationScores: number[] | null = null;
  bestValidationScore: number | null = null;
  /** Epochs run (n_iter_). */
  nIter = 0;
  /** Samples seen in training (t_). */
  t = 0;
  /** Final training loss (loss_). */
  loss = NaN;
  bestLoss: number | null = null;
  /** False when fit stopped at maxIter (a ConvergenceWarning was issued). */
  converged = false;
  /** Warnings issued by the last fit. */
  warnings: string[] = [];
  nFeaturesIn = 0;
  /** Seconds the last fit took. */
  fitSeconds = 0;

  private ws: Workspace | null = null;
  private layers: Layer[] = [];
  private P!: Region; // every W and b, contiguous (so one optimiser call updates all)
  private G!: Region; // gradients, same layout
  private acts: Region[] = []; // activations per layer output, [batch, ld]
  private deltas: Region[] = [];
  private scratch!: Region; // transposes
  private rowsBuf!: Region;
  private labelsBuf!: Region;
  private batchCap = 0;
  private nOut = 0;

  constructor(options: MLPOptions = {}) {
    this.params = resolveParams(options);
  }

  /** Train from scratch on X [n, features] and labels y. Returns this (as sklearn). */
  fit(X: MatrixLike, y: ArrayLike<number>): this {
    const start = performance.now();
    const p = this.params;
    const M = toMatrix(X, 'MLPClassifier.fit');
    const yRaw = toLabels(y, M.rows, 'MLPClassifier.fit');
    this.classes = [...new Set(yRaw)].sort((a, b) => a - b);
    if (this.classes.length < 2) {
      throw new Error(`MLPClassifier.fit: y has ${this.classes.length} class, expected at least 2`);
    }
    const classIndex = new Map(this.classes.map((c, i) => [c, i]));
    const yIdx = Int32Array.from(yRaw, (v) => classIndex.get(v)!);
    this.nFeaturesIn = M.cols;
    this.nOut = this.classes.length === 2 ? 1 : this.classes.length;
    this.warnings = [];
    const seed = p.randomState ?? Math.floor(Math.random() * 2 ** 31);
    const r = makeRng(seed);

    // Early stopping holds out a stratified validation part (as sklearn's train_test_split).
    let trainRows: Int32Array = Int32Array.from({ length: M.rows }, (_, i) => i);
    let valRows: Int32Array | null = null;
    if (p.earlyStopping) {
      const split = stratifiedSplit(yIdx, { testSize: p.validationFraction, seed: Math.floor(r() * 2 ** 31) });
      trainRows = split.train;
      valRows = split.test;
    }
    const n = trainRows.length;
    let batch = p.batchSize === 'auto' ? Math.min(200, n) : p.batchSize;
    if (batch > n) {
      this.emit('UserWarning', 'Got `batch_size` less than 1 or larger than sample size. It is going to be clipped');
      batch = n;
    }

    this.allocate(M, batch, r);
    const ws = this.ws!;
    const k = ws.k;
    const csr = this.toCsr(M);
    const total = this.P.length;
    const m1 = ws.alloc(total); // adam's first moments, or sgd's velocities
    const v1 = p.solver === 'adam' ? ws.alloc(total) : m1; // adam's second moments
    const rows = ws.i32(this.rowsBuf.ptr, batch);
    const labels = ws.i32(this.labelsBuf.ptr, batch);

    this.lossCurve = [];
    this.nIter = 0;
    this.t = 0;
    this.converged = false;
    this.validationScores = valRows ? [] : null;
    this.bestValidationScore = valRows ? -Infinity : null;
    this.bestLoss = valRows ? null : Infinity;
    let best: Float32Array | null = null;
    let noImprovement = 0;
    let lr = p.learningRateInit;
    let step = 0;
    const order = trainRows.slice();

    for (let it = 0; it < p.maxIter; it++) {
      if (p.shuffle) {
        for (let i = order.length - 1; i > 0; i--) {
          const j = Math.floor(r() * (i + 1));
          const tmp = order[i];
          order[i] = order[j];
          order[j] = tmp;
        }
      }
      let accumulated = 0;
      for (let s = 0; s < n; s += batch) {
        const m = Math.min(batch, n - s);
        for (let i = 0; i < m; i++) {
          rows[i] = order[s + i];
          labels[i] = yIdx[order[s + i]];
        }
        accumulated += this.backprop(csr, m);
        if (p.solver === 'adam') {
          step++;
          const lrT = (p.learningRateInit * Math.sqrt(1 - p.beta2 ** step)) / (1 - p.beta1 ** step);
          k.adam(this.P.ptr, this.G.ptr, m1.ptr, v1.ptr, total, lrT, p.beta1, p.beta2, p.epsilon);
        } else {
          k.sgd(this.P.ptr, this.G.ptr, m1.ptr, total, lr, p.momentum, p.nesterovsMomentum ? 1 : 0);
        }
      }
      this.nIter++;
      this.loss = accumulated / n;
      this.t += n;
      this.lossCurve.push(this.loss);
      if (p.verbose) console.log(`Iteration ${this.nIter}, loss = ${this.loss.toFixed(8)}`);

      if (valRows) {
        const score = this.scoreRows(csr, valRows, yIdx);
        this.validationScores!.push(score);
        if (p.verbose) console.log(`Validation score: ${score.toFixed(6)}`);
        noImprovement = score < this.bestValidationScore! + p.tol ? noImprovement + 1 : 0;
        if (score > this.bestValidationScore!) {
          this.bestValidationScore = score;
          best = ws.f32(this.P.ptr, total).slice();
        }
      } else {
        noImprovement = this.loss > this.bestLoss! - p.tol ? noImprovement + 1 : 0;
        if (this.loss < this.bestLoss!) this.bestLoss = this.loss;
      }
      if (p.solver === 'sgd' && p.learningRate === 'invscaling') lr = p.learningRateInit / (this.t + 1) ** p.powerT;

      if (noImprovement > p.nIterNoChange) {
        const what = valRows ? 'Validation score did not improve' : 'Training loss did not improve';
        const msg = `${what} more than tol=${p.tol} for ${p.nIterNoChange} consecutive epochs.`;
        // sklearn's SGD with the adaptive schedule divides the rate by 5 instead of stopping.
        if (p.solver === 'sgd' && p.learningRate === 'adaptive' && lr > 1e-6) {
          lr /= 5;
          if (p.verbose) console.log(`${msg} Setting learning rate to ${lr}`);
          noImprovement = 0;
        } else {
          if (p.verbose) console.log(`${msg} Stopping.`);
          this.converged = true;
          break;
        }
      }
      if (this.nIter === p.maxIter) {
        this.emit('ConvergenceWarning',
          `Stochastic Optimizer: Maximum iterations (${p.maxIter}) reached and the optimization hasn't converged yet.`);
      }
    }
    if (best) ws.f32(this.P.ptr, total).set(best);
    const params = ws.f32(this.P.ptr, total);
    for (let i = 0; i < total; i++) {
      if (!Number.isFinite(params[i])) {
        throw new Error('MLPClassifier.fit: the solver produced non-finite weights; the input may contain large values and need scaling');
      }
    }
    ws.release(csr.rowptr.ptr); // drop X's CSR and the optimiser state, keep the model
    this.fitSeconds = (performance.now() - start) / 1000;
    return this;
  }

  /** Class probabilities [n, classes], one row per sample (predict_proba). */
  predictProba(X: MatrixLike): number[][] {
    const { probs, nc } = this.forwardAll(X, 'MLPClassifier.predictProba');
    const out: number[][] = [];
    for (let i = 0; i < probs.length / nc; i++) out.push(Array.from(probs.subarray(i * nc, (i + 1) * nc)));
    return out;
  }

  /** Predicted class labels (predict). */
  predict(X: MatrixLike): number[] {
    const { probs, nc } = this.forwardAll(X, 'MLPClassifier.predict');
    const n = probs.length / nc;
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      let bi = 0;
      for (let c = 1; c < nc; c++) if (probs[i * nc + c] > probs[i * nc + bi]) bi = c;
      out[i] = this.classes[bi];
    }
    return out;
  }

  /** Mean accuracy on (X, y) (score). */
  score(X: MatrixLike, y: ArrayLike<number>): number {
    const pred = this.predict(X);
    const truth = toLabels(y, pred.length, 'MLPClassifier.score');
    let ok = 0;
    for (let i = 0; i < pred.length; i++) if (pred[i] === truth[i]) ok++;
    return ok / pred.length;
  }

  /** Weight matrices [fanIn][fanOut] per layer (coefs_). */
  get coefs(): number[][][] {
    this.requireFitted('coefs');
    return this.layers.map((L) => {
      const W = this.ws!.f32(L.W.ptr, L.W.length);
      return Array.from({ length: L.fanIn }, (_, i) => Array.from(W.subarray(i * L.ld, i * L.ld + L.fanOut)));
    });
  }

  /** Bias vectors per layer (intercepts_). */
  get intercepts(): number[][] {
    this.requireFitted('intercepts');
    return this.layers.map((L) => Array.from(this.ws!.f32(L.b.ptr, L.fanOut)));
  }

  private emit(category: string, message: string): void {
    this.warnings.push(`${category}: ${message}`);
    warn(category, message);
  }

  private requireFitted(what: string): void {
    if (!this.ws) throw new Error(`MLPClassifier.${what}: this MLPClassifier is not fitted yet; call fit(X, y) first`);
  }

  /** Fresh kernel memory: parameters (Glorot-uniform as sklearn's _init_coef) and buffers. */
  private allocate(M: Matrix, batch: number, r: () => number): void {
    const p = this.params;
    const ws = new Workspace();
    const units = [M.cols, ...p.hiddenLayerSizes, this.nOut];
    const shapes = units.slice(0, -1).map((fanIn, l) => ({ fanIn, fanOut: units[l + 1], ld: pad4(units[l + 1]) }));
    const total = shapes.reduce((s, L) => s + L.fanIn * L.ld + L.ld, 0);
    this.P = ws.alloc(total);
    this.G = ws.alloc(total);
    let off = 0;
    this.layers = shapes.map((L) => {
      const W = { ptr: this.P.ptr + off * 4, length: L.fanIn * L.ld };
      const gW = { ptr: this.G.ptr + off * 4, length: L.fanIn * L.ld };
      off += L.fanIn * L.ld;
      const b = { ptr: this.P.ptr + off * 4, length: L.ld };
      const gb = { ptr: this.G.ptr + off * 4, length: L.ld };
      off += L.ld;
      return { ...L, W, b, gW, gb };
    });
    this.acts = shapes.map((L) => ws.alloc(batch * L.ld));
    this.deltas = shapes.map((L) => ws.alloc(batch * L.ld));
    // Room for W^T or a transposed gradient of any layer: [fanOut, pad4(fanIn)].
    this.scratch = ws.alloc(Math.max(...shapes.map((L) => L.fanOut * pad4(L.fanIn))));
    this.rowsBuf = ws.alloc(batch);
    this.labelsBuf = ws.alloc(batch);
    this.batchCap = batch;
    const factor = p.activation === 'logistic' ? 2 : 6;
    for (const L of this.layers) {
      const bound = Math.sqrt(factor / (L.fanIn + L.fanOut));
      const W = ws.f32(L.W.ptr, L.W.length);
      for (let i = 0; i < L.fanIn; i++) for (let j = 0; j < L.fanOut; j++) W[i * L.ld + j] = (2 * r() - 1) * bound;
      const b = ws.f32(L.b.ptr, L.fanOut);
      for (let j = 0; j < L.fanOut; j++) b[j] = (2 * r() - 1) * bound;
    }
    this.ws = ws;
  }

  /** Copy X into kernel memory as CSR (zeros dropped). */
  private toCsr(M: Matrix): Csr {
    const ws = this.ws!;
    let nnz = 0;
    for (let i = 0; i < M.data.length; i++) if (M.data[i] !== 0) nnz++;
    const rowptr = ws.alloc(M.rows + 1);
    const cols = ws.alloc(Math.max(1, nnz));
    const vals = ws.alloc(Math.max(1, nnz));
    const rp = ws.i32(rowptr.ptr, M.rows + 1);
    const ci = ws.i32(cols.ptr, cols.length);
    const cv = ws.f32(vals.ptr, vals.length);
    let q = 0;
    for (let i = 0; i < M.rows; i++) {
      rp[i] = q;
      for (let j = 0; j < M.cols; j++) {
        const v = M.data[i * M.cols + j];
        if (v !== 0) {
          ci[q] = j;
          cv[q++] = v;
        }
      }
    }
    rp[M.rows] = q;
    return { rowptr, cols, vals };
  }

  /** Forward pass of the m rows in rowsBuf; the last activation buffer holds the output logits. */
  private forward(csr: Csr, m: number): void {
    const k = this.ws!.k;
    const kind = KIND[this.params.activation];
    const last = this.layers.length - 1;
    this.layers.forEach((L, l) => {
      const A = this.acts[l];
      if (l === 0) {
        k.csrNN(this.rowsBuf.ptr, m, csr.rowptr.ptr, csr.cols.ptr, csr.vals.ptr, L.W.ptr, L.ld, L.b.ptr, A.ptr, L.ld, L.ld);
      } else {
        const prev = this.layers[l - 1];
        // Skipping zero inputs pays for wide layers after ReLU; for narrow ones the branch costs more.
        const skip = kind === KIND.relu && L.ld >= 32 ? 1 : 0;
        k.gemmNN(this.acts[l - 1].ptr, prev.ld, L.W.ptr, L.ld, L.b.ptr, A.ptr, L.ld, m, L.fanIn, L.ld, skip);
      }
      if (l < last) k.activate(A.ptr, m * L.ld, kind);
    });
  }

  /** One batch: forward, loss (returned as the batch's summed loss), gradients into G. */
  private backprop(csr: Csr, m: number): number {
    const k = this.ws!.k;
    const p = this.params;
    const kind = KIND[p.activation];
    this.forward(csr, m);
    const last = this.layers.length - 1;
    const out = this.layers[last];
    const D = this.acts[last]; // becomes the output delta P - Y in place
    let loss = this.nOut === 1
      ? k.sigmoidOut(D.ptr, out.ld, m, this.labelsBuf.ptr)
      : k.softmax(D.ptr, out.ld, m, this.nOut, this.labelsBuf.ptr);
    let sq = 0;
    for (const L of this.layers) sq += k.sumSq(L.W.ptr, L.W.length);
    loss += 0.5 * p.alpha * sq; // sklearn adds alpha/2 * ||W||^2 / m to the mean; ×m here
    let delta = D;
    for (let l = last; l >= 0; l--) {
      const L = this.layers[l];
      if (l === 0) {
        k.csrTN(this.rowsBuf.ptr, m, csr.rowptr.ptr, csr.cols.ptr, csr.vals.ptr, delta.ptr, L.ld, L.gW.ptr, L.ld, L.fanIn, L.ld);
      } else {
        weightGradient(this.ws!, this.acts[l - 1].ptr, delta.ptr, L.gW.ptr, this.scratch.ptr, m, L.fanIn, L.fanOut, kind === KIND.relu);
      }
      k.finishGrad(L.gW.ptr, L.W.ptr, L.W.length, p.alpha, 1 / m);
      k.colMean(delta.ptr, L.ld, m, L.ld, L.gb.ptr);
      if (l > 0) {
        const next = this.deltas[l - 1];
        deltaBelow(this.ws!, L.W.ptr, delta.ptr, this.acts[l - 1].ptr, next.ptr, this.scratch.ptr, m, L.fanIn, L.fanOut, kind);
        delta = next;
      }
    }
    return loss;
  }

  /** Probabilities of the rows of `rowsOf` (given as indices into the CSR), chunked by batch. */
  private probsOfRows(csr: Csr, rowsOf: ArrayLike<number>): Float32Array {
    const ws = this.ws!;
    const k = ws.k;
    const last = this.layers.length - 1;
    const out = this.layers[last];
    const nc = this.classes.length;
    const probs = new Float32Array(rowsOf.length * nc);
    const rows = ws.i32(this.rowsBuf.ptr, this.batchCap);
    for (let s = 0; s < rowsOf.length; s += this.batchCap) {
      const m = Math.min(this.batchCap, rowsOf.length - s);
      for (let i = 0; i < m; i++) rows[i] = rowsOf[s + i];
      this.forward(csr, m);
      const Z = this.acts[last];
      if (this.nOut === 1) k.sigmoidOut(Z.ptr, out.ld, m, 0);
      else k.softmax(Z.ptr, out.ld, m, this.nOut, 0);
      const z = ws.f32(Z.ptr, m * out.ld);
      for (let i = 0; i < m; i++) {
        if (this.nOut === 1) {
          probs[(s + i) * 2] = 1 - z[i * out.ld];
          probs[(s + i) * 2 + 1] = z[i * out.ld];
        } else {
          for (let c = 0; c < nc; c++) probs[(s + i) * nc + c] = z[i * out.ld + c];
        }
      }
    }
    return probs;
  }

  private scoreRows(csr: Csr, rowsOf: Int32Array, yIdx: Int32Array): number {
    const nc = this.classes.length;
    const probs = this.probsOfRows(csr, rowsOf);
    let ok = 0;
    for (let i = 0; i < rowsOf.length; i++) {
      let bi = 0;
      for (let c = 1; c < nc; c++) if (probs[i * nc + c] > probs[i * nc + bi]) bi = c;
      if (bi === yIdx[rowsOf[i]]) ok++;
    }
    return ok / rowsOf.length;
  }

  private forwardAll(X: MatrixLike, who: string): { probs: Float32Array; nc: number } {
    if (!this.ws) throw new Error(`${who}: this MLPClassifier is not fitted yet; call fit(X, y) first`);
    const M = toMatrix(X, who);
    if (M.cols !== this.nFeaturesIn) {
      throw new Error(`${who}: X has ${M.cols} features, but MLPClassifier was fitted with ${this.nFeaturesIn}`);
    }
    const mark = this.ws.mark();
    try {
      const csr = this.toCsr(M);
      return { probs: this.probsOfRows(csr, Int32Array.from({ length: M.rows }, (_, i) => i)), nc: this.classes.length };
    } finally {
      this.ws.release(mark);
    }
  }
}
