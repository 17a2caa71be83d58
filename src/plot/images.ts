/**
 * Images as PNG grids: digits with true/predicted captions (wrong ones in red), conv filters and
 * feature maps. Inputs may be an ImageSet (or anything shaped like one), a typed array plus shape,
 * or a tf.Tensor; 28x28 (0..255), 8x8 (0..16) and 32x32 (0/1) all come out the same size.
 */
import * as tf from '@tensorflow/tfjs';
import { predictClasses } from '../train/evaluate';
import { displayData, inKernel } from '../notebook/display';
import { textWidth } from './font5x7';
import { GREY, BLACK, RED, Raster, type Colormap } from './raster';

/** An ImageSet or anything with the same fields (`lab.data` sets are one). */
export interface ImageSetLike {
  images: ArrayLike<number>;
  shape: readonly number[];
  maxValue?: number;
  labels?: ArrayLike<number>;
  classNames?: readonly string[];
}

/** Raw pixels with their shape: [n,h,w], [n,h,w,1], [n,h*w] (square), [h,w]. */
export interface PixelArray {
  data: ArrayLike<number>;
  shape: readonly number[];
  maxValue?: number;
}

export type ImagesInput = ImageSetLike | PixelArray | tf.Tensor | Uint8Array | Float32Array;

/** How pixel values map to black..white. */
export type ValueRange =
  /** [0, maxValue]: the set's maxValue, else 1, 16 or 255 from the data's largest value. */
  | 'auto'
  /** Each image stretched from its own min to its max (filters, feature maps). */
  | 'each'
  /** One shared min..max over all images shown. */
  | 'all'
  | readonly [number, number];

/** n images of h×w, values already scaled to [0, 1]. */
interface Stack {
  n: number;
  h: number;
  w: number;
  values: Float32Array;
}

export interface GridOptions {
  /** True labels (class indices), one per image. Default: the set's labels when given a set. */
  labels?: ArrayLike<number> | tf.Tensor;
  /** Predicted class indices, one per image; captions then read "true→pred" in red when wrong. */
  predictions?: ArrayLike<number> | tf.Tensor;
  /** Names for class indices (notMNIST letters, Fashion-MNIST); default the indices. */
  classNames?: readonly string[];
  /** Free captions instead of labels (one per image). */
  captions?: readonly string[];
  /** Images per row (default: up to 10, square-ish). */
  cols?: number;
  /** Pixel scale (nearest neighbour; default makes tiles about 56 px). */
  scale?: number;
  /** Show at most this many images (default 100). */
  max?: number;
  /** Required for a bare typed array ([n,h,w]); for other inputs it overrides their shape. */
  shape?: readonly number[];
  range?: ValueRange;
  colormap?: Colormap;
  /** A line of text above the grid. */
  title?: string;
}

const isTensor = (v: unknown): v is tf.Tensor => v instanceof tf.Tensor;

/** [n, h, w] from a shape that may be flat, single or have one channel. */
function gridShape(shape: readonly number[], where: string): [number, number, number] {
  const bad = (): Error =>
    new Error(`${where}: shape [${shape.join(',')}] is not images; expected [n,h,w], [n,h,w,1], [n,h*w] (square) or [h,w]`);
  const square = (d: number): number => {
    const s = Math.round(Math.sqrt(d));
    if (s * s !== d) throw bad();
    return s;
  };
  if (shape.length === 4 && shape[3] === 1) return [shape[0], shape[1], shape[2]];
  if (shape.length === 3) return [shape[0], shape[1], shape[2]];
  if (shape.length === 2 && shape[1] > 16 && Number.isInteger(Math.sqrt(shape[1])) && shape[0] !== shape[1]) {
    const s = square(shape[1]);
    return [shape[0], s, s];
  }
  if (shape.length === 2) return [1, shape[0], shape[1]];
  if (shape.length === 1) {
    const s = square(shape[0]);
    return [1, s, s];
  }
  throw bad();
}

/** The values of a temporary tensor, which is then freed. */
export function readAndDispose(t: tf.Tensor): ArrayLike<number> {
  try {
    return t.dataSync();
  } finally {
    t.dispose();
  }
}

function toNumbers(v: ArrayLike<number> | tf.Tensor): ArrayLike<number> {
  if (!isTensor(v)) return v;
  // One-hot or probability rows → class index.
  if (v.rank === 2) return readAndDispose(tf.tidy(() => tf.argMax(v, 1)));
  return v.dataSync();
}

/** Read up to `max` images of any accepted input into [0,1] floats. */
function readStack(input: ImagesInput, opts: { shape?: readonly number[]; max: number; range: ValueRange }, where: string): Stack {
  let raw: ArrayLike<number>;
  let shape: readonly number[];
  let maxValue: number | undefined;
  if (isTensor(input)) {
    // options.shape settles ambiguous layouts, e.g. 64 flattened 8x8 digits ([64,64]).
    shape = opts.shape ?? input.shape;
    const [n, h, w] = gridShape(shape, where);
    if (n * h * w !== input.size) {
      throw new Error(`${where}: options.shape [${shape.join(',')}] needs ${n * h * w} values, the tensor has ${input.size}`);
    }
    const take = Math.min(n, opts.max);
    raw = readAndDispose(tf.tidy(() => input.reshape([n, h * w]).slice([0, 0], [take, h * w])));
    shape = [take, h, w];
  } else if (input instanceof Uint8Array || input instanceof Float32Array) {
    if (!opts.shape) throw new Error(`${where}: a bare ${input.constructor.name} needs options.shape ([n,h,w])`);
    raw = input;
    shape = opts.shape;
  } else if ('images' in input) {
    raw = input.images;
    shape = opts.shape ?? input.shape;
    maxValue = input.maxValue;
  } else if ('data' in input) {
    raw = input.data;
    shape = opts.shape ?? input.shape;
    maxValue = input.maxValue;
  } else {
    throw new Error(`${where}: images must be an ImageSet, {data, shape}, a typed array or a tf.Tensor`);
  }
  const [n0, h, w] = gridShape(shape, where);
  if (raw.length < n0 * h * w) {
    throw new Error(`${where}: ${raw.length} values, but shape [${shape.join(',')}] needs ${n0 * h * w}`);
  }
  const n = Math.min(n0, opts.max);
  const per = h * w;
  const values = new Float32Array(n * per);
  for (let i = 0; i < values.length; i++) values[i] = raw[i];
  scaleInPlace(values, n, per, opts.range, maxValue);
  return { n, h, w, values };
}

function minMax(a: Float32Array, from: number, to: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = from; i < to; i++) {
    if (a[i] < lo) lo = a[i];
    if (a[i] > hi) hi = a[i];
  }
  return [lo, hi];
}

function stretch(a: Float32Array, from: number, to: number, lo: number, hi: number): void {
  const k = hi > lo ? 1 / (hi - lo) : 0;
  for (let i = from; i < to; i++) a[i] = (a[i] - lo) * k;
}

function scaleInPlace(v: Float32Array, n: number, per: number, range: ValueRange, maxValue?: number): void {
  if (range === 'each') {
    for (let i = 0; i < n; i++) {
      const [lo, hi] = minMax(v, i * per, (i + 1) * per);
      stretch(v, i * per, (i + 1) * per, lo, hi);
    }
    return;
  }
  const [lo, hi] = minMax(v, 0, v.length);
  if (range === 'all') return stretch(v, 0, v.length, lo, hi);
  if (Array.isArray(range)) return stretch(v, 0, v.length, range[0], range[1]);
  if (lo < 0) return stretch(v, 0, v.length, lo, hi);
  // The three formats of the documents: [0,1] floats or 0/1 text digits, 0..16 (8x8), 0..255.
  const top = maxValue ?? (hi <= 1 ? 1 : hi <= 16 ? 16 : 255);
  stretch(v, 0, v.length, 0, top);
}

/** Labels of a set, when the options give none. */
function setLabels(input: ImagesInput): ArrayLike<number> | undefined {
  return !isTensor(input) && !(input instanceof Uint8Array) && !(input instanceof Float32Array) && 'labels' in input
    ? input.labels
    : undefined;
}

function setClassNames(input: ImagesInput): readonly string[] | undefined {
  return !isTensor(input) && !(input instanceof Uint8Array) && !(input instanceof Float32Array) && 'classNames' in input
    ? input.classNames
    : undefined;
}

/** Cut `text` to fit `px` pixels at font scale `ts`. */
function fit(text: string, px: number, ts: number): string {
  let t = text;
  while (t.length > 1 && textWidth(t) * ts > px) t = t.slice(0, -1);
  return t;
}

/** Render a grid of images to PNG bytes (never displays; `imageGrid` does). */
export function renderGrid(images: ImagesInput, options: GridOptions = {}): Uint8Array {
  const where = 'imageGrid';
  const max = options.max ?? 100;
  const stack = readStack(images, { shape: options.shape, max, range: options.range ?? 'auto' }, where);
  const { n, h, w } = stack;
  if (n === 0) throw new Error(`${where}: no images to show`);
  const labels = options.labels !== undefined ? toNumbers(options.labels) : setLabels(images);
  const preds = options.predictions !== undefined ? toNumbers(options.predictions) : undefined;
  for (const [name, arr] of [['labels', labels], ['predictions', preds]] as const) {
    if (arr && arr.length < n) throw new Error(`${where}: options.${name} has ${arr.length} entries, expected ${n} (one per image)`);
  }
  if (options.captions && options.captions.length < n) {
    throw new Error(`${where}: options.captions has ${options.captions.length} entries, expected ${n}`);
  }
  const names = options.classNames ?? setClassNames(images);
  const name = (k: number): string => names?.[k] ?? String(k);

  const scale = Math.max(1, Math.round(options.scale ?? 56 / Math.max(h, w)));
  const cols = Math.max(1, Math.min(n, options.cols ?? Math.min(10, Math.ceil(Math.sqrt(n * 1.5)))));
  const rows = Math.ceil(n / cols);
  const tileW = w * scale;
  const tileH = h * scale;
  const hasCaption = !!(labels || preds || options.captions);
  const ts = tileW >= 40 ? 2 : 1; // caption font scale
  const capH = hasCaption ? 7 * ts + 6 : 0;
  const pad = 4;
  const titleH = options.title ? 7 * 2 + 8 : 0;
  const cellW = Math.max(tileW, 6 * ts * 3) + 2 * pad;
  const cellH = tileH + capH + 2 * pad;
  const img = new Raster(cols * cellW, titleH + rows * cellH);
  if (options.title) img.text(fit(options.title, img.width - 8, 2), 4, 5, BLACK, 2);

  for (let i = 0; i < n; i++) {
    const x = (i % cols) * cellW + pad + Math.floor((cellW - 2 * pad - tileW) / 2);
    const y = titleH + Math.floor(i / cols) * cellH + pad;
    img.image(stack.values.subarray(i * h * w, (i + 1) * h * w), h, w, x, y, scale, options.colormap ?? 'gray');
    let caption = '';
    let colour = BLACK;
    if (options.captions) caption = options.captions[i];
    else if (labels && preds) {
      const ok = labels[i] === preds[i];
      caption = ok ? name(labels[i]) : `${name(labels[i])}→${name(preds[i])}`;
      if (!ok) {
        colour = RED;
        img.frame(x - 2, y - 2, tileW + 4, tileH + 4, RED, 2);
      }
    } else if (labels) caption = name(labels[i]);
    else if (preds) {
      caption = name(preds[i]);
      colour = GREY;
    }
    if (caption) {
      const cx = (i % cols) * cellW + cellW / 2;
      const t = textWidth(caption) * ts > cellW - 2 ? 1 : ts;
      img.text(fit(caption, cellW - 2, t), cx, y + tileH + 4, colour, t, true);
    }
  }
  return img.png();
}

/** Display PNG bytes inline (returns false outside a kernel). */
export function showPng(png: Uint8Array, alt: string): boolean {
  return displayData({ 'image/png': Buffer.from(png).toString('base64'), 'text/plain': alt });
}

/**
 * A grid of images with captions: true label, or "true→pred" in red with a red frame when the
 * prediction is wrong. Displays inline in a kernel (returns undefined), else returns PNG bytes.
 */
export function imageGrid(images: ImagesInput, options: GridOptions = {}): Uint8Array | undefined {
  const png = renderGrid(images, options);
  if (!inKernel()) return png;
  showPng(png, `<image grid: ${options.title ?? 'images'}>`);
  return undefined;
}

/** Anything that predicts a batch (a tfjs LayersModel, our own networks). */
export interface Predictor {
  predict(x: tf.Tensor): tf.Tensor | tf.Tensor[];
}

export interface MisclassifiedOptions extends Omit<GridOptions, 'labels' | 'predictions' | 'captions'> {
  batchSize?: number;
}

export interface MisclassifiedResult {
  png: Uint8Array;
  /** Indices (into x) of the misclassified examples shown, in order. */
  indices: number[];
  /** How many of all examples were wrong. */
  errors: number;
  total: number;
}

/**
 * The examples the model gets wrong, as a captioned gallery (true→pred). `y` holds class indices
 * or one-hot rows. Displays in a kernel (returns undefined), else returns the PNG and indices.
 */
export function misclassified(
  model: Predictor,
  x: tf.Tensor,
  y: ArrayLike<number> | tf.Tensor,
  options: MisclassifiedOptions = {},
): MisclassifiedResult | undefined {
  const labels = toNumbers(y);
  const n = x.shape[0];
  if (labels.length !== n) throw new Error(`misclassified: x has ${n} examples but y has ${labels.length} labels`);
  const preds = predictClasses(model, x, options.batchSize ?? 256);
  const wrong: number[] = [];
  for (let i = 0; i < n; i++) if (preds[i] !== labels[i]) wrong.push(i);
  const max = options.max ?? 36;
  const shown = wrong.slice(0, max);
  const title = options.title ?? `${wrong.length} of ${n} misclassified (${((100 * wrong.length) / n).toFixed(2)}%)`;
  let png: Uint8Array;
  if (shown.length === 0) {
    const r = new Raster(Math.max(200, textWidth(title) * 2 + 10), 24);
    r.text(title, 4, 5, BLACK, 2);
    png = r.png();
  } else {
    const picked = tf.tidy(() => tf.gather(x, shown));
    try {
      png = renderGrid(picked, {
        ...options,
        max,
        title,
        labels: shown.map((i) => labels[i]),
        predictions: shown.map((i) => preds[i]),
      });
    } finally {
      picked.dispose();
    }
  }
  const result = { png, indices: shown, errors: wrong.length, total: n };
  if (!inKernel()) return result;
  showPng(png, `<${title}>`);
  return undefined;
}

/** A conv layer (its first weight is the kernel) or the kernel tensor [kh, kw, in, out]. */
export type KernelInput = tf.Tensor | { getWeights(): tf.Tensor[]; name?: string };

export interface FilterOptions extends Pick<GridOptions, 'cols' | 'scale' | 'max' | 'title' | 'colormap'> {
  /** Which input channel to show for layers with several (default 0). */
  inChannel?: number;
  /** 'each' (default) stretches every filter on its own; 'all' shares one scale. */
  range?: 'each' | 'all';
}

/** The filters of a conv layer as a grid, one tile per output channel. */
export function filters(kernel: KernelInput, options: FilterOptions = {}): Uint8Array | undefined {
  const k = isTensor(kernel) ? kernel : kernel.getWeights()[0];
  if (!k || k.rank !== 4) {
    throw new Error(`filters: expected a conv kernel of rank 4 [kh, kw, in, out], got shape [${k?.shape.join(',') ?? ''}]`);
  }
  const [kh, kw, cin, cout] = k.shape;
  const ch = options.inChannel ?? 0;
  if (ch < 0 || ch >= cin) throw new Error(`filters: options.inChannel ${ch} out of range, the kernel has ${cin} input channels`);
  const tiles = tf.tidy(() => k.slice([0, 0, ch, 0], [kh, kw, 1, cout]).reshape([kh, kw, cout]).transpose([2, 0, 1]));
  try {
    const png = renderGrid(tiles, {
      cols: options.cols ?? Math.min(cout, 8),
      scale: options.scale ?? Math.max(2, Math.round(48 / Math.max(kh, kw))),
      max: options.max ?? 64,
      range: options.range ?? 'each',
      colormap: options.colormap ?? 'gray',
      captions: Array.from({ length: cout }, (_, i) => String(i)),
      title: options.title ?? `${cout} filters ${kh}x${kw}${cin > 1 ? ` (input channel ${ch} of ${cin})` : ''}`,
    });
    if (!inKernel()) return png;
    showPng(png, `<${cout} conv filters>`);
    return undefined;
  } finally {
    tiles.dispose();
  }
}

export interface FeatureMapOptions extends Pick<GridOptions, 'cols' | 'scale' | 'max' | 'title' | 'colormap'> {}

/**
 * The activations of layer `layerName` for one input image, one tile per channel. The image is
 * reshaped to the model's input shape ([784] or [28,28,1] alike).
 */
export function featureMaps(
  model: tf.LayersModel,
  layerName: string,
  image: tf.Tensor | ArrayLike<number>,
  options: FeatureMapOptions = {},
): Uint8Array | undefined {
  const layer = model.getLayer(layerName);
  const output = Array.isArray(layer.output) ? layer.output[0] : layer.output;
  const probe = tf.model({ inputs: model.inputs, outputs: output });
  const inShape = model.inputs[0].shape.slice(1).map((d) => d ?? 1);
  const maps = tf.tidy(() => {
    const t = isTensor(image) ? image : tf.tensor(Array.from(image));
    const size = inShape.reduce((a, b) => a * b, 1);
    if (t.size !== size) throw new Error(`featureMaps: the image has ${t.size} values, the model's input [${inShape}] needs ${size}`);
    const out = probe.predict(t.reshape([1, ...inShape])) as tf.Tensor;
    if (out.rank !== 4) {
      throw new Error(`featureMaps: layer "${layerName}" outputs shape [${out.shape.join(',')}]; expected a 4-D conv or pooling output`);
    }
    return out.squeeze([0]).transpose([2, 0, 1]);
  });
  try {
    const c = maps.shape[0];
    const png = renderGrid(maps, {
      cols: options.cols ?? Math.min(c, 8),
      scale: options.scale,
      max: options.max ?? 64,
      range: 'each',
      colormap: options.colormap ?? 'gray',
      captions: Array.from({ length: c }, (_, i) => String(i)),
      title: options.title ?? `${layerName}: ${c} maps ${maps.shape[1]}x${maps.shape[2]}`,
    });
    if (!inKernel()) return png;
    showPng(png, `<feature maps of ${layerName}>`);
    return undefined;
  } finally {
    maps.dispose();
  }
}
