/**
 * Test pictures made from MNIST test digits: one digit on a chosen background at a chosen size
 * and place, and strips of several digits with uneven spacing. The renderer (bilinear) is kept
 * apart from the library's own resampling so the tests do not check the code against itself.
 */
import * as lab from '../../src';
import type { GreyImage } from '../../src/handwriting';

export type Background = 'white' | 'grey' | 'gradient' | 'noisy' | 'dark';
export const BACKGROUNDS: Background[] = ['white', 'grey', 'gradient', 'noisy', 'dark'];

/** An MNIST test digit as floats 0..1 (ink), cropped to its ink. */
export function mnistInk(i: number): { data: Float32Array; width: number; height: number; label: number } {
  const { test } = lab.data.mnist();
  const px = test.image(i);
  let x0 = 28, y0 = 28, x1 = -1, y1 = -1;
  for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) if (px[y * 28 + x] > 0) {
    x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
  }
  const w = x1 - x0 + 1, h = y1 - y0 + 1;
  const data = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = px[(y + y0) * 28 + x + x0] / 255;
  return { data, width: w, height: h, label: test.labels[i] };
}

function bilinear(src: { data: Float32Array; width: number; height: number }, k: number): { data: Float32Array; width: number; height: number } {
  const w = Math.max(1, Math.round(src.width * k)), h = Math.max(1, Math.round(src.height * k));
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const sx = Math.min(src.width - 1, Math.max(0, (x + 0.5) / k - 0.5));
    const sy = Math.min(src.height - 1, Math.max(0, (y + 0.5) / k - 0.5));
    const x0 = Math.floor(sx), y0 = Math.floor(sy), fx = sx - x0, fy = sy - y0;
    const x1 = Math.min(src.width - 1, x0 + 1), y1 = Math.min(src.height - 1, y0 + 1);
    const g = (xx: number, yy: number) => src.data[yy * src.width + xx];
    out[y * w + x] = (1 - fy) * ((1 - fx) * g(x0, y0) + fx * g(x1, y0)) + fy * ((1 - fx) * g(x0, y1) + fx * g(x1, y1));
  }
  return { data: out, width: w, height: h };
}

/** Paper and ink for a background kind; `r` supplies the noise. */
function paper(kind: Background, w: number, h: number, r: () => number): { bg: Float32Array; ink: number } {
  const bg = new Float32Array(w * h);
  const gauss = lab.engine.gaussian(r);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const i = y * w + x;
    switch (kind) {
      case 'white': bg[i] = 255; break;
      case 'grey': bg[i] = 150; break;
      case 'gradient': bg[i] = 110 + 140 * (0.7 * x / w + 0.3 * y / h); break;
      case 'noisy': bg[i] = 235 + 20 * gauss(); break;
      case 'dark': bg[i] = 35; break;
    }
  }
  return { bg, ink: kind === 'dark' ? 235 : kind === 'grey' ? 30 : 25 };
}

function compose(kind: Background, w: number, h: number, r: () => number, pieces: { img: { data: Float32Array; width: number; height: number }; x: number; y: number }[]): GreyImage {
  const { bg, ink } = paper(kind, w, h, r);
  const data = bg.slice();
  for (const p of pieces) for (let y = 0; y < p.img.height; y++) for (let x = 0; x < p.img.width; x++) {
    const xx = p.x + x, yy = p.y + y;
    if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
    const a = Math.min(1, p.img.data[y * p.img.width + x]);
    const i = yy * w + xx;
    data[i] = data[i] * (1 - a) + ink * a;
  }
  if (kind === 'noisy') {
    const gauss = lab.engine.gaussian(r);
    for (let i = 0; i < data.length; i++) data[i] += 12 * gauss();
  }
  for (let i = 0; i < data.length; i++) data[i] = Math.max(0, Math.min(255, data[i]));
  return { width: w, height: h, data };
}

/** MNIST test digit `i` drawn `height` px tall (ink height) somewhere on a `kind` background. */
export function digitPicture(i: number, kind: Background, height: number, r: () => number): { img: GreyImage; label: number } {
  const d = mnistInk(i);
  const s = bilinear(d, height / d.height);
  const w = Math.round(s.width * (1.3 + r())), h = Math.round(s.height * (1.3 + r()));
  const x = Math.floor(r() * (w - s.width)), y = Math.floor(r() * (h - s.height));
  return { img: compose(kind, w, h, r, [{ img: s, x, y }]), label: d.label };
}

/** A strip of the MNIST test digits `ids`, `height` px tall, gaps between 3% and 60% of it. */
export function stripPicture(ids: number[], kind: Background, height: number, r: () => number): { img: GreyImage; digits: string } {
  const pieces: { img: { data: Float32Array; width: number; height: number }; x: number; y: number }[] = [];
  let x = Math.round(height * 0.3);
  let digits = '';
  for (const id of ids) {
    const d = mnistInk(id);
    const s = bilinear(d, (height * (0.85 + 0.3 * r())) / 28);
    const y = Math.round(height * 0.3 + (r() - 0.5) * 0.2 * height);
    pieces.push({ img: s, x, y });
    x += s.width + Math.max(1, Math.round(height * (0.03 + 0.57 * r())));
    digits += d.label;
  }
  const w = x + Math.round(height * 0.3), h = Math.round(height * 1.9);
  return { img: compose(kind, w, h, r, pieces), digits };
}
