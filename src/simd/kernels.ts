/**
 * The MLP kernels (wasm SIMD, see kernels.as) and a bump allocator over their memory.
 * One module instance per Workspace, so estimators (and fused training steps) never share scratch memory.
 */
import { KERNELS_WASM_BASE64 } from './kernels-binary';

/** The exported kernel functions; pointers are byte offsets into `memory`. */
export interface Kernels {
  memory: WebAssembly.Memory;
  expInPlace(x: number, n: number): void;
  gemmNN(a: number, lda: number, b: number, ldb: number, bias: number, c: number, ldc: number, m: number, k: number, n4: number, skip: number): void;
  gemmTN(a: number, lda: number, d: number, ldd: number, g: number, ldg: number, m: number, k: number, n4: number, skip: number): void;
  csrNN(rows: number, m: number, rowptr: number, cols: number, vals: number, b: number, ldb: number, bias: number, c: number, ldc: number, n4: number): void;
  csrTN(rows: number, m: number, rowptr: number, cols: number, vals: number, d: number, ldd: number, g: number, ldg: number, k: number, n4: number): void;
  transpose(src: number, lds: number, dst: number, ldd: number, rows: number, cols: number): void;
  activate(z: number, n: number, kind: number): void;
  derivative(a: number, d: number, n: number, kind: number): void;
  softmax(z: number, ld: number, m: number, nc: number, labels: number): number;
  sigmoidOut(z: number, ld: number, m: number, labels: number): number;
  finishGrad(g: number, w: number, n: number, alpha: number, scale: number): void;
  colMean(d: number, ldd: number, m: number, n4: number, out: number): void;
  sumSq(w: number, n: number): number;
  adam(p: number, g: number, m: number, v: number, n: number, lr: number, b1: number, b2: number, eps: number): void;
  sgd(p: number, g: number, vel: number, n: number, lr: number, momentum: number, nesterov: number): void;
  denseToCsr(x: number, ld: number, m: number, k: number, rowptr: number, cols: number, vals: number): number;
  rmspropTf(p: number, g: number, ms: number, mom: number, n: number, lr: number, decay: number, oneMinusDecay: number, momentum: number, eps: number): void;
  cceSoftmaxGrad(P: number, ld: number, m: number, n: number, T: number, D: number, eps: number, correct: number): number;
  adamTf(p: number, g: number, m: number, v: number, n: number, lr: number, b1: number, oneMinusB1: number, b2: number, oneMinusB2: number, eps: number, c1: number, c2: number): void;
}

let compiled: WebAssembly.Module | null = null;

function instantiate(): Kernels {
  compiled ??= new WebAssembly.Module(Buffer.from(KERNELS_WASM_BASE64, 'base64'));
  return new WebAssembly.Instance(compiled, {}).exports as unknown as Kernels;
}

/** Rounds a width up to the SIMD lane count (4 floats). */
export function pad4(n: number): number {
  return (n + 3) & ~3;
}

/** A region of kernel memory: its byte offset and length in 4-byte elements. */
export interface Region {
  ptr: number;
  length: number;
}

/**
 * A kernel instance with a bump allocator. Allocations start above the module's static data
 * (its math tables end below 8 KiB) and are 16-byte aligned for v128 loads.
 */
export class Workspace {
  readonly k: Kernels;
  private top = 65536;

  constructor() {
    this.k = instantiate();
  }

  /** Reserve `n` zeroed 4-byte elements. */
  alloc(n: number): Region {
    const ptr = this.top;
    const bytes = (n * 4 + 15) & ~15;
    this.top += bytes;
    const need = Math.ceil(this.top / 65536) - this.k.memory.buffer.byteLength / 65536;
    if (need > 0) this.k.memory.grow(need);
    this.f32(ptr, n).fill(0);
    return { ptr, length: n };
  }

  /** Free everything allocated after `mark` (a value returned by `mark()`). */
  release(mark: number): void {
    this.top = mark;
  }

  mark(): number {
    return this.top;
  }

  /** A Float32Array view (invalidated when memory grows: take views after allocating). */
  f32(ptr: number, n: number): Float32Array {
    return new Float32Array(this.k.memory.buffer, ptr, n);
  }

  i32(ptr: number, n: number): Int32Array {
    return new Int32Array(this.k.memory.buffer, ptr, n);
  }
}

/**
 * The weight gradient G = Aᵀ·D of a dense layer (A [m, fanIn] with stride pad4(fanIn), D and G
 * with stride pad4(fanOut)): vectorised over D's width when that is at least A's, else over A's
 * into `scratch` and transposed (the narrow 10-class output layer). `skip` skips zeros of A.
 */
export function weightGradient(ws: Workspace, a: number, d: number, g: number, scratch: number, m: number, fanIn: number, fanOut: number, skip: boolean): void {
  const k = ws.k;
  const ldIn = pad4(fanIn);
  const ld = pad4(fanOut);
  if (ld >= ldIn) {
    k.gemmTN(a, ldIn, d, ld, g, ld, m, fanIn, ld, skip ? 1 : 0);
  } else {
    k.gemmTN(d, ld, a, ldIn, scratch, ldIn, m, fanOut, ldIn, 0);
    k.transpose(scratch, ldIn, g, ld, fanOut, fanIn);
  }
}

/**
 * The delta of the layer below: next = (D·Wᵀ) ⊙ f′, with W [fanIn, pad4(fanOut)], `a` the lower
 * layer's output and `kind` its activation (kernels' numbering). Wᵀ goes through `scratch` with
 * zero padding, so the padding columns of `next` stay 0 and padded weights never move.
 */
export function deltaBelow(ws: Workspace, w: number, d: number, a: number, next: number, scratch: number, m: number, fanIn: number, fanOut: number, kind: number): void {
  const k = ws.k;
  const ldIn = pad4(fanIn);
  const ld = pad4(fanOut);
  ws.f32(scratch, fanOut * ldIn).fill(0);
  k.transpose(w, ld, scratch, ldIn, fanIn, fanOut);
  k.gemmNN(d, ld, scratch, ldIn, 0, next, ldIn, m, fanOut, ldIn, 0);
  k.derivative(a, next, m * ldIn, kind);
}
