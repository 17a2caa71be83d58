/** sklearn's train_test_split on (X, y), with the index split from lab.data.stratifiedSplit. */
import { stratifiedSplit } from '../data/transforms';
import { toMatrix, type FlatMatrix, type MatrixLike } from './matrix';

export interface TrainTestSplitOptions {
  /** Fraction (0–1) or count of test samples (default 0.25, as sklearn). */
  testSize?: number;
  /** Keep class proportions in both parts (default true; sklearn needs stratify=y for this). */
  stratify?: boolean;
  /** Seed of the split (default 0). */
  randomState?: number;
}

export interface TrainTestSplit {
  XTrain: FlatMatrix;
  XTest: FlatMatrix;
  yTrain: number[];
  yTest: number[];
  /** Row indices of each part in the original X (sorted), e.g. to show misclassified images. */
  trainIndex: Int32Array;
  testIndex: Int32Array;
}

/** Rows of X at `idx` as a flat matrix. */
export function takeRows(X: MatrixLike, idx: ArrayLike<number>): FlatMatrix {
  const M = toMatrix(X, 'takeRows');
  const data = new Float32Array(idx.length * M.cols);
  for (let i = 0; i < idx.length; i++) {
    const r = idx[i];
    if (!Number.isInteger(r) || r < 0 || r >= M.rows) throw new RangeError(`takeRows: index ${r} outside 0–${M.rows - 1}`);
    data.set(M.data.subarray(r * M.cols, (r + 1) * M.cols), i * M.cols);
  }
  return { data, shape: [idx.length, M.cols] };
}

/** Split X and y into train and test parts (stratified by y unless stratify is false). */
export function trainTestSplit(X: MatrixLike, y: ArrayLike<number>, options: TrainTestSplitOptions = {}): TrainTestSplit {
  const n = toMatrix(X, 'trainTestSplit').rows;
  if (y.length !== n) throw new Error(`trainTestSplit: y has ${y.length} labels but X has ${n} samples`);
  const { train, test } = stratifiedSplit(y, { testSize: options.testSize ?? 0.25, seed: options.randomState ?? 0, stratify: options.stratify ?? true });
  return {
    XTrain: takeRows(X, train),
    XTest: takeRows(X, test),
    yTrain: Array.from(train, (i) => y[i]),
    yTest: Array.from(test, (i) => y[i]),
    trainIndex: train,
    testIndex: test,
  };
}
