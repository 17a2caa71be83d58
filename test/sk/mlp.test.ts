import { describe, it, expect, vi, afterEach } from 'vitest';
import { MLPClassifier } from '../../src/sk/mlp';
import { resolveParams, MLP_DEFAULTS } from '../../src/sk/params';
import { takeRows } from '../../src/sk/split';
import { digitsSplit } from './helpers';

afterEach(() => vi.restoreAllMocks());

describe('MLPClassifier on the 8x8 digits (real training)', () => {
  it('reaches sklearn-level test accuracy with the defaults', () => {
    const { XTrain, yTrain, XTest, yTest } = digitsSplit();
    const model = new MLPClassifier({ randomState: 1 }).fit(XTrain, yTrain);
    const acc = model.score(XTest, yTest);
    expect(acc).toBeGreaterThanOrEqual(0.95);
    expect(model.classes).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Converged by sklearn's rule before max_iter, so no warning and a loss curve per epoch.
    expect(model.converged).toBe(true);
    expect(model.nIter).toBeLessThan(200);
    expect(model.lossCurve).toHaveLength(model.nIter);
    expect(model.warnings).toEqual([]);
  });

  it('gives probabilities whose rows sum to 1 and whose argmax is predict()', () => {
    const { XTrain, yTrain, XTest } = digitsSplit();
    const model = new MLPClassifier({ randomState: 0, maxIter: 30, hiddenLayerSizes: [32] });
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    model.fit(XTrain, yTrain);
    const probs = model.predictProba(XTest);
    const pred = model.predict(XTest);
    expect(probs).toHaveLength(pred.length);
    probs.forEach((row, i) => {
      expect(row).toHaveLength(10);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(row.every((p) => p >= 0 && p <= 1)).toBe(true);
      expect(row.indexOf(Math.max(...row))).toBe(pred[i]);
    });
  });

  it('has a decreasing loss curve that includes the L2 term', () => {
    const { XTrain, yTrain } = digitsSplit();
    const small = new MLPClassifier({ randomState: 3, alpha: 0 }).fit(XTrain, yTrain);
    const c = small.lossCurve;
    expect(c[c.length - 1]).toBeLessThan(c[0] / 10);
    const ups = c.slice(1).filter((v, i) => v > c[i]).length;
    expect(ups).toBeLessThan(c.length / 4);
    // A large alpha keeps a floor under the loss (alpha/2/n * ||W||^2 is part of it).
    const heavy = new MLPClassifier({ randomState: 3, alpha: 10 }).fit(XTrain, yTrain);
    expect(heavy.lossCurve[heavy.nIter - 1]).toBeGreaterThan(c[c.length - 1] + 0.05);
  });

  it('repeats exactly for the same randomState and differs for another', () => {
    const { XTrain, yTrain } = digitsSplit();
    const opts = { maxIter: 5, hiddenLayerSizes: [16] };
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const a = new MLPClassifier({ ...opts, randomState: 7 }).fit(XTrain, yTrain).lossCurve;
    const b = new MLPClassifier({ ...opts, randomState: 7 }).fit(XTrain, yTrain).lossCurve;
    const c = new MLPClassifier({ ...opts, randomState: 8 }).fit(XTrain, yTrain).lossCurve;
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('warns like sklearn when maxIter is reached before convergence', () => {
    const { XTrain, yTrain } = digitsSplit();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const model = new MLPClassifier({ max_iter: 3, random_state: 0 }).fit(XTrain, yTrain);
    expect(model.nIter).toBe(3);
    expect(model.converged).toBe(false);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/ConvergenceWarning: Stochastic Optimizer: Maximum iterations \(3\) reached/);
    expect(model.warnings).toHaveLength(1);
  });

  it('stops early on validation accuracy with earlyStopping', () => {
    const { XTrain, yTrain, XTest, yTest } = digitsSplit();
    const model = new MLPClassifier({ earlyStopping: true, randomState: 0 }).fit(XTrain, yTrain);
    expect(model.validationScores).toHaveLength(model.nIter);
    expect(model.bestValidationScore).toBe(Math.max(...model.validationScores!));
    // Stopping on a 135-sample validation part ends early (sklearn: 0.94–0.97 here), so a looser bar.
    expect(model.score(XTest, yTest)).toBeGreaterThan(0.88);
    expect(model.nIter).toBeLessThan(100);
  });

  it('trains with sgd (Nesterov momentum), tanh, logistic and several hidden layers', () => {
    const { XTrain, yTrain, XTest, yTest } = digitsSplit();
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const sgd = new MLPClassifier({ solver: 'sgd', learningRateInit: 0.01, randomState: 0, maxIter: 60 }).fit(XTrain, yTrain);
    expect(sgd.score(XTest, yTest)).toBeGreaterThan(0.93);
    const tanh = new MLPClassifier({ activation: 'tanh', hiddenLayerSizes: [64, 32], randomState: 0, maxIter: 60 }).fit(XTrain, yTrain);
    expect(tanh.score(XTest, yTest)).toBeGreaterThan(0.93);
    expect(tanh.coefs.map((w) => [w.length, w[0].length])).toEqual([[64, 64], [64, 32], [32, 10]]);
    expect(tanh.intercepts.map((b) => b.length)).toEqual([64, 32, 10]);
    const logistic = new MLPClassifier({ activation: 'logistic', randomState: 0, maxIter: 60 }).fit(XTrain, yTrain);
    expect(logistic.score(XTest, yTest)).toBeGreaterThan(0.93);
  });

  it('handles two classes (one logistic output) and arbitrary label values', () => {
    const { XTrain, yTrain, XTest, yTest } = digitsSplit();
    const pick = (y: number[]) => y.map((v, i) => (v === 3 || v === 8 ? i : -1)).filter((i) => i >= 0);
    const tr = pick(yTrain);
    const te = pick(yTest);
    const model = new MLPClassifier({ randomState: 0 }).fit(takeRows(XTrain, tr), tr.map((i) => (yTrain[i] === 3 ? 30 : 80)));
    expect(model.classes).toEqual([30, 80]);
    expect(model.coefs[1][0]).toHaveLength(1);
    const probs = model.predictProba(takeRows(XTest, te));
    expect(probs[0]).toHaveLength(2);
    expect(probs[0][0] + probs[0][1]).toBeCloseTo(1, 6);
    expect(model.score(takeRows(XTest, te), te.map((i) => (yTest[i] === 3 ? 30 : 80)))).toBeGreaterThan(0.95);
  });
});

describe('MLPClassifier parameters and input checks', () => {
  it('has sklearn defaults and accepts sklearn names', () => {
    expect(MLP_DEFAULTS.hiddenLayerSizes).toEqual([100]);
    expect(MLP_DEFAULTS.activation).toBe('relu');
    expect(MLP_DEFAULTS.alpha).toBe(1e-4);
    expect(MLP_DEFAULTS.learningRateInit).toBe(1e-3);
    expect(MLP_DEFAULTS.nIterNoChange).toBe(10);
    const p = resolveParams({ hidden_layer_sizes: 50, learning_rate_init: 0.01, beta_1: 0.8, n_iter_no_change: 5 });
    expect(p.hiddenLayerSizes).toEqual([50]);
    expect(p.learningRateInit).toBe(0.01);
    expect(p.beta1).toBe(0.8);
    expect(p.nIterNoChange).toBe(5);
  });

  it('rejects bad parameters with messages that name the field', () => {
    expect(() => new MLPClassifier({ activation: 'sigmoid' as never })).toThrow(/activation must be one of 'identity', 'logistic', 'tanh', 'relu', got "sigmoid"/);
    expect(() => new MLPClassifier({ hiddenLayerSizes: [10, 0] })).toThrow(/hiddenLayerSizes \(hidden_layer_sizes\) must be/);
    expect(() => new MLPClassifier({ learning_rat: 0.1 })).toThrow(/unknown parameter "learning_rat"/);
    expect(() => new MLPClassifier({ solver: 'lbfgs' as never })).toThrow(/lbfgs/);
    expect(() => new MLPClassifier({ maxIter: 0 })).toThrow(/maxIter \(max_iter\) must be an integer >= 1/);
    expect(() => new MLPClassifier({ alpha: -1 })).toThrow(/alpha must be a number >= 0/);
  });

  it('rejects bad data and use before fit', () => {
    const m = new MLPClassifier({ maxIter: 1 });
    expect(() => m.predict([[1, 2]])).toThrow(/not fitted yet/);
    expect(() => m.fit([[1, 2], [3, NaN]], [0, 1])).toThrow(/X\[1\]\[1\] is NaN, expected a finite number/);
    expect(() => m.fit([[1, 2], [3]], [0, 1])).toThrow(/X row 1 has 1 values, expected 2/);
    expect(() => m.fit([[1, 2], [3, 4]], [0])).toThrow(/y has 1 labels but X has 2 samples/);
    expect(() => m.fit([[1, 2], [3, 4]], [1, 1])).toThrow(/y has 1 class, expected at least 2/);
    expect(() => m.fit({ data: [1, 2, 3], shape: [2, 2] }, [0, 1])).toThrow(/shape \[2,2\] does not match its 3 values/);
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    m.fit([[1, 2], [3, 4]], [0, 1]);
    expect(() => m.predict([[1, 2, 3]])).toThrow(/X has 3 features, but MLPClassifier was fitted with 2/);
  });
});
