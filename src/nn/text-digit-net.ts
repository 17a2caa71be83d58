/**
 * Document 001's from-scratch net for the 32x32 text digits: 1024-16-16-10, sigmoid on every
 * layer, loss ½Σ(y − t)², per-sample SGD with lr 0.01, weights and biases drawn with randn.
 * `init` switches to the document's comparison (rand in [0,1), all zeros, all ones).
 */
import type { DType } from '../nd';
import { Network, type InitKind } from './network';

export interface TextDigitNetOptions {
  /** How weights and biases start (default randn, the document's working choice). */
  init?: InitKind;
  /** Hidden layer sizes (default [16, 16]). */
  hidden?: number[];
  inputSize?: number;
  rng?: () => number;
  dtype?: DType;
}

/** The document's learning rate. */
export const TEXT_DIGIT_LR = 0.01;

export function textDigitNet(options: TextDigitNetOptions = {}): Network {
  const init = options.init ?? 'randn';
  const hidden = options.hidden ?? [16, 16];
  return new Network({
    name: `TextDigitNet(${init})`,
    inputSize: options.inputSize ?? 1024,
    layers: [...hidden.map((units) => ({ units, activation: 'sigmoid' as const })), { units: 10, activation: 'sigmoid' }],
    loss: 'mse',
    init: { weights: init, biases: init },
    rng: options.rng,
    dtype: options.dtype,
  });
}
