import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import * as plot from '../../src/plot';
import { glyph, textWidth } from '../../src/plot/font5x7';

interface Png {
  width: number;
  height: number;
  data: Uint8Array;
  channels: number;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { decode } = require('fast-png') as { decode(b: Uint8Array): Png };

function rgbAt(p: Png, x: number, y: number): [number, number, number] {
  const o = (y * p.width + x) * p.channels;
  return [p.data[o], p.data[o + 1], p.data[o + 2]];
}

function countRed(p: Png): number {
  let n = 0;
  for (let y = 0; y < p.height; y++) for (let x = 0; x < p.width; x++) {
    const [r, g, b] = rgbAt(p, x, y);
    if (r > 180 && g < 80 && b < 80) n++;
  }
  return n;
}

/** n images of h×w: image i is a vertical bar at column i % w, value `top`. */
function bars(n: number, h: number, w: number, top: number): Uint8Array {
  const a = new Uint8Array(n * h * w);
  for (let i = 0; i < n; i++) for (let r = 0; r < h; r++) a[i * h * w + r * w + (i % w)] = top;
  return a;
}

describe('imageGrid', () => {
  it('scales 28x28, 8x8 (0..16) and 32x32 (0/1) to tiles of similar size, crisply', () => {
    for (const [h, top] of [[28, 255], [8, 16], [32, 1]] as const) {
      const set = { images: bars(6, h, h, top), shape: [6, h, h], labels: new Uint8Array([0, 1, 2, 3, 4, 5]) };
      const png = plot.imageGrid(set, { cols: 3 });
      expect(png).toBeInstanceOf(Uint8Array);
      const img = decode(png!);
      const scale = Math.round(56 / h);
      // 3 columns of (tile + padding), 2 rows of (tile + caption + padding).
      expect(img.width).toBeGreaterThanOrEqual(3 * h * scale);
      expect(img.height).toBeGreaterThanOrEqual(2 * h * scale);
      // Nearest neighbour: image 0's bright column 0 is a scale-wide block of pure white,
      // and the next pixel column is pure black (no smoothing).
      const cellW = img.width / 3;
      const x0 = Math.floor((cellW - h * scale) / 2);
      const y0 = 4;
      for (let dx = 0; dx < scale; dx++) expect(rgbAt(img, x0 + dx, y0 + 3)).toEqual([255, 255, 255]);
      expect(rgbAt(img, x0 + scale, y0 + 3)).toEqual([0, 0, 0]);
      expect(countRed(img)).toBe(0);
    }
  });

  it('marks wrong predictions in red and leaves right ones black', () => {
    const images = { data: bars(4, 8, 8, 16), shape: [4, 8, 8], maxValue: 16 };
    const allRight = decode(plot.imageGrid(images, { labels: [1, 2, 3, 4], predictions: [1, 2, 3, 4], cols: 4 })!);
    const oneWrong = decode(plot.imageGrid(images, { labels: [1, 2, 3, 4], predictions: [1, 2, 7, 4], cols: 4 })!);
    expect(countRed(allRight)).toBe(0);
    const red = countRed(oneWrong);
    expect(red).toBeGreaterThan(100);
    // The red is all in the third cell.
    const cellW = oneWrong.width / 4;
    for (let y = 0; y < oneWrong.height; y++) for (let x = 0; x < oneWrong.width; x++) {
      const [r, g, b] = rgbAt(oneWrong, x, y);
      if (r > 180 && g < 80 && b < 80) expect(Math.floor(x / cellW)).toBe(2);
    }
  });

  it('accepts tensors ([n,784], [n,h,w,1]), float arrays with shape and class names', () => {
    const flat = tf.tidy(() => tf.randomUniform([5, 784], 0, 1, 'float32', 1));
    const nhwc = flat.reshape([5, 28, 28, 1]);
    const a = decode(plot.imageGrid(flat, { cols: 5 })!);
    const b = decode(plot.imageGrid(nhwc, { cols: 5 })!);
    expect(a.width).toBe(b.width);
    expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(true);
    const f = new Float32Array(flat.dataSync());
    const c = decode(plot.imageGrid(f, { shape: [5, 28, 28], cols: 5 })!);
    expect(Buffer.from(c.data).equals(Buffer.from(a.data))).toBe(true);
    const named = plot.imageGrid(f, { shape: [5, 28, 28], labels: [0, 1, 2, 3, 4], classNames: ['A', 'B', 'C', 'D', 'E'] });
    expect(decode(named!).height).toBeGreaterThan(a.height);
    // 64 flattened 8x8 images look like one 64x64 image unless the shape says otherwise.
    const sq = tf.tidy(() => tf.zeros([64, 64]));
    expect(decode(plot.imageGrid(sq, { cols: 8, scale: 1 })!).width).toBeLessThan(80);
    const grid = decode(plot.imageGrid(sq, { cols: 8, scale: 1, shape: [64, 8, 8] })!);
    const row = decode(plot.imageGrid({ data: new Uint8Array(8 * 64), shape: [8, 8, 8] }, { cols: 8, scale: 1 })!);
    expect(grid.width).toBe(row.width);
    expect(grid.height).toBe(8 * row.height);
    expect(() => plot.imageGrid(sq, { shape: [10, 8, 8] })).toThrow(/needs 640 values, the tensor has 4096/);
    tf.dispose([flat, nhwc, sq]);
  });

  it('explains bad input', () => {
    expect(() => plot.imageGrid(new Uint8Array(10))).toThrow(/needs options.shape/);
    expect(() => plot.imageGrid({ data: new Uint8Array(10), shape: [2, 8, 8] })).toThrow(/10 values.*needs 128/);
    expect(() => plot.imageGrid({ data: new Uint8Array(6), shape: [6] })).toThrow(/not images/);
    expect(() => plot.imageGrid({ data: bars(2, 8, 8, 16), shape: [2, 8, 8] }, { labels: [1] })).toThrow(/labels has 1 entries, expected 2/);
  });
});

describe('5x7 font', () => {
  it('has distinct digit glyphs and falls back to "?"', () => {
    const digits = '0123456789'.split('').map((d) => glyph(d).join(','));
    expect(new Set(digits).size).toBe(10);
    expect(glyph('§')).toEqual(glyph('?'));
    expect(textWidth('7→1')).toBe(17);
  });
});

describe('misclassified, filters, feature maps', () => {
  it('finds exactly the wrong predictions of a model', () => {
    const x = tf.tidy(() => tf.randomUniform([20, 64], 0, 16, 'float32', 2));
    const y = Array.from({ length: 20 }, (_, i) => i % 10);
    // A "model" that predicts i % 10 except for examples 3 and 11.
    const model: plot.Predictor = {
      predict: (xb) => {
        // Batches arrive in order, so a running cursor knows which examples these are.
        return tf.oneHot(tf.tensor1d(next(xb.shape[0]), 'int32'), 10);
      },
    };
    let cursor = 0;
    const next = (n: number): number[] => Array.from({ length: n }, () => {
      const i = cursor++;
      return i === 3 || i === 11 ? (i + 1) % 10 : i % 10;
    });
    const before = tf.memory().numTensors;
    const r = plot.misclassified(model, x, y, { batchSize: 8 });
    expect(tf.memory().numTensors).toBe(before);
    expect(r!.errors).toBe(2);
    expect(r!.total).toBe(20);
    expect(r!.indices).toEqual([3, 11]);
    expect(decode(r!.png).width).toBeGreaterThan(0);
    x.dispose();
  });

  it('draws conv filters and feature maps without leaking tensors', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 6, kernelSize: 5, name: 'c1' }),
        tf.layers.maxPooling2d({ poolSize: 2, name: 'p1' }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 10, name: 'out' }),
      ],
    });
    const before = tf.memory().numTensors;
    const f = decode(plot.filters(model.getLayer('c1'))!);
    expect(f.width).toBeGreaterThan(6 * 5);
    const img = new Float32Array(784).map((_, i) => (i % 28) / 28);
    const maps = decode(plot.featureMaps(model, 'p1', img)!);
    expect(maps.width).toBeGreaterThan(0);
    expect(() => plot.featureMaps(model, 'out', img)).toThrow(/layer "out" outputs shape \[1,10\]; expected a 4-D/);
    expect(() => plot.featureMaps(model, 'c1', new Float32Array(10))).toThrow(/10 values.*needs 784/);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
