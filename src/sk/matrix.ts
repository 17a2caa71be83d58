/** Inputs of the estimators: 2-D data as nested arrays or flat typed arrays with a shape. */
import type { ImageSet } from '../data/image-set';

/** A flat row-major matrix. */
export interface FlatMatrix {
  data: ArrayLike<number>;
  shape: readonly [number, number];
}

/** What `fit`/`predict` accept as X: rows of numbers, or a flat matrix with its shape. */
export type MatrixLike = ArrayLike<ArrayLike<number>> | FlatMatrix;

/** A checked matrix of float32 values. */
export interface Matrix {
  data: Float32Array;
  rows: number;
  cols: number;
}

function isFlat(x: MatrixLike): x is FlatMatrix {
  return typeof x === 'object' && x !== null && 'shape' in x && 'data' in x;
}

/** Check X (finite numbers, rectangular, non-empty) and copy it into float32. */
export function toMatrix(X: MatrixLike, who: string, field = 'X'): Matrix {
  if (X === null || typeof X !== 'object') throw new Error(`${who}: ${field} must be a 2-D array or { data, shape }, got ${String(X)}`);
  let data: Float32Array;
  let rows: number;
  let cols: number;
  if (isFlat(X)) {
    [rows, cols] = X.shape;
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || X.data.length !== rows * cols) {
      throw new Error(`${who}: ${field}.shape [${X.shape}] does not match its ${X.data.length} values`);
    }
    data = Float32Array.from(X.data);
  } else {
    rows = X.length;
    cols = rows > 0 ? X[0].length : 0;
    data = new Float32Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const r = X[i];
      if (!r || r.length !== cols) throw new Error(`${who}: ${field} row ${i} has ${r ? r.length : 'no'} values, expected ${cols} like row 0`);
      for (let j = 0; j < cols; j++) data[i * cols + j] = r[j];
    }
  }
  if (rows < 1 || cols < 1) throw new Error(`${who}: ${field} is empty (${rows} x ${cols}); expected at least one sample and one feature`);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new Error(`${who}: ${field}[${Math.floor(i / cols)}][${i % cols}] is ${data[i]}, expected a finite number`);
    }
  }
  return { data, rows, cols };
}

/** Check labels: one finite number per sample. */
export function toLabels(y: ArrayLike<number>, n: number, who: string): Float64Array {
  if (!y || typeof y.length !== 'number') throw new Error(`${who}: y must be an array of labels, got ${String(y)}`);
  if (y.length !== n) throw new Error(`${who}: y has ${y.length} labels but X has ${n} samples`);
  const out = Float64Array.from(y);
  out.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new Error(`${who}: y[${i}] is ${y[i]}, expected a number`);
  });
  return out;
}

/**
 * An ImageSet as sklearn-style (X, y): one row of pixels per image. By default the raw values
 * (0–16 for the 8x8 digits, as `load_digits().data`); `scale: true` divides by maxValue.
 */
export function fromImageSet(set: ImageSet, options: { scale?: boolean } = {}): { X: FlatMatrix; y: Int32Array } {
  return {
    X: { data: set.floats({ scale: options.scale === true }), shape: [set.length, set.pixelsPerImage] },
    y: Int32Array.from(set.labels),
  };
}
