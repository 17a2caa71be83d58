/** MNIST in Keras' `mnist.npz` layout (x_train uint8 [60000,28,28], y_train [60000], x_test, y_test). */
import { ImageSet, TrainTest } from './image-set';
import { loadNpz, saveNpz } from '../io/npz';
import type { NpyArray } from '../io/npy';

function images(arrays: Record<string, NpyArray>, key: string, file: string): NpyArray & { shape: [number, number, number] } {
  const a = arrays[key];
  if (!a) throw new Error(`${file}: no array "${key}" (expected Keras' mnist.npz keys x_train, y_train, x_test, y_test; found ${Object.keys(arrays).join(', ') || 'none'})`);
  if (a.dtype !== 'uint8') throw new Error(`${file}: ${key} is ${a.dtype}; expected uint8 pixels 0–255`);
  if (a.shape.length !== 3) throw new Error(`${file}: ${key} has shape [${a.shape}]; expected [n, height, width]`);
  return a as NpyArray & { shape: [number, number, number] };
}

function labels(arrays: Record<string, NpyArray>, key: string, n: number, file: string): Uint8Array {
  const a = arrays[key];
  if (!a) throw new Error(`${file}: no array "${key}" (expected Keras' mnist.npz keys x_train, y_train, x_test, y_test)`);
  if (a.shape.length !== 1 || a.shape[0] !== n) throw new Error(`${file}: ${key} has shape [${a.shape}]; expected [${n}] to match the images`);
  if (a.dtype === 'uint8') return a.data as Uint8Array;
  if (a.dtype === 'float32' || a.dtype === 'float64') throw new Error(`${file}: ${key} is ${a.dtype}; expected integer labels 0–9`);
  // Other integer dtypes (np.savez of int64 labels): copy, checking the range.
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = Number(a.data[i]);
    if (v < 0 || v > 255) throw new Error(`${file}: ${key}[${i}] is ${v}; expected a label 0–9`);
    out[i] = v;
  }
  return out;
}

/** Load Keras' `mnist.npz` (or any .npz with the same four arrays) as ImageSets. */
export function mnistNpz(file: string): TrainTest {
  const arrays = loadNpz(file);
  const part = (x: string, y: string, name: string) => {
    const im = images(arrays, x, file);
    return new ImageSet({
      name,
      images: im.data as Uint8Array,
      labels: labels(arrays, y, im.shape[0], file),
      shape: im.shape,
      numClasses: 10,
      maxValue: 255,
    });
  };
  return { train: part('x_train', 'y_train', `${file}/train`), test: part('x_test', 'y_test', `${file}/test`) };
}

/** Write a train/test pair as an .npz in Keras' mnist.npz layout (uint8), atomically. */
export function saveMnistNpz(file: string, sets: TrainTest): void {
  const arr = (s: ImageSet) => ({ data: s.images, shape: [...s.shape], dtype: 'uint8' as const });
  const lab = (s: ImageSet) => ({ data: s.labels, shape: [s.length], dtype: 'uint8' as const });
  saveNpz(file, { x_train: arr(sets.train), y_train: lab(sets.train), x_test: arr(sets.test), y_test: lab(sets.test) });
}
