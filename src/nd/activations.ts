/**
 * Activation functions and their derivatives, elementwise on NdArrays (document 004's sigmoid,
 * ReLU, identity, softmax; document 001's Sigmoid(x, diff=True)). Each returns a new packed array.
 * The scalar forms (`sigmoid1`, ...) are what the networks' fused loops call.
 */
import { alloc, dtypeOf, fromData, packed, type NdArray } from './array';

export const sigmoid1 = (x: number): number => 1 / (1 + Math.exp(-x));
export const relu1 = (x: number): number => (x > 0 ? x : 0);

function each(a: NdArray, f: (x: number) => number): NdArray {
  const p = packed(a);
  const x = p.data;
  const r = alloc(p.size, dtypeOf(a));
  for (let i = 0; i < r.length; i++) r[i] = f(x[i]);
  return fromData(r, a.shape);
}

/** 1 / (1 + e^-x). */
export const sigmoid = (a: NdArray): NdArray => each(a, sigmoid1);
/** σ'(x) = σ(x)(1 − σ(x)). */
export const sigmoidGrad = (a: NdArray): NdArray =>
  each(a, (x) => {
    const s = sigmoid1(x);
    return s * (1 - s);
  });
/** max(0, x) elementwise (the document's `np.max(0, x)` means this: np.maximum). */
export const relu = (a: NdArray): NdArray => each(a, relu1);
/** 1 where x > 0, else 0 (the subgradient 0 at x = 0, as frameworks use). */
export const reluGrad = (a: NdArray): NdArray => each(a, (x) => (x > 0 ? 1 : 0));
/** x, for regression outputs. */
export const identity = (a: NdArray): NdArray => each(a, (x) => x);
export const identityGrad = (a: NdArray): NdArray => each(a, () => 1);

/**
 * Softmax over the last axis (each row of a batch; the whole vector when 1-D). The row maximum is
 * subtracted first: e^(a−c)/Σe^(a−c) equals e^a/Σe^a for any c, and with c = max no exponent is
 * positive, so e^1000 never overflows to Infinity (the document's stability argument).
 */
export function softmax(a: NdArray): NdArray {
  const p = packed(a);
  const x = p.data;
  const r = alloc(p.size, dtypeOf(a));
  const n = a.dimension ? a.shape[a.dimension - 1] : 1;
  for (let o = 0; o < r.length; o += n) softmaxRow(x, r, o, n);
  return fromData(r, a.shape);
}

/** Softmax of x[o..o+n) into r[o..o+n). */
export function softmaxRow(x: ArrayLike<number>, r: Float64Array | Float32Array, o: number, n: number): void {
  let c = -Infinity;
  for (let j = 0; j < n; j++) if (x[o + j] > c) c = x[o + j];
  let s = 0;
  for (let j = 0; j < n; j++) {
    const e = Math.exp(x[o + j] - c);
    r[o + j] = e;
    s += e;
  }
  for (let j = 0; j < n; j++) r[o + j] /= s;
}

/** Softmax without the max subtraction: what goes wrong (NaN for inputs near 1000). */
export function softmaxNaive(a: NdArray): NdArray {
  const p = packed(a);
  const x = p.data;
  const r = alloc(p.size, dtypeOf(a));
  const n = a.dimension ? a.shape[a.dimension - 1] : 1;
  for (let o = 0; o < r.length; o += n) {
    let s = 0;
    for (let j = 0; j < n; j++) s += Math.exp(x[o + j]);
    for (let j = 0; j < n; j++) r[o + j] = Math.exp(x[o + j]) / s;
  }
  return fromData(r, a.shape);
}

/**
 * Backward pass of softmax: given y = softmax(z) and dL/dy, returns dL/dz = y ⊙ (dy − Σ dy ⊙ y)
 * row by row (the Jacobian diag(y) − y yᵀ applied to dy, without forming it).
 */
export function softmaxGrad(y: NdArray, dy: NdArray): NdArray {
  const yp = packed(y).data;
  const gp = packed(dy).data;
  if (yp.length !== gp.length) throw new Error(`nd.softmaxGrad: y [${y.shape}] and dy [${dy.shape}] differ`);
  const r = alloc(yp.length, dtypeOf(y));
  const n = y.dimension ? y.shape[y.dimension - 1] : 1;
  for (let o = 0; o < r.length; o += n) {
    let s = 0;
    for (let j = 0; j < n; j++) s += gp[o + j] * yp[o + j];
    for (let j = 0; j < n; j++) r[o + j] = yp[o + j] * (gp[o + j] - s);
  }
  return fromData(r, y.shape);
}

export type ActivationName = 'sigmoid' | 'relu' | 'identity' | 'softmax';
export const ACTIVATIONS: readonly ActivationName[] = ['sigmoid', 'relu', 'identity', 'softmax'];

/** An activation by name: f, and f' (elementwise ones; softmax's derivative is softmaxGrad). */
export function activation(name: ActivationName): { f: (a: NdArray) => NdArray; df?: (a: NdArray) => NdArray } {
  switch (name) {
    case 'sigmoid': return { f: sigmoid, df: sigmoidGrad };
    case 'relu': return { f: relu, df: reluGrad };
    case 'identity': return { f: identity, df: identityGrad };
    case 'softmax': return { f: softmax };
    default: throw new Error(`nd.activation: "${name as string}" is unknown, expected one of ${ACTIVATIONS.join(', ')}`);
  }
}
