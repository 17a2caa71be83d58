/**
 * Slice and GatherV2 for the wasm backend, in JS on the wasm heap.
 *
 * tfjs 4.22's wasm Slice first copies the *whole* input out of the heap (`readSync`) to take a
 * few rows: ~120 ms to slice one batch of 128 rows from the 60,000 MNIST images. Its GatherV2 (how
 * `model.fit` takes each shuffled batch) runs a C loop with a full index computation per element:
 * ~5 ms for the same batch. Both are row copies; here they are `subarray`/`set` on heap views
 * (tens of µs). Strings go to the kernels they replace, as do batchDims > 0 for gather.
 */
import * as tf from '@tensorflow/tfjs';
import type { Info } from './compose';
import type { HeapBackend } from './transpose';

type Heap = Float32Array | Int32Array | Uint8Array;

/** dst[d…d+n) = src[s…s+n), by hand for short runs (a subarray costs more than the copy). */
function copyRun(src: Heap, s: number, dst: Heap, d: number, n: number): void {
  if (n >= 64) dst.set(src.subarray(s, s + n), d);
  else for (let k = 0; k < n; k++) dst[d + k] = src[s + k];
}

/** x[begin : begin+size] along every axis, or null for strings (left to tfjs). */
export function sliceOnHeap(backend: HeapBackend, x: Info, begin: number[], size: number[]): Info | null {
  if (x.dtype === 'string') return null;
  const [b, s] = tf.slice_util.parseSliceParams(x as unknown as tf.Tensor, begin, size);
  const out = backend.makeOutput(s, x.dtype);
  const n = s.reduce((a, d) => a * d, 1);
  if (n === 0) return out;
  const src = backend.typedArrayFromHeap(x) as Heap;
  const dst = backend.typedArrayFromHeap(out) as Heap;
  const rank = x.shape.length;
  if (rank === 0) {
    dst[0] = src[0];
    return out;
  }
  const strides = tf.util.computeStrides(x.shape);
  if (tf.slice_util.isSliceContinous(x.shape, b, s)) {
    copyRun(src, tf.slice_util.computeFlatOffset(b, strides), dst, 0, n);
    return out;
  }
  // Copy the innermost axis as runs; walk the outer axes like an odometer.
  const inner = s[rank - 1];
  const rows = n / inner;
  const idx = new Array<number>(rank - 1).fill(0);
  for (let r = 0; r < rows; r++) {
    let off = b[rank - 1];
    for (let a = 0; a < rank - 1; a++) off += (b[a] + idx[a]) * strides[a];
    copyRun(src, off, dst, r * inner, inner);
    for (let a = rank - 2; a >= 0; a--) {
      if (++idx[a] < s[a]) break;
      idx[a] = 0;
    }
  }
  return out;
}

/** tf.gather(x, indices, axis) without batch dims, or null for the cases left to tfjs. */
export function gatherOnHeap(backend: HeapBackend, x: Info, indices: Info, axis: number, batchDims: number): Info | null {
  if (batchDims !== 0 || x.dtype === 'string' || indices.dtype !== 'int32') return null;
  const ax = tf.util.parseAxisParam(axis, x.shape)[0];
  const info = tf.backend_util.segment_util.collectGatherOpShapeInfo(x as unknown as tf.Tensor, indices as unknown as tf.Tensor, ax, 0);
  const idx = backend.typedArrayFromHeap(indices) as Int32Array;
  const dim = info.dimSize;
  for (let i = 0; i < idx.length; i++) {
    const v = idx[i];
    if (v < 0 || v > dim - 1) throw new Error(`GatherV2: the index value ${v} is not in [0, ${dim - 1}]`);
  }
  const count = idx.length;
  const out = backend.makeOutput(info.outputShape, x.dtype);
  const slice = info.sliceSize;
  const outer = info.outerSize;
  if (outer * count * slice === 0) return out;
  // Views taken after makeOutput: allocating may grow (and so replace) the heap.
  const ids = backend.typedArrayFromHeap(indices) as Int32Array;
  const src = backend.typedArrayFromHeap(x) as Heap;
  const dst = backend.typedArrayFromHeap(out) as Heap;
  let d = 0;
  for (let o = 0; o < outer; o++) {
    const base = o * dim * slice;
    for (let i = 0; i < count; i++, d += slice) copyRun(src, base + ids[i] * slice, dst, d, slice);
  }
  return out;
}
