/**
 * Training kernels for tfjs's wasm backend.
 *
 * tfjs-backend-wasm 4.22 lacks `Conv2DBackpropFilter` (a CNN cannot train at all), and its
 * `Conv2DBackpropInput`, transposed `BatchMatMul`, `MaxPoolGrad` and `Transpose` are plain C loops
 * that run at a few % of the forward convolution's speed. The convolution and matmul gradients
 * below are rewritten as transposes around a forward `Conv2D` or an untransposed `BatchMatMul`
 * (XNNPACK); `MaxPoolGrad` and `Transpose` are single JS passes over the wasm heap. Every case a
 * replacement does not cover goes to the kernel it replaced.
 */
import * as tf from '@tensorflow/tfjs';
import { Info, Scope, WasmBackendLike, withScope } from './compose';
import { HeapBackend, transposeOnHeap } from './transpose';
import { gatherOnHeap, sliceOnHeap } from './gather';

type KernelArgs = { inputs: Record<string, Info>; attrs: tf.NamedAttrMap; backend: WasmBackendLike };
type Impl = (args: KernelArgs, fallback: tf.KernelFunc | null) => Info;

type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
type Explicit = [[number, number], [number, number], [number, number], [number, number]];

function explicit(top: number, bottom: number, left: number, right: number): Explicit {
  return [[0, 0], [top, bottom], [left, right], [0, 0]];
}

function isNhwc(dataFormat: unknown): boolean {
  return dataFormat === undefined || dataFormat === 'NHWC' || dataFormat === 'channelsLast';
}

function callFallback(name: string, fallback: tf.KernelFunc | null, args: KernelArgs, why: string): Info {
  if (!fallback) throw new Error(`digitlab wasm ${name}: case not covered (${why}) and tfjs has no wasm kernel to fall back to`);
  return fallback(args as unknown as Parameters<tf.KernelFunc>[0]) as Info;
}

/**
 * dW[kh,kw,ci,co] = Σ_{b,oh,ow} x[b, oh·s+kh−pt, ow·s+kw−pl, ci] · dy[b,oh,ow,co].
 * Swapping the roles of batch and channels makes that a forward convolution: input
 * xᵀ[ci,H,W,b], filter dyᵀ[oh,ow,b,co], dilation = the stride, explicit padding (pt, pl) and
 * whatever bottom/right padding makes the output exactly kh×kw.
 */
const conv2DBackpropFilter: Impl = (args) => {
  const { x, dy } = args.inputs;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args.attrs as unknown as {
    strides: [number, number] | number; pad: Pad; dataFormat?: string; dimRoundingMode?: 'floor' | 'round' | 'ceil';
    filterShape: [number, number, number, number];
  };
  if (!isNhwc(dataFormat)) throw new Error(`digitlab wasm Conv2DBackpropFilter: dataFormat must be NHWC, got ${dataFormat}`);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast',
  );
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow } = info;
  const [, H, W] = x.shape;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const bottom = kh + sh * (oh - 1) - H - top;
  const right = kw + sw * (ow - 1) - W - left;
  return withScope(args.backend, (s) => {
    // Rows/columns that no strided window reaches (negative bottom/right padding) are cropped.
    const xc = bottom < 0 || right < 0
      ? s.run('Slice', { x }, { begin: [0, 0, 0, 0], size: [-1, H + Math.min(bottom, 0), W + Math.min(right, 0), -1] })
      : x;
    const xT = s.transpose(xc, [3, 1, 2, 0]);
    const dyT = s.transpose(dy, [1, 2, 0, 3]);
    const r = s.run('Conv2D', { x: xT, filter: dyT }, {
      strides: [1, 1], pad: explicit(top, Math.max(bottom, 0), left, Math.max(right, 0)), dataFormat: 'NHWC', dilations: [sh, sw],
      dimRoundingMode: undefined,
    } as unknown as tf.NamedAttrMap);
    return s.transpose(r, [1, 2, 0, 3]);
  });
};

/**
 * dx = dy convolved with the filter flipped in space and with in/out channels swapped
 * (stride 1 only; strided layers would need a zero-dilated dy, and fall back).
 */
const conv2DBackpropInput: Impl = (args, fallback) => {
  const { dy, filter } = args.inputs;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = args.attrs as unknown as {
    strides: [number, number] | number; pad: Pad; dataFormat?: string; dimRoundingMode?: 'floor' | 'round' | 'ceil';
    inputShape: [number, number, number, number];
  };
  if (!isNhwc(dataFormat) || dy.dtype !== 'float32' || filter.dtype !== 'float32') {
    return callFallback('Conv2DBackpropInput', fallback, args, 'not NHWC float32');
  }
  const info = tf.backend_util.computeConv2DInfo(
    inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode, false, 'channelsLast',
  );
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, outHeight: oh, outWidth: ow } = info;
  if (sh !== 1 || sw !== 1) return callFallback('Conv2DBackpropInput', fallback, args, 'stride > 1');
  const [, H, W] = inputShape;
  const top = kh - 1 - info.padInfo.top;
  const left = kw - 1 - info.padInfo.left;
  const bottom = H - oh + info.padInfo.top;
  const right = W - ow + info.padInfo.left;
  if (top < 0 || left < 0 || bottom < 0 || right < 0) {
    return callFallback('Conv2DBackpropInput', fallback, args, 'padding wider than the filter');
  }
  return withScope(args.backend, (s) => {
    const flipped = s.run('Reverse', { x: filter }, { dims: [0, 1] });
    const swapped = s.transpose(flipped, [0, 1, 3, 2]);
    return s.run('Conv2D', { x: dy, filter: swapped }, {
      strides: [1, 1], pad: explicit(top, bottom, left, right), dataFormat: 'NHWC', dilations: [1, 1],
      dimRoundingMode: undefined,
    } as unknown as tf.NamedAttrMap);
  });
};

/**
 * Transposed operands are transposed explicitly, then multiplied by the fast untransposed path.
 * The wasm matmul packs its right operand on every call, so A·Bᵀ with a big B (a dense layer's
 * input gradient, dy·Wᵀ) is computed as (B·Aᵀ)ᵀ when moving A and the output is cheaper than
 * moving and packing B; likewise Aᵀ·B as (Bᵀ·A)ᵀ.
 */
const batchMatMul: Impl = (args, fallback) => {
  const { a, b } = args.inputs;
  const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
  if (!fallback) throw new Error('digitlab wasm BatchMatMul: tfjs has no wasm BatchMatMul kernel');
  if ((!transposeA && !transposeB) || a.dtype !== 'float32' || b.dtype !== 'float32') {
    return fallback(args as unknown as Parameters<tf.KernelFunc>[0]) as Info;
  }
  const size = (t: Info) => t.shape.reduce((p, q) => p * q, 1);
  const swapLast = (t: Info, s: Scope): Info => {
    const r = t.shape.length;
    const perm = [...Array(r).keys()];
    [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
    return s.transpose(t, perm);
  };
  const mm = (x: Info, y: Info): Info =>
    fallback({
      inputs: { a: x, b: y }, attrs: { transposeA: false, transposeB: false },
      backend: args.backend as unknown as tf.KernelBackend,
    }) as Info;
  const sameBatch = a.shape.length === b.shape.length && a.shape.slice(0, -2).every((d, i) => d === b.shape[i]);
  const ar = a.shape.length;
  const outSize = size(a) / (a.shape[ar - 1] * a.shape[ar - 2]) *
    (transposeA ? a.shape[ar - 1] : a.shape[ar - 2]) * (transposeB ? b.shape[b.shape.length - 2] : b.shape[b.shape.length - 1]);
  // Elements moved (transposes) plus elements packed (the right operand), per formulation.
  const direct = (transposeA ? size(a) : 0) + 2 * size(b) * (transposeB ? 1 : 0.5);
  const swapped = (transposeB ? 0 : size(b)) + 2 * size(a) * (transposeA ? 0.5 : 1) + outSize;
  return withScope(args.backend, (s) => {
    if (sameBatch && swapped < direct) {
      // (op(B)ᵀ·op(A)ᵀ)ᵀ: op(A)ᵀ is A itself when transposeA, op(B)ᵀ is B itself when transposeB.
      const left = transposeB ? b : swapLast(b, s);
      const right = transposeA ? a : swapLast(a, s);
      return swapLast(s.adopt(mm(left, right)), s);
    }
    const aa = transposeA ? swapLast(a, s) : a;
    const bb = transposeB ? swapLast(b, s) : b;
    return mm(aa, bb);
  });
};

/**
 * Max-pool gradient as one pass over the wasm heap, in plain JS: each window's first maximum in
 * row-major order (the cpu backend's rule) receives that window's dy. tfjs 4.22's wasm
 * MaxPoolGrad and MaxPoolWithArgmax both start the running maximum at 0, so windows whose values
 * are all ≤ 0 (negative inputs; all-zero windows after a ReLU) get their gradient in the wrong
 * place; no combination of wasm kernels gives "first maximum" for overlapping windows cheaply, and
 * this loop is faster than the native kernel it replaces (it visits each window once).
 */
const maxPoolGrad: Impl = (args, fallback) => {
  const { dy, input } = args.inputs;
  const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as {
    filterSize: [number, number] | number; strides: [number, number] | number; pad: Pad;
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
  };
  if (input.dtype !== 'float32' || dy.dtype !== 'float32') return callFallback('MaxPoolGrad', fallback, args, 'not float32');
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode,
  );
  const backend = args.backend as unknown as HeapBackend;
  const out = backend.makeOutput(input.shape, 'float32');
  const dx = backend.typedArrayFromHeap(out) as Float32Array;
  const x = backend.typedArrayFromHeap(input) as Float32Array;
  const g = backend.typedArrayFromHeap(dy) as Float32Array;
  dx.fill(0);
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const rowStride = W * C;
  if (fh === 2 && fw === 2 && sh === 2 && sw === 2 && top === 0 && left === 0 && OH * 2 <= H && OW * 2 <= W) {
    // The notebooks' 2×2/2 pools, unrolled: the four candidates in row-major order.
    for (let b = 0; b < B; b++) {
      for (let oh = 0; oh < OH; oh++) {
        for (let ow = 0; ow < OW; ow++) {
          const i00 = ((b * H + 2 * oh) * W + 2 * ow) * C;
          const gbase = ((b * OH + oh) * OW + ow) * C;
          for (let c = 0; c < C; c++) {
            const a = i00 + c;
            let best = -Infinity;
            let where = -1;
            let v = x[a];
            if (v > best) { best = v; where = a; }
            v = x[a + C];
            if (v > best) { best = v; where = a + C; }
            v = x[a + rowStride];
            if (v > best) { best = v; where = a + rowStride; }
            v = x[a + rowStride + C];
            if (v > best) where = a + rowStride + C;
            if (where >= 0) dx[where] += g[gbase + c];
          }
        }
      }
    }
    return out;
  }
  for (let b = 0; b < B; b++) {
    for (let oh = 0; oh < OH; oh++) {
      const h0 = Math.max(0, oh * sh - top);
      const h1 = Math.min(H, oh * sh - top + fh);
      for (let ow = 0; ow < OW; ow++) {
        const w0 = Math.max(0, ow * sw - left);
        const w1 = Math.min(W, ow * sw - left + fw);
        const corner = ((b * H + h0) * W + w0) * C;
        const gbase = ((b * OH + oh) * OW + ow) * C;
        for (let c = 0; c < C; c++) {
          // Strict `>` from -Infinity, exactly the cpu backend's rule (first maximum wins).
          let best = -Infinity;
          let where = -1;
          for (let h = h0, r = corner + c; h < h1; h++, r += rowStride) {
            for (let w = w0, i = r; w < w1; w++, i += C) {
              const v = x[i];
              if (v > best) {
                best = v;
                where = i;
              }
            }
          }
          if (where >= 0) dx[where] += g[gbase + c];
        }
      }
    }
  }
  return out;
};

/** Transpose in JS on the heap (3x faster than tfjs's wasm loop), else the original kernel. */
const transpose: Impl = (args, fallback) => {
  const perm = (args.attrs as { perm: number[] }).perm;
  return transposeOnHeap(args.backend as unknown as HeapBackend, args.inputs.x, perm) ??
    callFallback('Transpose', fallback, args, 'rank > 3 after merging axes, or bool');
};

/** Slice by row copies on the heap (tfjs's copies the whole input first), else the original. */
const slice: Impl = (args, fallback) => {
  const { begin, size } = args.attrs as { begin: number[]; size: number[] };
  return sliceOnHeap(args.backend as unknown as HeapBackend, args.inputs.x, begin, size) ??
    callFallback('Slice', fallback, args, 'string');
};

/** Gather by row copies on the heap (model.fit's batches), else the original. */
const gatherV2: Impl = (args, fallback) => {
  const { axis, batchDims } = args.attrs as { axis: number; batchDims: number };
  return gatherOnHeap(args.backend as unknown as HeapBackend, args.inputs.x, args.inputs.indices, axis, batchDims ?? 0) ??
    callFallback('GatherV2', fallback, args, 'batchDims > 0, string or non-int32 indices');
};

/** The kernels digitlab puts in place on wasm, by tfjs kernel name. */
export const WASM_KERNELS: Readonly<Record<string, Impl>> = {
  Transpose: transpose,
  Slice: slice,
  GatherV2: gatherV2,
  Conv2DBackpropFilter: conv2DBackpropFilter,
  Conv2DBackpropInput: conv2DBackpropInput,
  BatchMatMul: batchMatMul,
  MaxPoolGrad: maxPoolGrad,
};

const originals = new Map<string, tf.KernelConfig | null>();

/**
 * Register digitlab's kernels for 'wasm' (idempotent). The kernel each one replaces is kept and
 * used for the cases the replacement does not cover; `only` limits which are installed (tests).
 */
export function registerWasmKernels(only?: readonly string[]): string[] {
  const installed: string[] = [];
  for (const [name, impl] of Object.entries(WASM_KERNELS)) {
    if (only && !only.includes(name)) continue;
    if (!originals.has(name)) {
      const orig = tf.getKernel(name, 'wasm') ?? null;
      originals.set(name, orig ? { ...orig } : null);
      if (orig) tf.unregisterKernel(name, 'wasm');
      const fallback = orig ? orig.kernelFunc : null;
      tf.registerKernel({
        kernelName: name,
        backendName: 'wasm',
        // The wasm kernels bind their C functions in setupFunc; keep it so the fallback works.
        setupFunc: orig?.setupFunc,
        disposeFunc: orig?.disposeFunc,
        kernelFunc: ((a: unknown) => impl(a as KernelArgs, fallback)) as unknown as tf.KernelFunc,
      });
    }
    installed.push(name);
  }
  return installed;
}

/** Put tfjs's own kernels back (for comparisons in tests and the benchmark). */
export function unregisterWasmKernels(): void {
  for (const [name, orig] of originals) {
    tf.unregisterKernel(name, 'wasm');
    if (orig) tf.registerKernel(orig);
  }
  originals.clear();
}
