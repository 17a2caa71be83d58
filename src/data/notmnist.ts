/** The notMNIST sample shipped in data/notmnist: 10,000 letters A–J, split by a seeded shuffle. */
import * as path from 'path';
import { idx } from './idx';
import { dataDir } from './files';
import { stratifiedSplit } from './transforms';
import type { TrainTest } from './image-set';

export const NOTMNIST_CLASSES = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J'];

export interface NotMnistOptions {
  /** Seed of the train/test split (default 0). */
  seed?: number;
  /** Size of the test part (default 2000 of 10,000). */
  testSize?: number;
}

/** notMNIST letters (label 0 = A … 9 = J), 8,000 train / 2,000 test by default, stratified. */
export function notMnist(options: NotMnistOptions = {}): TrainTest {
  const d = path.join(dataDir(), 'notmnist');
  const all = idx(path.join(d, 't10k-images-idx3-ubyte.gz'), path.join(d, 't10k-labels-idx1-ubyte.gz'), {
    name: 'notmnist',
    classNames: NOTMNIST_CLASSES,
  });
  const { train, test } = stratifiedSplit(all.labels, { testSize: options.testSize ?? 2000, seed: options.seed ?? 0 });
  return { train: all.subset(train, 'notmnist/train'), test: all.subset(test, 'notmnist/test') };
}
