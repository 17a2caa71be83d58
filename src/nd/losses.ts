/**
 * The documents' losses and their derivatives with respect to the network output y.
 * `t` is the target: one-hot rows shaped like y, or (for cross-entropy) class labels.
 */
import { alloc, dtypeOf, fromData, packed, type NdArray } from './array';

/** Tiny constant inside the log so log(0) never happens (document 004 uses 1e-7). */
export const LOG_EPS = 1e-7;

function sameSize(y: NdArray, t: NdArray, op: string): void {
  if (y.size !== t.size) throw new Error(`nd.${op}: y has shape [${y.shape}] but t has [${t.shape}], expected the same shape`);
}

/** ½ Σ (y − t)² over every element (documents 001 and 004: no division by the batch size). */
export function meanSquaredError(y: NdArray, t: NdArray): number {
  sameSize(y, t, 'meanSquaredError');
  const a = packed(y).data;
  const b = packed(t).data;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    s += d * d;
  }
  return s / 2;
}

/** d/dy of ½Σ(y − t)²: y − t. */
export function meanSquaredErrorGrad(y: NdArray, t: NdArray): NdArray {
  sameSize(y, t, 'meanSquaredErrorGrad');
  const a = packed(y).data;
  const b = packed(t).data;
  const r = alloc(a.length, dtypeOf(y));
  for (let i = 0; i < r.length; i++) r[i] = a[i] - b[i];
  return fromData(r, y.shape);
}

/** Rows of y and the batch size (a 1-D y is one sample, as the document reshapes it). */
function rows(y: NdArray): { batch: number; n: number } {
  const n = y.dimension ? y.shape[y.dimension - 1] : 1;
  return { batch: y.size / n, n };
}

/**
 * −Σ t log(y + 1e-7) / batch. `t` one-hot (shape of y) or labels (one per row: then only the
 * log of the labelled class counts, which is the same sum).
 */
export function crossEntropyError(y: NdArray, t: NdArray | ArrayLike<number>): number {
  const { batch, n } = rows(y);
  const a = packed(y).data;
  let s = 0;
  if (isLabels(t, y)) {
    for (let i = 0; i < batch; i++) s += Math.log(a[i * n + labelAt(t, i, n)] + LOG_EPS);
  } else {
    sameSize(y, t, 'crossEntropyError');
    const b = packed(t).data;
    for (let i = 0; i < a.length; i++) if (b[i] !== 0) s += b[i] * Math.log(a[i] + LOG_EPS);
  }
  return -s / batch;
}

/** d/dy of crossEntropyError: −t / (y + 1e-7) / batch. */
export function crossEntropyErrorGrad(y: NdArray, t: NdArray | ArrayLike<number>): NdArray {
  const { batch, n } = rows(y);
  const a = packed(y).data;
  const r = alloc(a.length, dtypeOf(y));
  if (isLabels(t, y)) {
    for (let i = 0; i < batch; i++) {
      const k = i * n + labelAt(t, i, n);
      r[k] = -1 / (a[k] + LOG_EPS) / batch;
    }
  } else {
    sameSize(y, t, 'crossEntropyErrorGrad');
    const b = packed(t).data;
    for (let i = 0; i < a.length; i++) r[i] = -b[i] / (a[i] + LOG_EPS) / batch;
  }
  return fromData(r, y.shape);
}

function isLabels(t: NdArray | ArrayLike<number>, y: NdArray): t is ArrayLike<number> {
  if ('shape' in t && 'stride' in t) return false;
  const { batch } = rows(y);
  if (t.length !== batch) throw new Error(`nd.crossEntropyError: ${t.length} labels for ${batch} rows of y, expected one label per row`);
  return true;
}

function labelAt(t: ArrayLike<number>, i: number, n: number): number {
  const l = t[i];
  if (!Number.isInteger(l) || l < 0 || l >= n) throw new Error(`nd.crossEntropyError: label ${i} is ${l}, expected an integer 0–${n - 1}`);
  return l;
}

/** One-hot rows (np.eye(numClasses)[labels]). */
export function oneHot(labels: ArrayLike<number>, numClasses: number): NdArray {
  const r = new Float64Array(labels.length * numClasses);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (!Number.isInteger(l) || l < 0 || l >= numClasses) throw new Error(`nd.oneHot: label ${i} is ${l}, expected an integer 0–${numClasses - 1}`);
    r[i * numClasses + l] = 1;
  }
  return fromData(r, [labels.length, numClasses]);
}
