import { describe, it, expect } from 'vitest';
import * as nd from '../../src/nd';
import { rng } from '../../src/engine/seed';

const vals = (a: nd.NdArray) => nd.toArray(a);

describe('arrays', () => {
  it('builds from nested lists and rejects ragged input', () => {
    const a = nd.array([[1, 2, 3], [4, 5, 6]]);
    expect(a.shape).toEqual([2, 3]);
    expect(a.data).toBeInstanceOf(Float64Array);
    expect(nd.toNested(a)).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(() => nd.array([[1, 2], [3]])).toThrow(/ragged/);
    expect(nd.array([1, 2], [2], 'float32').data).toBeInstanceOf(Float32Array);
  });
  it('reshape, copy of a transposed view, zeros/ones/linspace', () => {
    const a = nd.array([[1, 2, 3], [4, 5, 6]]);
    expect(nd.toNested(nd.copy(a.transpose(1, 0)))).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(nd.reshape(a, [3, -1]).shape).toEqual([3, 2]);
    expect(() => nd.reshape(a, [4, 2])).toThrow(/cannot reshape \[2,3\]/);
    expect(vals(nd.ones([2]))).toEqual([1, 1]);
    expect(vals(nd.linspace(0, 1000, 5))).toEqual([0, 250, 500, 750, 1000]);
  });
  it('seeded randn/rand repeat per seed and have the right moments', () => {
    const a = nd.randn([100, 100], { rng: rng(3) });
    expect(vals(a)).toEqual(vals(nd.randn([100, 100], { rng: rng(3) })));
    expect(vals(a)).not.toEqual(vals(nd.randn([100, 100], { rng: rng(4) })));
    const m = nd.mean(a);
    const v = nd.mean(nd.square(nd.sub(a, m)));
    expect(Math.abs(m)).toBeLessThan(0.05);
    expect(Math.abs(v - 1)).toBeLessThan(0.05);
    const u = nd.rand([10000], { rng: rng(5) });
    expect(nd.max(u)).toBeLessThan(1);
    expect(Math.abs(nd.mean(u) - 0.5)).toBeLessThan(0.02);
  });
});

describe('arithmetic', () => {
  it('matmul matches hand results for 2-D, 1-D and transposed views', () => {
    const x = nd.array([[1, 2], [3, 4]]);
    const w = nd.array([[5, 6, 7], [8, 9, 10]]);
    expect(nd.toNested(nd.matmul(x, w))).toEqual([[21, 24, 27], [47, 54, 61]]);
    expect(vals(nd.matmul(nd.array([1, 2]), w))).toEqual([21, 24, 27]);
    expect(vals(nd.matmul(w.transpose(1, 0), nd.array([1, 1])))).toEqual([13, 15, 17]);
    expect(nd.toArray(nd.dot(nd.array([1, 2, 3]), nd.array([4, 5, 6])))).toEqual([32]);
    expect(() => nd.matmul(x, nd.array([1, 2, 3]))).toThrow(/do not align \(2 ≠ 3\)/);
  });
  it('matmul agrees with a naive triple loop on random strided input', () => {
    const r = rng(9);
    const a = nd.randn([7, 5], { rng: r });
    const b = nd.randn([6, 5], { rng: r }).transpose(1, 0);
    const c = nd.matmul(a, b);
    for (let i = 0; i < 7; i++) for (let j = 0; j < 6; j++) {
      let s = 0;
      for (let k = 0; k < 5; k++) s += a.get(i, k) * b.get(k, j);
      expect(c.get(i, j)).toBeCloseTo(s, 12);
    }
  });
  it('broadcasts a bias row over a batch and scalars over arrays', () => {
    const x = nd.array([[1, 2, 3], [4, 5, 6]]);
    expect(nd.toNested(nd.add(x, nd.array([10, 20, 30])))).toEqual([[11, 22, 33], [14, 25, 36]]);
    expect(nd.toNested(nd.mul(x, nd.array([[2], [3]])))).toEqual([[2, 4, 6], [12, 15, 18]]);
    expect(vals(nd.sub(1, nd.array([0.25, 1])))).toEqual([0.75, 0]);
    expect(() => nd.add(x, nd.array([1, 2]))).toThrow(/shapes \[2,3\] and \[2\] cannot be broadcast/);
    const y = nd.zeros([2, 3]);
    nd.add(x, 1, y);
    expect(vals(y)).toEqual([2, 3, 4, 5, 6, 7]);
  });
  it('sum, max and argmax along an axis', () => {
    const x = nd.array([[1, 9, 3], [7, 5, 6]]);
    expect(nd.sum(x)).toBe(31);
    expect(vals(nd.sum(x, 0))).toEqual([8, 14, 9]);
    expect(vals(nd.sum(x, 1))).toEqual([13, 18]);
    expect(vals(nd.max(x, 0))).toEqual([7, 9, 6]);
    expect(Array.from(nd.argmax(x, 1).data)).toEqual([1, 0]);
    expect(Array.from(nd.argmax(x.transpose(1, 0), 0).data)).toEqual([1, 0]);
    expect(nd.argmax(x)).toBe(1);
    expect(() => nd.sum(x, 2)).toThrow(/axis 2 is outside an array of shape \[2,3\]/);
  });
  it('keeps Float32 when both sides are Float32, promotes to Float64 otherwise', () => {
    const a = nd.array([1, 2], [2], 'float32');
    expect(nd.add(a, a).data).toBeInstanceOf(Float32Array);
    expect(nd.matmul(nd.reshape(a, [1, 2]), nd.reshape(a, [2, 1])).data).toBeInstanceOf(Float32Array);
    expect(nd.add(a, nd.array([1, 1])).data).toBeInstanceOf(Float64Array);
    expect(nd.sigmoid(a).data).toBeInstanceOf(Float32Array);
  });
  it('axpy updates in place (W -= lr * grad)', () => {
    const w = nd.array([1, 2, 3]);
    nd.axpy(w, -0.5, nd.array([2, 2, 2]));
    expect(vals(w)).toEqual([0, 1, 2]);
  });
});

describe('activations and losses', () => {
  it('sigmoid, relu, identity and their derivatives', () => {
    const x = nd.array([-1, 0, 2]);
    expect(vals(nd.sigmoid(x))[1]).toBe(0.5);
    expect(vals(nd.relu(x))).toEqual([0, 0, 2]);
    expect(vals(nd.reluGrad(x))).toEqual([0, 0, 1]);
    expect(vals(nd.identity(x))).toEqual([-1, 0, 2]);
    const s = vals(nd.sigmoidGrad(x));
    vals(x).forEach((v, i) => expect(s[i]).toBeCloseTo(nd.numericalDiff((u) => 1 / (1 + Math.exp(-u)), v), 8));
  });
  it('softmax sums to 1 per row and survives large inputs where the naive form gives NaN', () => {
    const big = nd.array([1010, 1000, 990]);
    const y = vals(nd.softmax(big));
    expect(y.reduce((a, b) => a + b)).toBeCloseTo(1, 12);
    expect(y[0]).toBeGreaterThan(0.99);
    expect(vals(nd.softmaxNaive(big)).some(Number.isNaN)).toBe(true);
    const rows = nd.softmax(nd.array([[1, 2], [3, 3]]));
    expect(vals(nd.sum(rows, 1)).map((v) => Math.round(v * 1e12) / 1e12)).toEqual([1, 1]);
    expect(rows.get(1, 0)).toBeCloseTo(0.5, 12);
  });
  it('softmaxGrad equals the numerical derivative of a loss through softmax', () => {
    const z = nd.array([[0.3, -1.2, 2.0]]);
    const w = nd.array([[0.5, -2, 1]]);
    const f = () => nd.sum(nd.mul(nd.softmax(z), w));
    const num = nd.numericalGradient(f, z);
    const ana = nd.softmaxGrad(nd.softmax(z), w);
    vals(num).forEach((v, i) => expect(vals(ana)[i]).toBeCloseTo(v, 8));
  });
  it('the documents\' losses', () => {
    const t = nd.array([0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
    const y = nd.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0]);
    expect(nd.meanSquaredError(y, t)).toBeCloseTo(0.0975, 12);
    expect(nd.crossEntropyError(y, t)).toBeCloseTo(0.510825457099338, 9);
    expect(nd.crossEntropyError(nd.reshape(y, [1, 10]), [2])).toBeCloseTo(0.510825457099338, 9);
    const batch = nd.array([[0.5, 0.5], [0.9, 0.1]]);
    expect(nd.crossEntropyError(batch, nd.array([[1, 0], [1, 0]]))).toBeCloseTo(-(Math.log(0.5 + 1e-7) + Math.log(0.9 + 1e-7)) / 2, 12);
    expect(() => nd.crossEntropyError(batch, [0, 5])).toThrow(/label 1 is 5, expected an integer 0–1/);
    expect(() => nd.meanSquaredError(batch, t)).toThrow(/expected the same shape/);
  });
});

describe('numerical derivatives', () => {
  it('central difference of x² at 1 is 2', () => {
    expect(nd.numericalDiff((x) => x * x, 1)).toBeCloseTo(2, 8);
  });
  it('gradient over any shape (3-D, strided) matches the analytic one and restores x', () => {
    const x = nd.randn([2, 3, 4], { rng: rng(1) });
    const before = vals(x);
    const f = (a: nd.NdArray) => nd.sum(nd.mul(a, a)) + 3 * nd.sum(a);
    const g = nd.numericalGradient(f, x);
    expect(g.shape).toEqual([2, 3, 4]);
    vals(g).forEach((v, i) => expect(v).toBeCloseTo(2 * before[i] + 3, 7));
    expect(vals(x)).toEqual(before);
    const view = x.transpose(2, 0, 1);
    const gv = nd.numericalGradient(f, view);
    expect(gv.get(1, 0, 2)).toBeCloseTo(2 * x.get(0, 2, 1) + 3, 7);
    expect(nd.numericalPartial(f, x, 5)).toBeCloseTo(2 * before[5] + 3, 7);
  });
  it('gradient descent finds square roots (document 004)', () => {
    const sqrt = (v: number, lr: number, steps: number) => {
      let d = 1;
      for (let s = 0; s < steps; s++) d -= lr * nd.numericalDiff((u) => Math.abs(v - u * u), d);
      return d;
    };
    expect(sqrt(2, 1e-3, 1000)).toBeCloseTo(Math.SQRT2, 1);
    expect(Math.abs(sqrt(100, 1e-3, 10000) - 10)).toBeLessThan(0.05);
    // Too large a step for |x − d²| overshoots and oscillates around the root (the document's point).
    expect(Math.abs(sqrt(100, 1e-2, 10000) - 10)).toBeGreaterThan(0.05);
  });
});
