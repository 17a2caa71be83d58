/**
 * numpy-style arithmetic on NdArrays: matmul/dot, broadcasting elementwise ops and reductions
 * along an axis. Written out on the typed arrays rather than taken from the scijs packages
 * (ndarray-ops, ndarray-gemm): those are unmaintained, generate code with `new Function`, and
 * cover neither broadcasting nor the numpy names the documents use.
 */
import ndarray from 'ndarray';
import { alloc, dtypeOf, forEachOffset, fromData, packed, type IntArray, type NdArray } from './array';

/** Float32 only when both sides are Float32 (numpy's type promotion). */
function resultDtype(a: NdArray, b?: NdArray) {
  return dtypeOf(a) === 'float32' && (!b || dtypeOf(b) === 'float32') ? 'float32' : 'float64';
}

/**
 * Matrix product (numpy's `@` / np.dot for 1-D and 2-D): [n,k]@[k,m] → [n,m], [k]@[k,m] → [m],
 * [n,k]@[k] → [n], [k]@[k] → scalar array of shape []. Strided views (`W.T`) work without copies.
 */
export function matmul(a: NdArray, b: NdArray, out?: NdArray): NdArray {
  if (a.dimension < 1 || a.dimension > 2 || b.dimension < 1 || b.dimension > 2) {
    throw new Error(`nd.matmul: shapes [${a.shape}] and [${b.shape}], expected 1-D or 2-D arrays`);
  }
  const n = a.dimension === 2 ? a.shape[0] : 1;
  const k = a.shape[a.dimension - 1];
  const kb = b.shape[0];
  const m = b.dimension === 2 ? b.shape[1] : 1;
  if (k !== kb) throw new Error(`nd.matmul: shapes [${a.shape}] and [${b.shape}] do not align (${k} ≠ ${kb})`);
  const shape = a.dimension === 2 ? (b.dimension === 2 ? [n, m] : [n]) : b.dimension === 2 ? [m] : [];
  const o = out ?? fromData(alloc(n * m, resultDtype(a, b)), shape);
  if (out && (o.size !== n * m || !sameShape(o.shape, shape) || !isWritablePacked(o))) {
    throw new Error(`nd.matmul: out has shape [${o.shape}], expected a packed array of [${shape}]`);
  }
  const r = o.data;
  r.fill(0, 0, n * m);
  const A = a.data;
  const B = b.data;
  const as0 = a.dimension === 2 ? a.stride[0] : 0;
  const as1 = a.stride[a.dimension - 1];
  const bs0 = b.stride[0];
  const bs1 = b.dimension === 2 ? b.stride[1] : 0;
  // i-k-j order: the inner loop walks a row of b and a row of the result.
  for (let i = 0; i < n; i++) {
    const ro = i * m;
    for (let p = 0; p < k; p++) {
      const av = A[a.offset + i * as0 + p * as1];
      // Skipping zeros of `a` saves most of the work on images (MNIST rows are ~80% zeros).
      // The one difference from numpy: 0 · Inf there is NaN, here the term is left out.
      if (av === 0) continue;
      let bo = b.offset + p * bs0;
      for (let j = 0; j < m; j++, bo += bs1) r[ro + j] += av * B[bo];
    }
  }
  return o;
}

/** np.dot for 1-D and 2-D arrays (the same as matmul). */
export const dot = matmul;

function isWritablePacked(a: NdArray): boolean {
  return a.offset === 0 && a.data.length >= a.size && a.stride.every((s, d) => s === a.shape.slice(d + 1).reduce((x, y) => x * y, 1) || a.shape[d] === 1);
}

function sameShape(x: readonly number[], y: readonly number[]): boolean {
  return x.length === y.length && x.every((d, i) => d === y[i]);
}

/** The broadcast shape of two shapes (numpy rules: align right, 1 stretches), or an error. */
export function broadcastShapes(x: readonly number[], y: readonly number[], op = 'broadcast'): number[] {
  const nd = Math.max(x.length, y.length);
  const out = new Array<number>(nd);
  for (let i = 0; i < nd; i++) {
    const a = x[x.length - nd + i] ?? 1;
    const b = y[y.length - nd + i] ?? 1;
    if (a !== b && a !== 1 && b !== 1) throw new Error(`nd.${op}: shapes [${x}] and [${y}] cannot be broadcast together`);
    out[i] = a === 1 ? b : a;
  }
  return out;
}

/** Strides of `a` seen through the broadcast `shape` (0 along stretched axes). */
function broadcastStrides(a: NdArray, shape: readonly number[]): number[] {
  const nd = shape.length;
  const s = new Array<number>(nd).fill(0);
  for (let i = 0; i < a.shape.length; i++) {
    const d = nd - a.shape.length + i;
    s[d] = a.shape[i] === 1 ? 0 : a.stride[i];
  }
  return s;
}

export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'max' | 'min' | 'pow';
export type Operand = NdArray | number;

function scalarArray(v: number): NdArray {
  return ndarray(new Float64Array([v]), []);
}

/**
 * Elementwise `a op b` with numpy broadcasting (e.g. a [n, m] batch plus a [m] bias). `out` may
 * be given (a packed array of the broadcast shape, possibly `a` itself for in-place updates).
 */
export function binary(op: BinaryOp, a: Operand, b: Operand, out?: NdArray): NdArray {
  const A = typeof a === 'number' ? scalarArray(a) : a;
  const B = typeof b === 'number' ? scalarArray(b) : b;
  const shape = broadcastShapes(A.shape, B.shape, op);
  const dtype = typeof a === 'number' ? resultDtype(B) : typeof b === 'number' ? resultDtype(A) : resultDtype(A, B);
  const size = shape.reduce((x, y) => x * y, 1);
  if (out && (!sameShape(out.shape, shape) || !isWritablePacked(out))) {
    throw new Error(`nd.${op}: out has shape [${out.shape}], expected a packed array of [${shape}]`);
  }
  const o = out ?? fromData(alloc(size, dtype), shape);
  const r = o.data;
  const ad = A.data;
  const bd = B.data;
  const nd = shape.length;
  if (size === 0) return o;
  const sa = broadcastStrides(A, shape);
  const sb = broadcastStrides(B, shape);
  const last = nd - 1;
  const n = nd ? shape[last] : 1;
  const sal = nd ? sa[last] : 0;
  const sbl = nd ? sb[last] : 0;
  const idx = new Array<number>(Math.max(nd, 1)).fill(0);
  let oa = A.offset;
  let ob = B.offset;
  let k = 0;
  for (;;) {
    // One switch per row, a tight loop per element.
    switch (op) {
      case 'add': for (let j = 0, x = oa, y = ob; j < n; j++, x += sal, y += sbl) r[k++] = ad[x] + bd[y]; break;
      case 'sub': for (let j = 0, x = oa, y = ob; j < n; j++, x += sal, y += sbl) r[k++] = ad[x] - bd[y]; break;
      case 'mul': for (let j = 0, x = oa, y = ob; j < n; j++, x += sal, y += sbl) r[k++] = ad[x] * bd[y]; break;
      case 'div': for (let j = 0, x = oa, y = ob; j < n; j++, x += sal, y += sbl) r[k++] = ad[x] / bd[y]; break;
      case 'max': for (let j = 0, x = oa, y = ob; j < n; j++, x += sal, y += sbl) r[k++] = ad[x] > bd[y] ? ad[x] : bd[y]; break;
      case 'min': for (let j = 0, x = oa, y = ob; j < n; j++, x += sal, y += sbl) r[k++] = ad[x] < bd[y] ? ad[x] : bd[y]; break;
      case 'pow': for (let j = 0, x = oa, y = ob; j < n; j++, x += sal, y += sbl) r[k++] = Math.pow(ad[x], bd[y]); break;
    }
    let d = last - 1;
    while (d >= 0) {
      idx[d]++;
      oa += sa[d];
      ob += sb[d];
      if (idx[d] < shape[d]) break;
      oa -= sa[d] * shape[d];
      ob -= sb[d] * shape[d];
      idx[d] = 0;
      d--;
    }
    if (d < 0) return o;
  }
}

export const add = (a: Operand, b: Operand, out?: NdArray): NdArray => binary('add', a, b, out);
export const sub = (a: Operand, b: Operand, out?: NdArray): NdArray => binary('sub', a, b, out);
export const mul = (a: Operand, b: Operand, out?: NdArray): NdArray => binary('mul', a, b, out);
export const div = (a: Operand, b: Operand, out?: NdArray): NdArray => binary('div', a, b, out);
export const maximum = (a: Operand, b: Operand, out?: NdArray): NdArray => binary('max', a, b, out);
export const minimum = (a: Operand, b: Operand, out?: NdArray): NdArray => binary('min', a, b, out);
export const pow = (a: Operand, b: Operand, out?: NdArray): NdArray => binary('pow', a, b, out);

/** `a += k * b` in place (SGD's `W -= lr * grad` is `axpy(W, -lr, grad)`); shapes must match. */
export function axpy(a: NdArray, k: number, b: NdArray): NdArray {
  if (!sameShape(a.shape, b.shape)) throw new Error(`nd.axpy: shapes [${a.shape}] and [${b.shape}] differ`);
  if (isWritablePacked(a) && a.data.length === a.size) {
    const bp = packed(b).data;
    const ad = a.data;
    for (let i = 0; i < ad.length; i++) ad[i] += k * bp[i];
    return a;
  }
  const bp = packed(b).data;
  const ad = a.data;
  forEachOffset(a, (o, i) => {
    ad[o] += k * bp[i];
  });
  return a;
}

/** A new array with `f` applied to each element (np.vectorize). For hot paths use the named ops. */
export function map(a: NdArray, f: (v: number) => number): NdArray {
  const out = alloc(a.size, dtypeOf(a));
  const src = a.data;
  forEachOffset(a, (o, i) => {
    out[i] = f(src[o]);
  });
  return fromData(out, a.shape);
}

export type UnaryOp = 'exp' | 'log' | 'neg' | 'abs' | 'sqrt' | 'square';

/** Elementwise exp, log, -x, |x|, sqrt, x² into a new packed array. */
export function unary(op: UnaryOp, a: NdArray): NdArray {
  const p = packed(a);
  const x = p.data;
  const r = alloc(p.size, dtypeOf(a));
  switch (op) {
    case 'exp': for (let i = 0; i < r.length; i++) r[i] = Math.exp(x[i]); break;
    case 'log': for (let i = 0; i < r.length; i++) r[i] = Math.log(x[i]); break;
    case 'neg': for (let i = 0; i < r.length; i++) r[i] = -x[i]; break;
    case 'abs': for (let i = 0; i < r.length; i++) r[i] = Math.abs(x[i]); break;
    case 'sqrt': for (let i = 0; i < r.length; i++) r[i] = Math.sqrt(x[i]); break;
    case 'square': for (let i = 0; i < r.length; i++) r[i] = x[i] * x[i]; break;
  }
  return fromData(r, a.shape);
}
export const exp = (a: NdArray): NdArray => unary('exp', a);
export const log = (a: NdArray): NdArray => unary('log', a);
export const neg = (a: NdArray): NdArray => unary('neg', a);
export const abs = (a: NdArray): NdArray => unary('abs', a);
export const sqrt = (a: NdArray): NdArray => unary('sqrt', a);
export const square = (a: NdArray): NdArray => unary('square', a);

function checkAxis(a: NdArray, axis: number, op: string): number {
  const ax = axis < 0 ? axis + a.dimension : axis;
  if (!Number.isInteger(ax) || ax < 0 || ax >= a.dimension) {
    throw new Error(`nd.${op}: axis ${axis} is outside an array of shape [${a.shape}]`);
  }
  return ax;
}

/**
 * Reduce along one axis: calls `reduce(data, offset, stride, n)` once per output element with
 * the run of `n` values it covers. The output shape drops that axis.
 */
function alongAxis<T extends Float64Array | Float32Array | Int32Array>(
  a: NdArray,
  axis: number,
  make: (n: number) => T,
  reduce: (data: ArrayLike<number>, offset: number, stride: number, n: number) => number,
): ndarray.NdArray<T> {
  const shape = a.shape.filter((_, i) => i !== axis);
  const view = ndarray(a.data, [...shape, 1], [...a.stride.filter((_, i) => i !== axis), 1], a.offset) as NdArray;
  const out = make(shape.reduce((x, y) => x * y, 1));
  const n = a.shape[axis];
  const st = a.stride[axis];
  const data = a.data;
  forEachOffset(view, (o, i) => {
    out[i] = reduce(data, o, st, n);
  });
  return ndarray(out, shape);
}

const sumRun = (d: ArrayLike<number>, o: number, s: number, n: number): number => {
  let acc = 0;
  for (let j = 0; j < n; j++, o += s) acc += d[o];
  return acc;
};
const maxRun = (d: ArrayLike<number>, o: number, s: number, n: number): number => {
  let m = -Infinity;
  for (let j = 0; j < n; j++, o += s) if (d[o] > m || Number.isNaN(d[o])) m = d[o];
  return m;
};
const argmaxRun = (d: ArrayLike<number>, o: number, s: number, n: number): number => {
  let m = -Infinity;
  let at = 0;
  for (let j = 0; j < n; j++, o += s) {
    if (d[o] > m) {
      m = d[o];
      at = j;
    }
  }
  return at;
};

function whole(a: NdArray, f: typeof sumRun): number {
  const p = packed(a);
  return f(p.data, 0, 1, p.size);
}

/** Sum of all elements, or along `axis` (np.sum). */
export function sum(a: NdArray): number;
export function sum(a: NdArray, axis: number): NdArray;
export function sum(a: NdArray, axis?: number): number | NdArray {
  if (axis === undefined) return whole(a, sumRun);
  return alongAxis(a, checkAxis(a, axis, 'sum'), (n) => alloc(n, dtypeOf(a)), sumRun);
}

/** Largest element, or the largest along `axis` (np.max). */
export function max(a: NdArray): number;
export function max(a: NdArray, axis: number): NdArray;
export function max(a: NdArray, axis?: number): number | NdArray {
  if (a.size === 0) throw new Error(`nd.max: empty array of shape [${a.shape}]`);
  if (axis === undefined) return whole(a, maxRun);
  return alongAxis(a, checkAxis(a, axis, 'max'), (n) => alloc(n, dtypeOf(a)), maxRun);
}

/** Index of the largest element (flat), or indices along `axis` (np.argmax; first one on ties). */
export function argmax(a: NdArray): number;
export function argmax(a: NdArray, axis: number): IntArray;
export function argmax(a: NdArray, axis?: number): number | IntArray {
  if (a.size === 0) throw new Error(`nd.argmax: empty array of shape [${a.shape}]`);
  if (axis === undefined) return whole(a, argmaxRun);
  return alongAxis(a, checkAxis(a, axis, 'argmax'), (n) => new Int32Array(n), argmaxRun);
}

/** Mean of all elements. */
export function mean(a: NdArray): number {
  return sum(a) / a.size;
}

/** Rows of `a` at `indices` (np.take(a, indices, axis=0), a[indices] in numpy). */
export function take(a: NdArray, indices: ArrayLike<number>): NdArray {
  if (a.dimension < 1) throw new Error('nd.take: expected an array with at least one axis');
  const rowShape = a.shape.slice(1);
  const inner = rowShape.reduce((x, y) => x * y, 1);
  const out = alloc(indices.length * inner, dtypeOf(a));
  const p = packed(a);
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i];
    if (!Number.isInteger(r) || r < 0 || r >= a.shape[0]) throw new Error(`nd.take: index ${i} is ${r}, expected 0–${a.shape[0] - 1}`);
    out.set(p.data.subarray(r * inner, (r + 1) * inner), i * inner);
  }
  return fromData(out, [indices.length, ...rowShape]);
}
