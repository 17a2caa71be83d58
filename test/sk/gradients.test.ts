/**
 * The kernels' loss and gradients against a float64 transcription of sklearn's `_backprop`:
 * one full-batch SGD step without momentum moves W by -lr·grad, so two fits from the same
 * initialisation (lr ≈ 0 and lr = 0.01, one epoch) expose the initial weights and the gradient.
 */
import { describe, it, expect, vi } from 'vitest';
import { MLPClassifier } from '../../src/sk/mlp';
import { takeRows } from '../../src/sk/split';
import type { Activation } from '../../src/sk/params';
import { digitsSplit } from './helpers';

const f = {
  relu: (x: number) => Math.max(0, x),
  logistic: (x: number) => 1 / (1 + Math.exp(-x)),
  tanh: Math.tanh,
  identity: (x: number) => x,
};
const df = {
  relu: (a: number) => (a > 0 ? 1 : 0),
  logistic: (a: number) => a * (1 - a),
  tanh: (a: number) => 1 - a * a,
  identity: () => 1,
};

/** sklearn's loss and gradients for one hidden layer, in float64. */
function reference(X: number[][], y: number[], W: number[][][], b: number[][], act: Activation, alpha: number) {
  const n = X.length;
  const [W0, W1] = W;
  const h = W0[0].length, c = W1[0].length;
  const H = X.map((x) => Array.from({ length: h }, (_, j) => f[act](b[0][j] + x.reduce((s, v, k) => s + v * W0[k][j], 0))));
  const P = H.map((hr) => {
    const z = Array.from({ length: c }, (_, j) => b[1][j] + hr.reduce((s, v, k) => s + v * W1[k][j], 0));
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const sum = e.reduce((a, v) => a + v, 0);
    return e.map((v) => v / sum);
  });
  const sq = [W0, W1].reduce((s, M) => s + M.flat().reduce((a, v) => a + v * v, 0), 0);
  const loss = -P.reduce((s, p, i) => s + Math.log(p[y[i]]), 0) / n + (0.5 * alpha * sq) / n;
  const D2 = P.map((p, i) => p.map((v, j) => v - (j === y[i] ? 1 : 0)));
  const gW1 = W1.map((row, k) => row.map((w, j) => (H.reduce((s, hr, i) => s + hr[k] * D2[i][j], 0) + alpha * w) / n));
  const D1 = H.map((hr, i) => hr.map((a, k) => D2[i].reduce((s, d, j) => s + d * W1[k][j], 0) * df[act](a)));
  const gW0 = W0.map((row, k) => row.map((w, j) => (X.reduce((s, x, i) => s + x[k] * D1[i][j], 0) + alpha * w) / n));
  const gb0 = Array.from({ length: h }, (_, j) => D1.reduce((s, d) => s + d[j], 0) / n);
  return { loss, gW: [gW0, gW1], gb: [gb0, Array.from({ length: c }, (_, j) => D2.reduce((s, d) => s + d[j], 0) / n)] };
}

describe('loss and gradients match sklearn\'s backprop', () => {
  it.each(['relu', 'logistic', 'tanh'] as Activation[])('%s', (activation) => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { XTrain, yTrain } = digitsSplit();
    const idx = Array.from({ length: 60 }, (_, i) => i * 7);
    const Xs = takeRows(XTrain, idx);
    const ys = idx.map((i) => yTrain[i]);
    const X = Array.from({ length: 60 }, (_, i) => Array.from({ length: 64 }, (_, j) => Xs.data[i * 64 + j]));
    const opts = { activation, hiddenLayerSizes: [7], alpha: 0.5, solver: 'sgd' as const, momentum: 0, batchSize: 60, shuffle: false, maxIter: 1, randomState: 5 };
    const lr = 0.01;
    const still = new MLPClassifier({ ...opts, learningRateInit: 1e-12 }).fit(Xs, ys);
    const moved = new MLPClassifier({ ...opts, learningRateInit: lr }).fit(Xs, ys);
    const ref = reference(X, ys, still.coefs, still.intercepts, activation, 0.5);
    expect(still.lossCurve[0]).toBeCloseTo(ref.loss, 4);
    const W0 = still.coefs, W1 = moved.coefs;
    let worst = 0, scale = 0;
    for (let l = 0; l < 2; l++) {
      W0[l].forEach((row, k) => row.forEach((w, j) => {
        const g = (w - W1[l][k][j]) / lr;
        worst = Math.max(worst, Math.abs(g - ref.gW[l][k][j]));
        scale = Math.max(scale, Math.abs(ref.gW[l][k][j]));
      }));
      still.intercepts[l].forEach((b, j) => {
        worst = Math.max(worst, Math.abs((b - moved.intercepts[l][j]) / lr - ref.gb[l][j]));
      });
    }
    expect(scale).toBeGreaterThan(0.01);
    expect(worst).toBeLessThan(2e-3 * Math.max(1, scale));
  });
});
