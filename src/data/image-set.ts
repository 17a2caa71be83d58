/**
 * ImageSet: a labelled set of same-sized grey images as typed arrays plus shape, with tensor
 * views in the layouts the documents feed their models (flat 784 vectors, NHWC, one-hot labels).
 */
import * as tf from '@tensorflow/tfjs';
import { toCategorical } from './transforms';

export interface ImageSetInit {
  name: string;
  images: Uint8Array;
  labels: Uint8Array;
  shape: [number, number, number];
  numClasses: number;
  /** The largest pixel value of the format (255 MNIST, 16 for 8x8 digits, 1 for text digits). */
  maxValue: number;
  classNames?: string[];
}

export interface XOptions {
  /** [n, h*w] instead of [n, h, w]. */
  flatten?: boolean;
  /** [n, h, w, 1] (NHWC, for convolutions). Ignored with flatten. */
  channels?: boolean;
  /** Divide by maxValue so values lie in [0, 1] (default true). */
  scale?: boolean;
}

export class ImageSet {
  readonly name: string;
  /** Raw pixels, row-major [n, h, w]. */
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  readonly shape: [number, number, number];
  readonly numClasses: number;
  readonly maxValue: number;
  readonly classNames: string[];

  constructor(init: ImageSetInit) {
    const [n, h, w] = init.shape;
    if (init.images.length !== n * h * w) {
      throw new Error(`${init.name}: images hold ${init.images.length} values, shape [${init.shape}] needs ${n * h * w}`);
    }
    if (init.labels.length !== n) {
      throw new Error(`${init.name}: ${n} images but ${init.labels.length} labels`);
    }
    for (let i = 0; i < n; i++) {
      if (init.labels[i] >= init.numClasses) {
        throw new Error(`${init.name}: label ${i} is ${init.labels[i]}, expected 0–${init.numClasses - 1}`);
      }
    }
    this.name = init.name;
    this.images = init.images;
    this.labels = init.labels;
    this.shape = [n, h, w];
    this.numClasses = init.numClasses;
    this.maxValue = init.maxValue;
    this.classNames = init.classNames ?? Array.from({ length: init.numClasses }, (_, i) => String(i));
  }

  get length(): number {
    return this.shape[0];
  }

  /** Pixels of one image per row: h*w values. */
  get pixelsPerImage(): number {
    return this.shape[1] * this.shape[2];
  }

  /** Pixels as floats, divided by maxValue unless `scale` is false. */
  floats(options: { scale?: boolean } = {}): Float32Array {
    const k = options.scale === false ? 1 : 1 / this.maxValue;
    const out = new Float32Array(this.images.length);
    for (let i = 0; i < out.length; i++) out[i] = this.images[i] * k;
    return out;
  }

  /** The images as a float32 tensor: [n,h,w], [n,h*w] (flatten) or [n,h,w,1] (channels). */
  x(options: XOptions = {}): tf.Tensor {
    const [n, h, w] = this.shape;
    const shape = options.flatten ? [n, h * w] : options.channels ? [n, h, w, 1] : [n, h, w];
    return tf.tensor(this.floats({ scale: options.scale }), shape, 'float32');
  }

  /** The labels: int32 [n], or float32 one-hot [n, numClasses] (Keras' to_categorical). */
  y(options: { oneHot?: boolean } = {}): tf.Tensor {
    if (options.oneHot) {
      return tf.tensor2d(toCategorical(this.labels, this.numClasses), [this.length, this.numClasses]);
    }
    return tf.tensor1d(Int32Array.from(this.labels), 'int32');
  }

  /**
   * One training batch as tensors: images at `indices` (scaled, flattened or NHWC as in `x`)
   * and their labels (one-hot unless `oneHot: false`). The caller disposes them.
   */
  batch(indices: ArrayLike<number>, options: XOptions & { oneHot?: boolean } = {}): { x: tf.Tensor; y: tf.Tensor } {
    const [, h, w] = this.shape;
    const p = h * w;
    const k = options.scale === false ? 1 : 1 / this.maxValue;
    const xs = new Float32Array(indices.length * p);
    const labels = new Int32Array(indices.length);
    for (let j = 0; j < indices.length; j++) {
      const src = this.image(indices[j]);
      for (let q = 0; q < p; q++) xs[j * p + q] = src[q] * k;
      labels[j] = this.labels[indices[j]];
    }
    const n = indices.length;
    const shape = options.flatten ? [n, p] : options.channels ? [n, h, w, 1] : [n, h, w];
    const x = tf.tensor(xs, shape, 'float32');
    const y = options.oneHot === false
      ? tf.tensor1d(labels, 'int32')
      : tf.tensor2d(toCategorical(labels, this.numClasses), [n, this.numClasses]);
    return { x, y };
  }

  /** Pixels of image i (a view, not a copy). */
  image(i: number): Uint8Array {
    if (!Number.isInteger(i) || i < 0 || i >= this.length) {
      throw new RangeError(`${this.name}: image index ${i} outside 0–${this.length - 1}`);
    }
    const p = this.pixelsPerImage;
    return this.images.subarray(i * p, (i + 1) * p);
  }

  /** A new set of the images at `indices`, in that order. */
  subset(indices: ArrayLike<number>, name = `${this.name}[subset]`): ImageSet {
    const p = this.pixelsPerImage;
    const images = new Uint8Array(indices.length * p);
    const labels = new Uint8Array(indices.length);
    for (let j = 0; j < indices.length; j++) {
      images.set(this.image(indices[j]), j * p);
      labels[j] = this.labels[indices[j]];
    }
    return new ImageSet({ ...this.init(), name, images, labels, shape: [indices.length, this.shape[1], this.shape[2]] });
  }

  /** The images from `start` up to (not including) `end`. */
  slice(start: number, end = this.length): ImageSet {
    const s = Math.max(0, start);
    const e = Math.min(this.length, end);
    const p = this.pixelsPerImage;
    return new ImageSet({
      ...this.init(),
      name: `${this.name}[${s}:${e}]`,
      images: this.images.subarray(s * p, e * p),
      labels: this.labels.subarray(s, e),
      shape: [Math.max(0, e - s), this.shape[1], this.shape[2]],
    });
  }

  /** The first n images. */
  take(n: number): ImageSet {
    return this.slice(0, n);
  }

  /** How many images each class has. */
  classCounts(): number[] {
    const c = new Array<number>(this.numClasses).fill(0);
    for (const l of this.labels) c[l]++;
    return c;
  }

  private init(): ImageSetInit {
    return {
      name: this.name,
      images: this.images,
      labels: this.labels,
      shape: this.shape,
      numClasses: this.numClasses,
      maxValue: this.maxValue,
      classNames: this.classNames,
    };
  }
}

/** A data set that comes as a training and a test part. */
export interface TrainTest {
  train: ImageSet;
  test: ImageSet;
}
