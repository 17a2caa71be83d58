/** Seconds per epoch of `model.fit`, for the closing tables of the notebooks. */
import * as tf from '@tensorflow/tfjs';

export interface EpochTimer {
  /** Pass in `fit`'s callbacks list. */
  callback: tf.CustomCallback;
  /** Wall-clock seconds of each finished epoch (training plus validation). */
  readonly seconds: number[];
  /** Mean of `seconds` (NaN before the first epoch ends). */
  mean(): number;
}

export function epochTimer(): EpochTimer {
  const seconds: number[] = [];
  let start = 0;
  const callback = new tf.CustomCallback({
    onEpochBegin: async () => {
      start = performance.now();
    },
    onEpochEnd: async () => {
      seconds.push((performance.now() - start) / 1000);
    },
  });
  return { callback, seconds, mean: () => seconds.reduce((a, b) => a + b, 0) / seconds.length };
}
