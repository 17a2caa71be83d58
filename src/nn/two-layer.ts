/**
 * Document 004's TwoLayerNet: inputs → sigmoid hidden layer → softmax, cross-entropy loss,
 * weights `np.random.randn` (standard normal, unscaled, as the document writes it), biases zero.
 * Parameters are named w1, b1, w2, b2 as in the document.
 */
import type { NdArray, DType } from '../nd';
import { Network, type Gradients, type Targets } from './network';

export interface TwoLayerNetOptions {
  /** Multiply the randn weights by this (default 1, the document's choice); or [w1 factor, w2 factor]. */
  weightScale?: number | number[];
  rng?: () => number;
  dtype?: DType;
}

export class TwoLayerNet extends Network {
  constructor(inputSize: number, hiddenSize: number, outputSize: number, options: TwoLayerNetOptions = {}) {
    super({
      name: 'TwoLayerNet',
      inputSize,
      layers: [
        { units: hiddenSize, activation: 'sigmoid' },
        { units: outputSize, activation: 'softmax' },
      ],
      loss: 'crossEntropy',
      init: { weights: 'randn', biases: 'zeros', weightScale: options.weightScale ?? 1 },
      rng: options.rng,
      dtype: options.dtype,
      paramNames: [
        ['w1', 'b1'],
        ['w2', 'b2'],
      ],
    });
  }

  /**
   * Document 004's `train`: one mini-batch step, by numerical gradients when `numerical` is set
   * (2 forward passes per parameter) or by backpropagation. Returns the loss and the gradients.
   */
  train(x: NdArray, t: Targets, lr = 0.1, options: { numerical?: boolean } = {}): { loss: number; grads: Gradients } {
    if (options.numerical) {
      const grads = this.numericalGradient(x, t);
      this.applyGradients(grads, lr);
      return { loss: this.lossOn(x, t), grads };
    }
    const { loss, grads } = this.gradient(x, t);
    this.applyGradients(grads, lr);
    return { loss, grads };
  }

  /** Forward passes one numerical-gradient step costs: 2 per weight and bias. */
  forwardPassesPerNumericalStep(): number {
    return 2 * this.countParams();
  }
}
