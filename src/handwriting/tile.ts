/**
 * MNIST's own normalisation of one digit: crop to the ink, scale the longer side to 20 px keeping
 * the aspect ratio (anti-aliased), and place it in 28x28 so that its centre of mass is the centre.
 * Also the two other formats the documents use: 32x32 binary (UCI text digits) and 8x8 with
 * values 0–16 (sklearn's digits: 4x4 blocks of the 32x32 bitmap, counted).
 */
import { greyImage, type GreyImage } from './image';
import { inkMap, type InkMap, type InkOptions } from './ink';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * 1-D resampling weights: area averaging when shrinking (each output pixel averages the source
 * interval it covers, with fractional edges), linear interpolation when enlarging.
 */
function weights1d(src: number, dst: number): { idx: number[]; w: number[] }[] {
  const s = src / dst;
  const out: { idx: number[]; w: number[] }[] = [];
  for (let o = 0; o < dst; o++) {
    const idx: number[] = [], w: number[] = [];
    if (s >= 1) {
      const a = o * s, b = (o + 1) * s;
      for (let i = Math.floor(a); i < Math.ceil(b) && i < src; i++) {
        const cover = Math.min(b, i + 1) - Math.max(a, i);
        if (cover > 0) { idx.push(i); w.push(cover / s); }
      }
    } else {
      const c = Math.min(src - 1, Math.max(0, (o + 0.5) * s - 0.5));
      const i0 = Math.floor(c), f = c - i0;
      idx.push(i0); w.push(1 - f);
      if (f > 0 && i0 + 1 < src) { idx.push(i0 + 1); w.push(f); }
    }
    out.push({ idx, w });
  }
  return out;
}

/** Resize a `sw`x`sh` float image to `dw`x`dh` (separable, see weights1d). */
export function resize(src: Float32Array, sw: number, sh: number, dw: number, dh: number): Float32Array {
  const wx = weights1d(sw, dw), wy = weights1d(sh, dh);
  const mid = new Float32Array(dw * sh);
  for (let y = 0; y < sh; y++) for (let x = 0; x < dw; x++) {
    const { idx, w } = wx[x];
    let s = 0;
    for (let k = 0; k < idx.length; k++) s += w[k] * src[y * sw + idx[k]];
    mid[y * dw + x] = s;
  }
  const out = new Float32Array(dw * dh);
  for (let y = 0; y < dh; y++) {
    const { idx, w } = wy[y];
    for (let x = 0; x < dw; x++) {
      let s = 0;
      for (let k = 0; k < idx.length; k++) s += w[k] * mid[idx[k] * dw + x];
      out[y * dw + x] = s;
    }
  }
  return out;
}

/**
 * Crop `strength` (width `w`) to `box`, keeping only pixels for which `keep` is true (so that a
 * neighbouring digit's strokes inside the box are left out). Then trims to the ink it holds.
 */
export function cropInk(strength: Float32Array, w: number, box: Box, keep?: (i: number) => boolean): { data: Float32Array; width: number; height: number } | null {
  let x0 = Infinity, y0 = Infinity, x1 = -1, y1 = -1;
  for (let y = box.y; y < box.y + box.height; y++) for (let x = box.x; x < box.x + box.width; x++) {
    const i = y * w + x;
    if (strength[i] > 0 && (!keep || keep(i))) {
      if (x < x0) x0 = x; if (x > x1) x1 = x; if (y < y0) y0 = y; if (y > y1) y1 = y;
    }
  }
  if (x1 < 0) return null;
  const cw = x1 - x0 + 1, ch = y1 - y0 + 1;
  const data = new Float32Array(cw * ch);
  for (let y = 0; y < ch; y++) for (let x = 0; x < cw; x++) {
    const i = (y + y0) * w + x + x0;
    if (!keep || keep(i)) data[y * cw + x] = strength[i];
  }
  return { data, width: cw, height: ch };
}

/** Scale so that the longer side is `side` px (aspect kept, at least 1 px), values renormalised to peak 1. */
function fitLonger(crop: { data: Float32Array; width: number; height: number }, side: number) {
  const k = side / Math.max(crop.width, crop.height);
  const dw = Math.max(1, Math.round(crop.width * k)), dh = Math.max(1, Math.round(crop.height * k));
  const data = resize(crop.data, crop.width, crop.height, dw, dh);
  // Thin pen strokes fade when shrunk a lot; MNIST's strokes always reach full intensity.
  let max = 0;
  for (const v of data) if (v > max) max = v;
  if (max > 0) for (let i = 0; i < data.length; i++) data[i] = Math.min(1, data[i] / max);
  return { data, width: dw, height: dh };
}

/** An ink crop (0..1) → 28x28 MNIST tile (0..255, white ink on black). */
export function mnistTile(crop: { data: Float32Array; width: number; height: number }): GreyImage {
  const s = fitLonger(crop, 20);
  let m = 0, mx = 0, my = 0;
  for (let y = 0; y < s.height; y++) for (let x = 0; x < s.width; x++) {
    const v = s.data[y * s.width + x];
    m += v; mx += v * x; my += v * y;
  }
  const cx = m > 0 ? mx / m : (s.width - 1) / 2, cy = m > 0 ? my / m : (s.height - 1) / 2;
  const ox = Math.min(28 - s.width, Math.max(0, Math.round(13.5 - cx)));
  const oy = Math.min(28 - s.height, Math.max(0, Math.round(13.5 - cy)));
  const out = new Float32Array(784);
  for (let y = 0; y < s.height; y++) for (let x = 0; x < s.width; x++) {
    out[(y + oy) * 28 + x + ox] = 255 * s.data[y * s.width + x];
  }
  return greyImage(28, 28, out);
}

/** An ink crop → 32x32 binary bitmap (0/1), longer side 32, centred by its box. */
export function digits32Tile(crop: { data: Float32Array; width: number; height: number }): GreyImage {
  const s = fitLonger(crop, 32);
  const ox = (32 - s.width) >> 1, oy = (32 - s.height) >> 1;
  const out = new Float32Array(1024);
  for (let y = 0; y < s.height; y++) for (let x = 0; x < s.width; x++) {
    out[(y + oy) * 32 + x + ox] = s.data[y * s.width + x] >= 0.5 ? 1 : 0;
  }
  return greyImage(32, 32, out);
}

/** A 32x32 binary bitmap → 8x8 counts of set pixels per 4x4 block (0–16), as sklearn's digits. */
export function blocks8x8(bits: GreyImage): GreyImage {
  const out = new Float32Array(64);
  for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) out[(y >> 2) * 8 + (x >> 2)] += bits.data[y * 32 + x];
  return greyImage(8, 8, out);
}

function wholeInk(img: GreyImage, options: InkOptions): { data: Float32Array; width: number; height: number } {
  const ink: InkMap = inkMap(img, options);
  const crop = cropInk(ink.data, ink.width, { x: 0, y: 0, width: ink.width, height: ink.height });
  if (!crop) throw new Error(`${options.name ?? 'image'}: no ink found — the image is blank`);
  return crop;
}

/** One digit picture (any size, any background) → MNIST 28x28 (0..255, white ink on black). */
export function toMnist(img: GreyImage, options: InkOptions = {}): GreyImage {
  return mnistTile(wholeInk(img, options));
}

/** One digit picture → 32x32 binary (0/1), the text-digit format of document 001. */
export function toDigits32(img: GreyImage, options: InkOptions = {}): GreyImage {
  return digits32Tile(wholeInk(img, options));
}

/** One digit picture → 8x8 with values 0–16, as scikit-learn's digits. */
export function toDigits8x8(img: GreyImage, options: InkOptions = {}): GreyImage {
  return blocks8x8(toDigits32(img, options));
}
