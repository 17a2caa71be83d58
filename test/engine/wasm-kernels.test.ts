/**
 * digitlab's wasm training kernels agree with tfjs's cpu backend (forward and gradients through
 * tf.grads, every case the notebooks use plus the fallback cases), and a CNN trains on wasm.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { prepareWasm, wantedWasmThreads, wasmThreads, wasmThreadsNote, WASM_KERNELS } from '../../src/engine/wasm';
import { rng } from '../../src/engine/seed';
import { simplify } from '../../src/engine/wasm/transpose';

const TOL = 1e-4;

/** Seeded values in [-0.5, 0.5) (moderate sums keep float32 rounding far below TOL). */
function data(shape: number[], seed: number): Float32Array {
  const r = rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return Float32Array.from({ length: n }, () => r() - 0.5);
}

/** Forward value and the gradients of sum(f(...xs) * weights) on one backend, as plain arrays. */
async function onBackend(
  backend: 'cpu' | 'wasm',
  shapes: number[][],
  seeds: number[],
  f: (...xs: tf.Tensor[]) => tf.Tensor,
): Promise<{ y: Float32Array; grads: Float32Array[] }> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const xs = shapes.map((s, i) => tf.tensor(data(s, seeds[i]), s));
    const y = f(...xs);
    const w = tf.tensor(data(y.shape, 999), y.shape);
    const g = tf.grads((...a: tf.Tensor[]) => f(...a).mul(w).sum())(xs);
    return { y: y.dataSync() as Float32Array, grads: g.map((t) => t.dataSync() as Float32Array) };
  });
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

async function agree(shapes: number[][], f: (...xs: tf.Tensor[]) => tf.Tensor): Promise<void> {
  const seeds = shapes.map((_, i) => 11 + i);
  const cpu = await onBackend('cpu', shapes, seeds, f);
  const wasm = await onBackend('wasm', shapes, seeds, f);
  expect(maxAbsDiff(wasm.y, cpu.y)).toBeLessThan(TOL);
  cpu.grads.forEach((g, i) => {
    expect(Math.max(...g.map(Math.abs))).toBeGreaterThan(0); // a zero gradient would prove nothing
    expect(maxAbsDiff(wasm.grads[i], g)).toBeLessThan(TOL);
  });
}

beforeAll(async () => {
  await prepareWasm();
  expect(await tf.setBackend('wasm')).toBe(true);
});

describe('wasm kernel registration', () => {
  it('installs every digitlab kernel on wasm', () => {
    for (const name of Object.keys(WASM_KERNELS)) {
      expect(tf.getKernel(name, 'wasm')?.kernelFunc.toString()).toMatch(/impl\(/); // ours, not tfjs's
    }
  });
  it('runs on the wanted number of threads (the threaded binary starts in Node)', () => {
    expect(wasmThreadsNote()).toBeNull();
    expect(wasmThreads()).toBe(wantedWasmThreads());
  });
  it('reads DIGITLAB_WASM_THREADS and rejects bad values', () => {
    const saved = process.env.DIGITLAB_WASM_THREADS;
    try {
      process.env.DIGITLAB_WASM_THREADS = '3';
      expect(wantedWasmThreads()).toBe(3);
      process.env.DIGITLAB_WASM_THREADS = 'two';
      expect(() => wantedWasmThreads()).toThrow(/DIGITLAB_WASM_THREADS: expected a whole number ≥ 1, got "two"/);
    } finally {
      if (saved === undefined) delete process.env.DIGITLAB_WASM_THREADS;
      else process.env.DIGITLAB_WASM_THREADS = saved;
    }
  });
});

type ConvCase = [string, number[], number[], [number, number], 'same' | 'valid' | number];
const convCases: ConvCase[] = [
  ['doc-001 conv1 5x5 SAME', [2, 28, 28, 1], [5, 5, 1, 8], [1, 1], 'same'],
  ['doc-001 conv2 5x5 SAME', [2, 14, 14, 8], [5, 5, 8, 16], [1, 1], 'same'],
  ['LeNet C1 5x5 VALID', [2, 32, 32, 1], [5, 5, 1, 6], [1, 1], 'valid'],
  ['LeNet C3 5x5 VALID', [2, 14, 14, 6], [5, 5, 6, 16], [1, 1], 'valid'],
  ['LeNet C5 5x5 VALID to 1x1', [3, 5, 5, 16], [5, 5, 16, 12], [1, 1], 'valid'],
  ['3x3 SAME', [3, 9, 7, 4], [3, 3, 4, 5], [1, 1], 'same'],
  ['1x1', [2, 6, 6, 3], [1, 1, 3, 4], [1, 1], 'valid'],
  ['non-square 3x5 SAME', [2, 10, 9, 2], [3, 5, 2, 3], [1, 1], 'same'],
  ['explicit pad 1', [2, 8, 8, 2], [3, 3, 2, 3], [1, 1], 1],
  ['stride 2 SAME (input grad falls back)', [2, 12, 12, 3], [3, 3, 3, 4], [2, 2], 'same'],
  ['stride 2 VALID, odd size', [2, 11, 11, 2], [3, 3, 2, 4], [2, 2], 'valid'],
  ['stride 2 VALID, unread rows (filter grad crops, input grad falls back)', [2, 10, 10, 2], [3, 3, 2, 4], [2, 2], 'valid'],
];

describe('Conv2D gradients (Conv2DBackpropFilter / Conv2DBackpropInput) match cpu', () => {
  for (const [name, xs, ws, strides, pad] of convCases) {
    it(name, async () => {
      await agree([xs, ws], (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, strides, pad));
    });
  }
  it('through layers: conv2d + bias + relu (fused) as tf.layers builds it', async () => {
    await agree([[2, 14, 14, 4], [5, 5, 4, 6], [6]], (x, w, b) =>
      tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, bias: b, strides: 1, pad: 'same', activation: 'relu' }),
    );
  });
});

describe('BatchMatMul with transposes matches cpu', () => {
  const cases: [string, number[], number[], boolean, boolean][] = [
    ['plain', [5, 7], [7, 3], false, false],
    ['transposeA (dense weight gradient)', [50, 31], [50, 17], true, false],
    ['transposeB (dense input gradient)', [50, 17], [31, 17], false, true],
    ['transposeB with a big B (computed as (B·Aᵀ)ᵀ)', [4, 17], [60, 17], false, true],
    ['both (computed as (B·A)ᵀ)', [7, 5], [3, 7], true, true],
    ['batched transposeA', [3, 6, 4], [3, 6, 5], true, false],
    ['batched transposeB', [3, 4, 6], [3, 5, 6], false, true],
  ];
  for (const [name, as, bs, ta, tb] of cases) {
    it(name, async () => {
      await agree([as, bs], (a, b) => tf.matMul(a, b, ta, tb));
    });
  }
  it('broadcast batch with transposeB (forward; tfjs has no gradient for broadcast matMul)', async () => {
    const run = async (b: 'cpu' | 'wasm') => {
      await tf.setBackend(b);
      return tf.tidy(() => tf.matMul(tf.tensor(data([1, 4, 6], 1), [1, 4, 6]), tf.tensor(data([3, 5, 6], 2), [3, 5, 6]), false, true).dataSync() as Float32Array);
    };
    expect(maxAbsDiff(await run('wasm'), await run('cpu'))).toBeLessThan(TOL);
  });
  it('dense layer with bias and relu (fused matMul)', async () => {
    await agree([[8, 12], [12, 6], [6]], (x, w, b) =>
      tf.fused.matMul({ a: x as tf.Tensor2D, b: w as tf.Tensor2D, bias: b, activation: 'relu' }),
    );
  });
});

describe('MaxPool gradient matches cpu', () => {
  const cases: [string, number[], number, number, 'same' | 'valid'][] = [
    ['2x2/2 VALID (doc-001, LeNet)', [2, 28, 28, 3], 2, 2, 'valid'],
    ['2x2/2 SAME, even size', [2, 14, 14, 4], 2, 2, 'same'],
    ['2x2/2 VALID, odd size (last row/column unread)', [2, 7, 7, 2], 2, 2, 'valid'],
    ['2x2/2 SAME, odd size (padded windows)', [2, 7, 7, 2], 2, 2, 'same'],
    ['3x3/2 overlapping windows', [2, 9, 9, 2], 3, 2, 'valid'],
    ['3x3/1 SAME overlapping and padded', [1, 6, 5, 2], 3, 1, 'same'],
  ];
  for (const [name, xs, k, s, pad] of cases) {
    it(name, async () => {
      await agree([xs], (x) => tf.maxPool(x as tf.Tensor4D, k, s, pad));
    });
  }
  it('ties (relu zeros) go to the first maximum, as on cpu', async () => {
    await agree([[2, 8, 8, 3]], (x) => tf.maxPool(tf.relu(x.sub(0.3)) as tf.Tensor4D, 2, 2, 'valid'));
  });
});

describe('AvgPool gradient (tfjs wasm kernel, used by LeNet) matches cpu', () => {
  it('2x2/2 VALID after tanh', async () => {
    await agree([[2, 28, 28, 6]], (x) => tf.avgPool(tf.tanh(x) as tf.Tensor4D, 2, 2, 'valid'));
  });
  it('2x2/2 SAME, odd size', async () => {
    await agree([[2, 7, 7, 3]], (x) => tf.avgPool(x as tf.Tensor4D, 2, 2, 'same'));
  });
});

describe('Transpose (JS on the wasm heap) matches cpu', () => {
  const cases: [number[], number[]][] = [
    [[128, 78], [1, 0]],
    [[5, 14, 14, 3], [3, 1, 2, 0]], // backprop-filter input
    [[5, 14, 14, 6], [1, 2, 0, 3]], // backprop-filter dy (row copies)
    [[5, 5, 6, 4], [0, 1, 3, 2]], // flipped filter, batched 2-D
    [[3, 1, 7, 1, 5], [4, 2, 0, 3, 1]], // size-1 axes dropped
    [[2, 3, 4, 5], [3, 0, 2, 1]], // rank 4 after merging: falls back
    [[2, 3, 4], [0, 1, 2]], // identity
    [[4, 33, 35], [2, 0, 1]],
  ];
  for (const [shape, perm] of cases) {
    it(`[${shape}] by [${perm}]`, async () => {
      await agree([shape], (x) => tf.transpose(x, perm));
    });
  }
  it('int32 data', async () => {
    const run = async (b: 'cpu' | 'wasm') => {
      await tf.setBackend(b);
      return tf.tidy(() => Array.from(tf.transpose(tf.range(0, 60, 1, 'int32').reshape([3, 4, 5]), [2, 0, 1]).dataSync()));
    };
    expect(await run('wasm')).toEqual(await run('cpu'));
  });
  it('simplify drops size-1 axes and merges neighbours', () => {
    expect(simplify([50, 14, 14, 32], [3, 1, 2, 0])).toEqual({ shape: [50, 196, 32], perm: [2, 1, 0] });
    expect(simplify([1, 6, 1, 4], [3, 2, 1, 0])).toEqual({ shape: [6, 4], perm: [1, 0] });
    expect(simplify([2, 3, 4], [0, 1, 2])).toEqual({ shape: [24], perm: [0] });
  });
});

describe('a CNN trains on wasm', () => {
  it('the loss of a small seeded CNN falls and no tensors leak', async () => {
    await tf.setBackend('wasm');
    const r = rng(7);
    // Ten random prototype images; samples are prototypes plus noise, so the classes are learnable.
    const protos = Array.from({ length: 10 }, () => Float32Array.from({ length: 28 * 28 }, () => (r() < 0.3 ? 1 : 0)));
    const n = 200;
    const xs = new Float32Array(n * 28 * 28);
    const ys = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      ys[i] = i % 10;
      for (let j = 0; j < 28 * 28; j++) xs[i * 784 + j] = protos[ys[i]][j] * 0.8 + r() * 0.4;
    }
    const x = tf.tensor4d(xs, [n, 28, 28, 1]);
    const y = tf.oneHot(tf.tensor1d(ys, 'int32'), 10);
    const init = (s: number) => tf.initializers.glorotUniform({ seed: s });
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 5, padding: 'same', activation: 'relu', kernelInitializer: init(1) }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.conv2d({ filters: 16, kernelSize: 5, padding: 'same', activation: 'relu', kernelInitializer: init(2) }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 32, activation: 'relu', kernelInitializer: init(3) }),
        tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: init(4) }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(3e-3), loss: 'categoricalCrossentropy' });
    const losses: number[] = [];
    let tensorsAfterFirst = 0;
    for (let epoch = 0; epoch < 8; epoch++) {
      const h = await model.fit(x, y, { batchSize: 50, epochs: 1, shuffle: false, verbose: 0 });
      losses.push(h.history.loss[0] as number);
      if (epoch === 0) tensorsAfterFirst = tf.memory().numTensors;
    }
    expect(tf.memory().numTensors).toBe(tensorsAfterFirst);
    console.log("wasm CNN losses", losses.map((l) => l.toFixed(3)).join(" "));
    expect(losses[7]).toBeLessThan(losses[0] * 0.3);
    const acc = tf.tidy(() => (model.predict(x) as tf.Tensor).argMax(-1).equal(tf.tensor1d(ys, 'int32')).mean().dataSync()[0]);
    expect(acc).toBeGreaterThan(0.9);
    model.dispose();
    x.dispose();
    y.dispose();
  });
});

describe('Slice and GatherV2 (row copies on the heap) match cpu', () => {
  const sliceCases: [string, number[], number[], number[]][] = [
    ['rows of a matrix (continuous: one copy)', [60, 7], [13, 0], [20, -1]],
    ['columns (strided runs)', [9, 11], [2, 3], [5, 4]],
    ['a window of an NHWC batch', [3, 8, 9, 2], [1, 2, 3, 0], [2, 4, 5, 2]],
    ['one element of a vector', [10], [4], [1]],
  ];
  for (const [name, shape, begin, size] of sliceCases) {
    it(`slice: ${name}`, async () => {
      await agree([shape], (x) => tf.slice(x, begin, size));
    });
  }
  it('slice keeps int32 and bool values', async () => {
    const x = tf.tensor2d(Int32Array.from({ length: 40 }, (_, i) => i * 3 - 7), [8, 5], 'int32');
    expect(Array.from(tf.slice(x, [2, 1], [3, 3]).dataSync())).toEqual([26, 29, 32, 41, 44, 47, 56, 59, 62]);
    const b = tf.tensor1d([true, false, true, true, false], 'bool');
    expect(Array.from(tf.slice(b, [1], [3]).dataSync())).toEqual([0, 1, 1]);
  });
  const gatherCases: [string, number[], number[], number][] = [
    ['shuffled rows (model.fit batches)', [50, 13], [7, 0, 49, 7, 22], 0],
    ['columns', [6, 9], [8, 1, 1, 4], 1],
    ['a middle axis of a rank-3 tensor', [4, 5, 3], [4, 0, 2], 1],
  ];
  // Forward only: tfjs's wasm backend has no UnsortedSegmentSum for gather's gradient.
  for (const [name, shape, idx, axis] of gatherCases) {
    it(`gather: ${name}`, async () => {
      const run = async (backend: 'cpu' | 'wasm') => {
        await tf.setBackend(backend);
        return tf.tidy(() => tf.gather(tf.tensor(data(shape, 5), shape), tf.tensor1d(idx, 'int32'), axis).dataSync() as Float32Array);
      };
      const cpu = await run('cpu');
      const wasm = await run('wasm');
      expect(Array.from(wasm)).toEqual(Array.from(cpu));
    });
  }
  it('gather rejects an index outside the axis, naming it', () => {
    const x = tf.zeros([4, 2]);
    expect(() => tf.gather(x, tf.tensor1d([1, 4], 'int32'))).toThrow(/index value 4 is not in \[0, 3\]/);
  });
});
