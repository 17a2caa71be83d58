import { digits8x8 } from '../../src/data/digits8x8';
import { fromImageSet } from '../../src/sk/matrix';
import { trainTestSplit, type TrainTestSplit } from '../../src/sk/split';

let cached: TrainTestSplit | null = null;

/** The 8x8 digits, raw 0–16 like sklearn's load_digits().data, split 75/25 stratified (seed 0). */
export function digitsSplit(): TrainTestSplit {
  if (!cached) {
    const { X, y } = fromImageSet(digits8x8());
    cached = trainTestSplit(X, y, { testSize: 0.25, randomState: 0 });
  }
  return cached;
}
