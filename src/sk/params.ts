/**
 * MLPClassifier's hyperparameters: scikit-learn's names and defaults, accepted in camelCase or
 * in sklearn's snake_case (`hidden_layer_sizes`), validated with messages naming the field.
 */

export type Activation = 'identity' | 'logistic' | 'tanh' | 'relu';
export type Solver = 'adam' | 'sgd';
export type LearningRate = 'constant' | 'invscaling' | 'adaptive';

export interface MLPParams {
  hiddenLayerSizes: number[];
  activation: Activation;
  solver: Solver;
  /** L2 penalty; the loss adds alpha/2/n_batch * sum of squared weights. */
  alpha: number;
  /** 'auto' = min(200, n_samples). */
  batchSize: number | 'auto';
  /** sgd only. */
  learningRate: LearningRate;
  learningRateInit: number;
  /** sgd with invscaling only. */
  powerT: number;
  maxIter: number;
  shuffle: boolean;
  /** Seed of init, shuffling and the early-stopping split; null draws one from Math.random (lab.seed). */
  randomState: number | null;
  tol: number;
  verbose: boolean;
  momentum: number;
  nesterovsMomentum: boolean;
  earlyStopping: boolean;
  validationFraction: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  nIterNoChange: number;
}

/** The options object: any subset, by camelCase or snake_case name. */
export type MLPOptions = Partial<MLPParams> & { [sklearnName: string]: unknown };

export const MLP_DEFAULTS: Readonly<MLPParams> = Object.freeze({
  hiddenLayerSizes: [100],
  activation: 'relu',
  solver: 'adam',
  alpha: 1e-4,
  batchSize: 'auto',
  learningRate: 'constant',
  learningRateInit: 1e-3,
  powerT: 0.5,
  maxIter: 200,
  shuffle: true,
  randomState: null,
  tol: 1e-4,
  verbose: false,
  momentum: 0.9,
  nesterovsMomentum: true,
  earlyStopping: false,
  validationFraction: 0.1,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
  nIterNoChange: 10,
} as MLPParams);

const SNAKE: Record<string, keyof MLPParams> = {
  hidden_layer_sizes: 'hiddenLayerSizes',
  batch_size: 'batchSize',
  learning_rate: 'learningRate',
  learning_rate_init: 'learningRateInit',
  power_t: 'powerT',
  max_iter: 'maxIter',
  random_state: 'randomState',
  nesterovs_momentum: 'nesterovsMomentum',
  early_stopping: 'earlyStopping',
  validation_fraction: 'validationFraction',
  beta_1: 'beta1',
  beta_2: 'beta2',
  n_iter_no_change: 'nIterNoChange',
};

function fail(field: string, expected: string, got: unknown): never {
  throw new Error(`MLPClassifier: ${field} must be ${expected}, got ${JSON.stringify(got)}`);
}

function oneOf<T extends string>(field: string, v: unknown, options: readonly T[]): T {
  if (typeof v !== 'string' || !options.includes(v as T)) fail(field, `one of ${options.map((o) => `'${o}'`).join(', ')}`, v);
  return v as T;
}

function num(field: string, v: unknown, ok: (x: number) => boolean, expected: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) fail(field, expected, v);
  return v;
}

function int(field: string, v: unknown, min: number): number {
  return num(field, v, (x) => Number.isInteger(x) && x >= min, `an integer >= ${min}`);
}

function bool(field: string, v: unknown): boolean {
  if (typeof v !== 'boolean') fail(field, 'true or false', v);
  return v;
}

/** Merge options over the defaults, mapping sklearn names and checking every value. */
export function resolveParams(options: MLPOptions = {}): MLPParams {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    const name = SNAKE[key] ?? key;
    if (!(name in MLP_DEFAULTS)) {
      const names = Object.keys(MLP_DEFAULTS).join(', ');
      throw new Error(`MLPClassifier: unknown parameter "${key}"; expected one of ${names} (or their sklearn snake_case names)`);
    }
    if (name in raw && SNAKE[key]) throw new Error(`MLPClassifier: parameter ${name} given twice (as ${name} and ${key})`);
    raw[name] = value;
  }
  const p = { ...MLP_DEFAULTS, ...raw } as Record<keyof MLPParams, unknown>;
  const hls = typeof p.hiddenLayerSizes === 'number' ? [p.hiddenLayerSizes] : p.hiddenLayerSizes;
  if (!Array.isArray(hls) || hls.some((h) => !Number.isInteger(h) || h < 1)) {
    fail('hiddenLayerSizes (hidden_layer_sizes)', 'a positive integer or an array of positive integers', p.hiddenLayerSizes);
  }
  if (p.solver === 'lbfgs') {
    throw new Error("MLPClassifier: solver 'lbfgs' is not implemented here; expected 'adam' or 'sgd'");
  }
  if (p.batchSize !== 'auto') int('batchSize (batch_size)', p.batchSize, 1);
  if (p.randomState !== null) int('randomState (random_state)', p.randomState, 0);
  return {
    hiddenLayerSizes: [...(hls as number[])],
    activation: oneOf('activation', p.activation, ['identity', 'logistic', 'tanh', 'relu'] as const),
    solver: oneOf('solver', p.solver, ['adam', 'sgd'] as const),
    alpha: num('alpha', p.alpha, (x) => x >= 0, 'a number >= 0'),
    batchSize: p.batchSize as number | 'auto',
    learningRate: oneOf('learningRate (learning_rate)', p.learningRate, ['constant', 'invscaling', 'adaptive'] as const),
    learningRateInit: num('learningRateInit (learning_rate_init)', p.learningRateInit, (x) => x > 0, 'a number > 0'),
    powerT: num('powerT (power_t)', p.powerT, (x) => x >= 0, 'a number >= 0'),
    maxIter: int('maxIter (max_iter)', p.maxIter, 1),
    shuffle: bool('shuffle', p.shuffle),
    randomState: p.randomState as number | null,
    tol: num('tol', p.tol, (x) => x >= 0, 'a number >= 0'),
    verbose: bool('verbose', p.verbose),
    momentum: num('momentum', p.momentum, (x) => x >= 0 && x <= 1, 'a number in [0, 1]'),
    nesterovsMomentum: bool('nesterovsMomentum (nesterovs_momentum)', p.nesterovsMomentum),
    earlyStopping: bool('earlyStopping (early_stopping)', p.earlyStopping),
    validationFraction: num('validationFraction (validation_fraction)', p.validationFraction, (x) => x >= 0 && x < 1, 'a number in [0, 1)'),
    beta1: num('beta1 (beta_1)', p.beta1, (x) => x >= 0 && x < 1, 'a number in [0, 1)'),
    beta2: num('beta2 (beta_2)', p.beta2, (x) => x >= 0 && x < 1, 'a number in [0, 1)'),
    epsilon: num('epsilon', p.epsilon, (x) => x > 0, 'a number > 0'),
    nIterNoChange: p.nIterNoChange === Infinity ? Infinity : int('nIterNoChange (n_iter_no_change)', p.nIterNoChange, 1),
  };
}
