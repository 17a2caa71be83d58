/**
 * The array type of lab.nd: an `ndarray` view over a Float64Array (default) or Float32Array,
 * plus creation and shape helpers. Every function accepts strided views (`a.T`, `a.pick(i)`,
 * `a.lo/hi`); results are fresh row-major arrays.
 */
import ndarray from 'ndarray';

export type FloatData = Float64Array | Float32Array;
export type DType = 'float64' | 'float32';
/** A float n-dimensional array (ndarray over a typed array). */
export type NdArray = ndarray.NdArray<FloatData>;
/** Integer results (argmax). */
export type IntArray = ndarray.NdArray<Int32Array>;
/** Nested number arrays, as numpy's `np.array([[1, 2], [3, 4]])` takes them. */
export type Nested = number | Nested[];

export function alloc(size: number, dtype: DType = 'float64'): FloatData {
  return dtype === 'float32' ? new Float32Array(size) : new Float64Array(size);
}

export function dtypeOf(a: NdArray): DType {
  return a.data instanceof Float32Array ? 'float32' : 'float64';
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new Error(`nd: shape [${shape}] has ${d}, expected non-negative integers`);
    n *= d;
  }
  return n;
}

/** Wrap a typed array (no copy) as an array of `shape` (default: 1-D). */
export function fromData(data: FloatData, shape: readonly number[] = [data.length]): NdArray {
  if (sizeOf(shape) !== data.length) throw new Error(`nd: ${data.length} values do not fill shape [${shape}]`);
  return ndarray(data, shape.slice());
}

function nestedShape(x: Nested, where: string): number[] {
  if (typeof x === 'number') return [];
  if (!Array.isArray(x) || x.length === 0) throw new Error(`nd.array: ${where} is empty, expected numbers or equal-length lists`);
  return [x.length, ...nestedShape(x[0], `${where}[0]`)];
}

/** numpy's np.array: nested lists (or a flat list plus shape) → array. */
export function array(values: Nested | ArrayLike<number>, shape?: readonly number[], dtype: DType = 'float64'): NdArray {
  if (shape) {
    const flat = values as ArrayLike<number>;
    const data = alloc(flat.length, dtype);
    for (let i = 0; i < flat.length; i++) data[i] = flat[i];
    return fromData(data, shape);
  }
  const s = nestedShape(values as Nested, 'input');
  const data = alloc(sizeOf(s), dtype);
  let k = 0;
  const walk = (x: Nested, depth: number, where: string): void => {
    if (depth === s.length) {
      if (typeof x !== 'number') throw new Error(`nd.array: ${where} is a list, expected a number (ragged input)`);
      data[k++] = x;
      return;
    }
    if (!Array.isArray(x) || x.length !== s[depth]) {
      throw new Error(`nd.array: ${where} has ${Array.isArray(x) ? x.length : 'a number'}, expected a list of ${s[depth]} (ragged input)`);
    }
    x.forEach((v, i) => walk(v, depth + 1, `${where}[${i}]`));
  };
  walk(values as Nested, 0, 'input');
  return fromData(data, s);
}

export function full(shape: readonly number[], value: number, dtype: DType = 'float64'): NdArray {
  const data = alloc(sizeOf(shape), dtype);
  if (value !== 0) data.fill(value);
  return fromData(data, shape);
}
export const zeros = (shape: readonly number[], dtype: DType = 'float64'): NdArray => full(shape, 0, dtype);
export const ones = (shape: readonly number[], dtype: DType = 'float64'): NdArray => full(shape, 1, dtype);
export const zerosLike = (a: NdArray): NdArray => zeros(a.shape, dtypeOf(a));

/** n evenly spaced values from start to stop inclusive (np.linspace). */
export function linspace(start: number, stop: number, n: number): NdArray {
  const out = new Float64Array(n);
  const step = n > 1 ? (stop - start) / (n - 1) : 0;
  for (let i = 0; i < n; i++) out[i] = start + i * step;
  return fromData(out);
}

/** True when `a` is row-major, starts at data[0] and covers all of data: loops may use a.data directly. */
export function isPacked(a: NdArray): boolean {
  if (a.offset !== 0 || a.data.length !== a.size) return false;
  let s = 1;
  for (let d = a.shape.length - 1; d >= 0; d--) {
    if (a.shape[d] !== 1 && a.stride[d] !== s) return false;
    s *= a.shape[d];
  }
  return true;
}

/**
 * Calls `visit(offset, i)` for every element of a (possibly strided) view in row-major order,
 * with `offset` its position in a.data and `i` its row-major index. An odometer over the outer
 * axes and a plain loop over the last one: no allocation per element.
 */
export function forEachOffset(a: NdArray, visit: (offset: number, i: number) => void): void {
  const nd = a.shape.length;
  if (a.size === 0) return;
  if (nd === 0) {
    visit(a.offset, 0);
    return;
  }
  const last = nd - 1;
  const n = a.shape[last];
  const st = a.stride[last];
  const idx = new Array<number>(nd).fill(0);
  let base = a.offset;
  let i = 0;
  for (;;) {
    for (let j = 0, o = base; j < n; j++, o += st) visit(o, i++);
    let d = last - 1;
    while (d >= 0) {
      idx[d]++;
      base += a.stride[d];
      if (idx[d] < a.shape[d]) break;
      base -= a.stride[d] * a.shape[d];
      idx[d] = 0;
      d--;
    }
    if (d < 0) return;
  }
}

/** A packed row-major copy (np.copy / np.ascontiguousarray). */
export function copy(a: NdArray, dtype: DType = dtypeOf(a)): NdArray {
  const out = alloc(a.size, dtype);
  if (isPacked(a)) out.set(a.data);
  else {
    const src = a.data;
    forEachOffset(a, (o, i) => {
      out[i] = src[o];
    });
  }
  return fromData(out, a.shape);
}

/** `a` itself when packed, else a packed copy: for loops that want the flat typed array. */
export function packed(a: NdArray): NdArray {
  return isPacked(a) ? a : copy(a);
}

/** Same values, new shape (a view when packed; -1 infers one axis). */
export function reshape(a: NdArray, shape: readonly number[]): NdArray {
  const s = shape.slice();
  const unknown = s.indexOf(-1);
  if (unknown >= 0) {
    const rest = s.reduce((p, d, i) => (i === unknown ? p : p * d), 1);
    s[unknown] = rest === 0 ? 0 : a.size / rest;
  }
  if (sizeOf(s) !== a.size) throw new Error(`nd.reshape: cannot reshape [${a.shape}] (${a.size} values) into [${shape}]`);
  return fromData(packed(a).data, s);
}

/** Nested JS arrays (for printing and JSON). */
export function toNested(a: NdArray): Nested {
  const p = packed(a);
  if (p.shape.length === 0) return p.data[0];
  const build = (depth: number, off: number): Nested => {
    const n = p.shape[depth];
    if (depth === p.shape.length - 1) return Array.from(p.data.subarray(off, off + n));
    const inner = p.shape.slice(depth + 1).reduce((x, y) => x * y, 1);
    return Array.from({ length: n }, (_, i) => build(depth + 1, off + i * inner));
  };
  return build(0, 0);
}

/** Values as a plain array in row-major order. */
export function toArray(a: NdArray): number[] {
  return Array.from(packed(a).data);
}
