/**
 * What can be saved as a numpy array (tf tensors, `ndarray` views, typed arrays with a shape)
 * and how loaded arrays become tensors or ndarrays again.
 */
import * as tf from '@tensorflow/tfjs';
import ndarray from 'ndarray';
import { NpyArray, NpyData, NpyDtype, dtypeOf, sizeOf } from './npy';

/** Values plus shape, dtype taken from the typed array's class unless given. */
export interface ShapedArray {
  data: NpyData;
  shape: number[];
  dtype?: NpyDtype;
}

/** Anything `saveNpz`/`saveNpy` accept: a tf tensor, an `ndarray` (any strides), or a shaped typed array. */
export type ArrayInput = tf.Tensor | ndarray.NdArray<ndarray.Data<number>> | ShapedArray;

function isNdarray(x: object): x is ndarray.NdArray<ndarray.Data<number>> {
  return 'stride' in x && 'offset' in x && typeof (x as { get?: unknown }).get === 'function';
}

function isTyped(x: unknown): x is NpyData {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

/** A numpy array (C order) from any accepted input; `name` is used in error messages. */
export function toNpyArray(x: ArrayInput, name: string): NpyArray {
  if (x instanceof tf.Tensor) {
    const shape = [...x.shape];
    switch (x.dtype) {
      case 'float32':
        return { dtype: 'float32', shape, data: x.dataSync() as Float32Array };
      case 'int32':
        return { dtype: 'int32', shape, data: x.dataSync() as Int32Array };
      case 'bool':
        return { dtype: 'bool', shape, data: Uint8Array.from(x.dataSync()) };
      default:
        throw new Error(`${name}: tensor dtype ${x.dtype} cannot be saved as a numpy array (expected float32, int32 or bool)`);
    }
  }
  if (x === null || typeof x !== 'object') throw new Error(`${name}: expected a tensor, an ndarray or {data, shape}, got ${x === null ? 'null' : typeof x}`);
  if (isNdarray(x)) {
    const shape = [...x.shape];
    const n = sizeOf(shape);
    const src = x.data;
    const contiguous = x.offset === 0 && src.length === n && x.stride.every((s, k) => s === sizeOf(shape.slice(k + 1)) || shape[k] <= 1);
    if (contiguous && isTyped(src)) return { dtype: dtypeOf(src), shape, data: src };
    // Views (transposes, slices) and plain-array ndarrays: gather values in C order.
    const out: NpyData = isTyped(src) ? new (src.constructor as new (n: number) => NpyData)(n) : new Float64Array(n);
    const idx = new Array<number>(shape.length).fill(0);
    for (let i = 0; i < n; i++) {
      (out as unknown as number[])[i] = x.get(...idx) as number;
      for (let k = shape.length - 1; k >= 0; k--) {
        if (++idx[k] < shape[k]) break;
        idx[k] = 0;
      }
    }
    return { dtype: dtypeOf(out), shape, data: out };
  }
  if ('data' in x && 'shape' in x) {
    if (!isTyped(x.data)) throw new Error(`${name}: data must be a typed array (Float32Array, Int32Array, Uint8Array, …)`);
    if (!Array.isArray(x.shape)) throw new Error(`${name}: shape must be an array of integers`);
    const natural = dtypeOf(x.data);
    const dtype = x.dtype ?? natural;
    if (dtype !== natural && !(dtype === 'bool' && natural === 'uint8')) {
      throw new Error(`${name}: dtype ${dtype} does not match its ${x.data.constructor.name} data (expected ${natural})`);
    }
    return { dtype, shape: [...x.shape], data: x.data };
  }
  throw new Error(`${name}: expected a tensor, an ndarray or {data, shape}`);
}

/**
 * A loaded array as a tf tensor. tfjs has only float32/int32/bool: float64 becomes float32,
 * the integer types int32 (64-bit and unsigned 32-bit values must fit, else an error).
 */
export function toTensor(a: NpyArray, name = 'array'): tf.Tensor {
  switch (a.dtype) {
    case 'float32':
      return tf.tensor(a.data as Float32Array, a.shape, 'float32');
    case 'float64':
      return tf.tensor(Float32Array.from(a.data as Float64Array), a.shape, 'float32');
    case 'bool':
      return tf.tensor(a.data as Uint8Array, a.shape, 'bool');
    case 'int64':
    case 'uint64':
    case 'uint32': {
      const out = new Int32Array(a.data.length);
      for (let i = 0; i < out.length; i++) {
        const v = Number(a.data[i]);
        if (v > 2147483647 || v < -2147483648) throw new Error(`${name}: value ${a.data[i]} at index ${i} does not fit int32`);
        out[i] = v;
      }
      return tf.tensor(out, a.shape, 'int32');
    }
    default:
      return tf.tensor(Int32Array.from(a.data as ArrayLike<number>), a.shape, 'int32');
  }
}

/** A loaded array as an `ndarray` over its own data (no copy; 64-bit integers become float64). */
export function toNdarray(a: NpyArray): ndarray.NdArray<ndarray.Data<number>> {
  const data = a.data instanceof BigInt64Array || a.data instanceof BigUint64Array ? Float64Array.from(a.data, Number) : a.data;
  return ndarray(data as ndarray.TypedArray, a.shape);
}
