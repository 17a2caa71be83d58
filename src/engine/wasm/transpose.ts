/**
 * Transpose for the wasm backend, in JS on the wasm heap.
 *
 * tfjs 4.22's wasm Transpose walks the output with a full index computation per element
 * (~4.6 ns/element here); the training kernels transpose activations and weights every step, so
 * that cost added up to a quarter of a CNN step. After dropping size-1 axes and merging axes that
 * stay neighbours, every permutation the training kernels use has rank ≤ 3, which this module
 * does with contiguous row copies or a cache-blocked 2-D transpose (~1.5 ns/element). Higher
 * ranks and 1-byte (bool) data go to the kernel it replaces.
 */
import type { Info } from './compose';

const BLOCK = 32;

/** Shape and permutation with size-1 axes dropped and order-preserving neighbours merged. */
export function simplify(shape: readonly number[], perm: readonly number[]): { shape: number[]; perm: number[] } {
  const keep = shape.map((d, i) => (d === 1 ? -1 : i)).filter((i) => i >= 0);
  const renumber = new Map(keep.map((axis, i) => [axis, i]));
  const s1 = keep.map((i) => shape[i]);
  const p1 = perm.filter((a) => renumber.has(a)).map((a) => renumber.get(a)!);
  // Runs of output axes that are consecutive input axes become one axis.
  const groups: number[][] = [];
  for (const a of p1) {
    const last = groups[groups.length - 1];
    if (last && last[last.length - 1] + 1 === a) last.push(a);
    else groups.push([a]);
  }
  const byInput = [...groups].sort((g, h) => g[0] - h[0]);
  const newShape = byInput.map((g) => g.reduce((n, a) => n * s1[a], 1));
  const newPerm = groups.map((g) => byInput.indexOf(g));
  return { shape: newShape, perm: newPerm };
}

/**
 * out = permute(src) for a rank-≤3 problem: `n` is the output shape (padded to 3 axes) and `is`
 * the input stride of each output axis.
 */
function permute3(src: Float32Array | Int32Array, dst: Float32Array | Int32Array, n: number[], is: number[]): void {
  const [n0, n1, n2] = n;
  const os0 = n1 * n2;
  if (is[2] === 1) {
    // Innermost axis contiguous on both sides: copy rows (short rows by hand: a subarray per
    // row of 32 floats costs more than the copy).
    let d = 0;
    for (let i0 = 0; i0 < n0; i0++) {
      for (let i1 = 0; i1 < n1; i1++) {
        const s = i0 * is[0] + i1 * is[1];
        if (n2 >= 256) {
          dst.set(src.subarray(s, s + n2), d);
          d += n2;
        } else {
          for (let k = s, e = s + n2; k < e; k++) dst[d++] = src[k];
        }
      }
    }
    return;
  }
  // The input's contiguous axis is output axis p (0 or 1); q is the remaining one.
  const p = is[1] === 1 ? 1 : 0;
  const q = 1 - p;
  const np = n[p];
  const nq = n[q];
  const osp = p === 1 ? n2 : os0;
  const osq = q === 1 ? n2 : os0;
  const isq = is[q];
  const is2 = is[2];
  for (let iq = 0; iq < nq; iq++) {
    const sq = iq * isq;
    const dq = iq * osq;
    for (let a0 = 0; a0 < np; a0 += BLOCK) {
      const a1 = Math.min(np, a0 + BLOCK);
      for (let b0 = 0; b0 < n2; b0 += BLOCK) {
        const b1 = Math.min(n2, b0 + BLOCK);
        for (let b = b0; b < b1; b++) {
          let s = sq + a0 + b * is2;
          let d = dq + a0 * osp + b;
          for (let a = a0; a < a1; a++) {
            dst[d] = src[s++];
            d += osp;
          }
        }
      }
    }
  }
}

/** The wasm backend's heap access (public methods of BackendWasm). */
export interface HeapBackend {
  makeOutput(shape: number[], dtype: 'float32' | 'int32' | 'bool' | 'complex64' | 'string'): Info;
  typedArrayFromHeap(t: Info): Float32Array | Int32Array | Uint8Array;
}

/** Transpose `x` by `perm`, or null when the case is left to tfjs (rank > 3 after simplifying, 1-byte data). */
export function transposeOnHeap(backend: HeapBackend, x: Info, perm: number[]): Info | null {
  if (x.dtype !== 'float32' && x.dtype !== 'int32') return null;
  const outShape = perm.map((a) => x.shape[a]);
  const s = simplify(x.shape, perm);
  if (s.shape.length > 3) return null;
  const out = backend.makeOutput(outShape, x.dtype);
  const src = backend.typedArrayFromHeap(x) as Float32Array | Int32Array;
  const dst = backend.typedArrayFromHeap(out) as Float32Array | Int32Array;
  if (s.shape.length <= 1) {
    dst.set(src);
    return out;
  }
  // Pad to rank 3 with a leading axis of 1, then give each output axis its input stride.
  const shape = [...Array(3 - s.shape.length).fill(1), ...s.shape];
  const perm3 = [...Array(3 - s.perm.length).keys(), ...s.perm.map((a) => a + 3 - s.perm.length)];
  const strides = [shape[1] * shape[2], shape[2], 1];
  permute3(src, dst, perm3.map((a) => shape[a]), perm3.map((a) => strides[a]));
  return out;
}
