/**
 * From a grey picture to an "ink map": how much ink each pixel holds (0..1), whatever the
 * background. Steps: fit a smooth (quadratic) background robustly, so that grey paper, gradients
 * and uneven lighting drop out; decide the ink's polarity from which side of the background the
 * strongest marks lie; threshold relative to the ink's own contrast and the noise level; drop
 * specks (small components).
 */
import type { GreyImage } from './image';
import { labelComponents, type Labelling } from './components';

export interface InkMap {
  width: number;
  height: number;
  /** Ink strength per pixel, 0 (paper) .. 1 (full ink). */
  data: Float32Array;
  /** The kept strokes as connected components (labels index `data`). */
  labelling: Labelling;
  /** True when the picture had dark ink on light paper (and was inverted). */
  inverted: boolean;
}

export interface InkOptions {
  /** Name used in errors (a file name). */
  name?: string;
  /** Components smaller than this fraction of the largest are dropped as specks (default 0.08). */
  minComponentFraction?: number;
}

/** Solve the small normal equations (Gaussian elimination with partial pivoting). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  for (let i = 0; i < n; i++) {
    let p = i;
    for (let r = i + 1; r < n; r++) if (Math.abs(a[r][i]) > Math.abs(a[p][i])) p = r;
    [a[i], a[p]] = [a[p], a[i]];
    [b[i], b[p]] = [b[p], b[i]];
    const d = a[i][i] || 1e-12;
    for (let r = i + 1; r < n; r++) {
      const f = a[r][i] / d;
      for (let c = i; c < n; c++) a[r][c] -= f * a[i][c];
      b[r] -= f * b[i];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let c = i + 1; c < n; c++) s -= a[i][c] * x[c];
    x[i] = s / (a[i][i] || 1e-12);
  }
  return x;
}

function median(values: ArrayLike<number>): number {
  if (values.length === 0) return 0;
  const s = Float64Array.from(values).sort();
  return s[s.length >> 1];
}

/**
 * A quadratic surface fitted to the paper, ignoring ink by iterative trimming (ink is whatever
 * lies far from the current fit on either side). Returns the surface and the noise σ of the paper.
 */
function fitBackground(img: GreyImage): { bg: Float32Array; sigma: number } {
  const { width: w, height: h, data } = img;
  const step = Math.max(1, Math.floor(Math.sqrt((w * h) / 6000)));
  const nx = (x: number) => (w > 1 ? (2 * x) / (w - 1) - 1 : 0);
  const ny = (y: number) => (h > 1 ? (2 * y) / (h - 1) - 1 : 0);
  // A plane for small pictures (where one digit fills much of the frame and a curved surface
  // would bend into the ink); a quadratic for larger ones, to follow uneven lighting.
  const quadratic = w >= 80 && h >= 80;
  const np = quadratic ? 6 : 3;
  const n = Math.ceil(w / step) * Math.ceil(h / step);
  const F = new Float64Array(n * np), vs = new Float64Array(n);
  let k = 0;
  for (let y = 0; y < h; y += step) for (let x = 0; x < w; x += step, k++) {
    const X = nx(x), Y = ny(y), o = k * np;
    F[o] = 1; F[o + 1] = X; F[o + 2] = Y;
    if (quadratic) { F[o + 3] = X * X; F[o + 4] = X * Y; F[o + 5] = Y * Y; }
    vs[k] = data[y * w + x];
  }
  let coef = new Array<number>(np).fill(0);
  coef[0] = median(vs);
  const keep = new Uint8Array(n).fill(1);
  const res = new Float64Array(n);
  let sigma = 0;
  for (let iter = 0; iter < 5; iter++) {
    const kept: number[] = [];
    for (let i = 0; i < n; i++) {
      let f = 0;
      for (let c = 0; c < np; c++) f += F[i * np + c] * coef[c];
      res[i] = vs[i] - f;
      if (keep[i]) kept.push(res[i]);
    }
    const med = median(kept);
    sigma = 1.4826 * median(kept.map((r) => Math.abs(r - med)));
    const lim = 2.5 * sigma + 2;
    const A = Array.from({ length: np }, () => new Array<number>(np).fill(0));
    const B = new Array<number>(np).fill(0);
    let m = 0;
    for (let i = 0; i < n; i++) {
      keep[i] = Math.abs(res[i] - med) <= lim ? 1 : 0;
      if (!keep[i]) continue;
      const o = i * np;
      for (let r = 0; r < np; r++) {
        B[r] += F[o + r] * vs[i];
        for (let c = 0; c < np; c++) A[r][c] += F[o + r] * F[o + c];
      }
      m++;
    }
    // Too few paper samples for a surface (tiny picture): keep what we have.
    if (m < 24) break;
    for (let r = 0; r < np; r++) A[r][r] += 1e-6 * m;
    coef = solve(A, B);
  }
  const bg = new Float32Array(w * h);
  const [c0, c1, c2, c3 = 0, c4 = 0, c5 = 0] = coef;
  for (let y = 0; y < h; y++) {
    const Y = ny(y);
    for (let x = 0; x < w; x++) {
      const X = nx(x);
      bg[y * w + x] = c0 + c1 * X + c2 * Y + c3 * X * X + c4 * X * Y + c5 * Y * Y;
    }
  }
  return { bg, sigma: Math.max(sigma, 1) };
}

/** 3x3 box blur (edges use the pixels that exist). */
function blur3(src: Float32Array, w: number, h: number): Float32Array {
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    let s = 0, n = 0;
    for (let dy = -1; dy <= 1; dy++) {
      const yy = y + dy;
      if (yy < 0 || yy >= h) continue;
      for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx;
        if (xx < 0 || xx >= w) continue;
        s += src[yy * w + xx]; n++;
      }
    }
    out[y * w + x] = s / n;
  }
  return out;
}

function percentile(values: Float32Array | number[], q: number): number {
  const s = Float32Array.from(values).sort();
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : 0;
}

/** The ink of a picture, background removed. Throws (naming the image) when there is none. */
export function inkMap(img: GreyImage, options: InkOptions = {}): InkMap {
  const name = options.name ?? 'image';
  const { width: w, height: h } = img;
  const { bg, sigma } = fitBackground(img);
  const res = new Float32Array(w * h);
  for (let i = 0; i < res.length; i++) res[i] = img.data[i] - bg[i];
  const smooth = blur3(res, w, h);
  let lo = 0, hi = 0;
  for (const v of smooth) { if (v < lo) lo = v; if (v > hi) hi = v; }
  // Ink is the side of the paper with the strongest marks.
  const inverted = -lo > hi;
  const sign = inverted ? -1 : 1;
  // Noisy paper: decide on the blurred residual (noise σ/3) so that single noisy pixels do not pass.
  const noisy = sigma > 6;
  const v = noisy ? smooth : res;
  const noise = noisy ? sigma / 3 : sigma;
  const ink = new Float32Array(w * h);
  for (let i = 0; i < ink.length; i++) ink[i] = Math.max(0, sign * v[i]);
  const strong: number[] = [];
  for (let i = 0; i < ink.length; i++) if (ink[i] > 4 * noise) strong.push(ink[i]);
  const level = strong.length ? percentile(strong, 0.9) : 0;
  if (level < 24 || strong.length < 3) {
    throw new Error(`${name}: no ink found — the image is blank or has no contrast (strongest mark ${Math.round(Math.max(hi, -lo))} grey levels from the background, noise σ ${sigma.toFixed(1)})`);
  }
  const t = Math.max(3.5 * noise, 0.22 * level);
  const mask = new Uint8Array(w * h);
  for (let i = 0; i < ink.length; i++) if (ink[i] > t) mask[i] = 1;
  const lab = labelComponents(mask, w, h);
  const largest = lab.components.reduce((m, c) => Math.max(m, c.area), 0);
  const minArea = Math.max(2, (options.minComponentFraction ?? 0.08) * largest);
  const dropped = new Set(lab.components.filter((c) => c.area < minArea).map((c) => c.id));
  const data = new Float32Array(w * h);
  for (let i = 0; i < data.length; i++) {
    const id = lab.labels[i];
    if (id === 0) continue;
    if (dropped.has(id)) { lab.labels[i] = 0; continue; }
    data[i] = Math.min(1, ink[i] / level);
  }
  const components = lab.components.filter((c) => !dropped.has(c.id));
  return { width: w, height: h, data, labelling: { labels: lab.labels, components }, inverted };
}
