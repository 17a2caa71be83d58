/** Counting live tensors across training steps, to show a loop frees what it makes. */
import * as tf from '@tensorflow/tfjs';

export interface LeakSample {
  step: number;
  numTensors: number;
}

export interface LeakMeter {
  /** Record `tf.memory().numTensors` after `step`. */
  sample(step: number): void;
  readonly samples: readonly LeakSample[];
  /** Tensors gained per step between the first and the last sample (0 for a clean loop). */
  leakedPerStep(): number;
}

/** A meter to call after steps of a loop; compare its first and last readings. */
export function leakMeter(): LeakMeter {
  const samples: LeakSample[] = [];
  return {
    samples,
    sample(step: number) {
      samples.push({ step, numTensors: tf.memory().numTensors });
    },
    leakedPerStep() {
      if (samples.length < 2) return 0;
      const a = samples[0];
      const b = samples[samples.length - 1];
      return b.step === a.step ? 0 : (b.numTensors - a.numTensors) / (b.step - a.step);
    },
  };
}
