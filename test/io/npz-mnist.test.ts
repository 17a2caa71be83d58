import { describe, it, expect, beforeAll } from 'vitest';
import * as path from 'path';
import { mnistNpz, saveMnistNpz } from '../../src/data/npz-mnist';
import { saveNpz } from '../../src/io/npz';
import { ImageSet } from '../../src/data/image-set';
import { py, pythonCheck, tmpDir } from './helpers';

let dir: string;
beforeAll(() => {
  dir = tmpDir('mnistnpz');
});

function tinySet(n: number, name: string, offset: number): ImageSet {
  const images = new Uint8Array(n * 28 * 28);
  for (let i = 0; i < images.length; i++) images[i] = (i * 7 + offset) % 256;
  const labels = Uint8Array.from({ length: n }, (_, i) => (i + offset) % 10);
  return new ImageSet({ name, images, labels, shape: [n, 28, 28], numClasses: 10, maxValue: 255 });
}

describe('mnistNpz / saveMnistNpz', () => {
  it('round-trips a train/test pair in Keras layout', () => {
    const file = path.join(dir, 'own.npz');
    const train = tinySet(12, 't', 3);
    const test = tinySet(5, 'v', 1);
    saveMnistNpz(file, { train, test });
    const back = mnistNpz(file);
    expect(back.train.shape).toEqual([12, 28, 28]);
    expect(back.test.length).toBe(5);
    expect(back.train.images).toEqual(train.images);
    expect(Array.from(back.test.labels)).toEqual(Array.from(test.labels));
    expect(back.train.maxValue).toBe(255);
    expect(back.train.name).toBe(`${file}/train`);
  });
  it('names the file, the array and what was expected when the layout is wrong', () => {
    const f1 = path.join(dir, 'nokey.npz');
    saveNpz(f1, { x_train: { data: new Uint8Array(784), shape: [1, 28, 28] } });
    expect(() => mnistNpz(f1)).toThrow(/nokey\.npz: no array "y_train" \(expected Keras' mnist\.npz keys/);
    const f2 = path.join(dir, 'float.npz');
    saveNpz(f2, { x_train: { data: new Float32Array(784), shape: [1, 28, 28] }, y_train: { data: new Uint8Array(1), shape: [1] } });
    expect(() => mnistNpz(f2)).toThrow(/float\.npz: x_train is float32; expected uint8 pixels 0–255/);
    const f3 = path.join(dir, 'count.npz');
    saveNpz(f3, {
      x_train: { data: new Uint8Array(784 * 2), shape: [2, 28, 28] },
      y_train: { data: new Uint8Array(3), shape: [3] },
      x_test: { data: new Uint8Array(784), shape: [1, 28, 28] },
      y_test: { data: new Uint8Array(1), shape: [1] },
    });
    expect(() => mnistNpz(f3)).toThrow(/count\.npz: y_train has shape \[3\]; expected \[2\] to match the images/);
    const f4 = path.join(dir, 'label.npz');
    saveNpz(f4, {
      x_train: { data: new Uint8Array(784), shape: [1, 28, 28] },
      y_train: { data: Uint8Array.from([12]), shape: [1] },
      x_test: { data: new Uint8Array(784), shape: [1, 28, 28] },
      y_test: { data: new Uint8Array(1), shape: [1] },
    });
    expect(() => mnistNpz(f4)).toThrow(/label\.npz\/train: label 0 is 12, expected 0–9/);
  });
});

const pyState = pythonCheck();
describe.skipIf(!pyState.ok)('Keras-layout mnist.npz written by numpy', () => {
  it('loads a tiny mnist.npz made the way Keras ships it (np.savez, uint8) and one with int64 labels', () => {
    const file = path.join(dir, 'mnist.npz');
    const file64 = path.join(dir, 'mnist64.npz');
    const out = py([
      '-c',
      `import numpy as np, json
rng = np.random.default_rng(0)
x_train = rng.integers(0, 256, (30, 28, 28), dtype=np.uint8)
y_train = rng.integers(0, 10, 30).astype(np.uint8)
x_test = rng.integers(0, 256, (7, 28, 28), dtype=np.uint8)
y_test = rng.integers(0, 10, 7).astype(np.uint8)
np.savez('${file}', x_test=x_test, x_train=x_train, y_train=y_train, y_test=y_test)
np.savez_compressed('${file64}', x_test=x_test, x_train=x_train, y_train=y_train.astype(np.int64), y_test=y_test.astype(np.int64))
print(json.dumps({'sum': int(x_train.astype(np.int64).sum()), 'px': int(x_test[6, 27, 27]), 'y_train': y_train.tolist(), 'y_test': y_test.tolist()}))`,
    ]);
    const want = JSON.parse(out) as { sum: number; px: number; y_train: number[]; y_test: number[] };
    for (const f of [file, file64]) {
      const { train, test } = mnistNpz(f);
      expect(train.shape).toEqual([30, 28, 28]);
      expect(test.shape).toEqual([7, 28, 28]);
      expect(train.images.reduce((s, v) => s + v, 0)).toBe(want.sum);
      expect(test.image(6)[27 * 28 + 27]).toBe(want.px);
      expect(Array.from(train.labels)).toEqual(want.y_train);
      expect(Array.from(test.labels)).toEqual(want.y_test);
    }
  });
  it('numpy reads what saveMnistNpz writes with Keras\' keys, dtypes and shapes', () => {
    const file = path.join(dir, 'ours.npz');
    saveMnistNpz(file, { train: tinySet(4, 'a', 0), test: tinySet(2, 'b', 5) });
    const out = py(['-c', `import numpy as np, json\nd = np.load('${file}')\nprint(json.dumps({k: [str(d[k].dtype), list(d[k].shape)] for k in sorted(d.files)}))`]);
    expect(JSON.parse(out)).toEqual({
      x_test: ['uint8', [2, 28, 28]],
      x_train: ['uint8', [4, 28, 28]],
      y_test: ['uint8', [2]],
      y_train: ['uint8', [4]],
    });
  });
});
