/** An RGB pixel buffer with the few drawing operations image grids need, encoded by fast-png. */

/** The part of fast-png used here (typed locally: its ESM types cannot be imported from CommonJS). */
interface FastPng {
  encode(img: { width: number; height: number; data: Uint8Array; channels: number; depth: 8 }): Uint8Array;
}
import { ADVANCE, GLYPH_HEIGHT, glyph, textWidth } from './font5x7';

export type RGB = readonly [number, number, number];

export const WHITE: RGB = [255, 255, 255];
export const BLACK: RGB = [0, 0, 0];
export const RED: RGB = [214, 39, 40];
export const GREEN: RGB = [44, 160, 44];
export const GREY: RGB = [90, 90, 90];

/** How a value in [0, 1] becomes a colour. */
export type Colormap = 'gray' | 'gray_r' | 'diverging';

function colour(v: number, map: Colormap): RGB {
  const t = Math.min(1, Math.max(0, Number.isFinite(v) ? v : 0));
  if (map === 'diverging') {
    // blue (0) → white (0.5) → red (1): signs of weights read at a glance.
    if (t < 0.5) {
      const k = t / 0.5;
      return [Math.round(33 + k * 222), Math.round(102 + k * 153), Math.round(172 + k * 83)];
    }
    const k = (t - 0.5) / 0.5;
    return [Math.round(255 - k * 77), Math.round(255 - k * 231), Math.round(255 - k * 212)];
  }
  const g = Math.round((map === 'gray_r' ? 1 - t : t) * 255);
  return [g, g, g];
}

export class Raster {
  readonly data: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
    background: RGB = WHITE,
  ) {
    if (!(width > 0 && height > 0 && Number.isInteger(width) && Number.isInteger(height))) {
      throw new Error(`Raster: size must be positive integers, got ${width}x${height}`);
    }
    this.data = new Uint8Array(width * height * 3);
    this.rect(0, 0, width, height, background);
  }

  set(x: number, y: number, c: RGB): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const o = (y * this.width + x) * 3;
    this.data[o] = c[0];
    this.data[o + 1] = c[1];
    this.data[o + 2] = c[2];
  }

  rect(x: number, y: number, w: number, h: number, c: RGB): void {
    for (let j = y; j < y + h; j++) for (let i = x; i < x + w; i++) this.set(i, j, c);
  }

  /** A `thickness`-pixel frame just inside the box. */
  frame(x: number, y: number, w: number, h: number, c: RGB, thickness = 2): void {
    this.rect(x, y, w, thickness, c);
    this.rect(x, y + h - thickness, w, thickness, c);
    this.rect(x, y, thickness, h, c);
    this.rect(x + w - thickness, y, thickness, h, c);
  }

  /** Values in [0,1] of an h×w image, each pixel drawn as a scale×scale block (nearest neighbour). */
  image(values: ArrayLike<number>, h: number, w: number, x0: number, y0: number, scale: number, map: Colormap): void {
    for (let r = 0; r < h; r++) {
      for (let c = 0; c < w; c++) {
        const col = colour(values[r * w + c], map);
        this.rect(x0 + c * scale, y0 + r * scale, scale, scale, col);
      }
    }
  }

  /** Text in the 5x7 font, each font pixel scale×scale; `center` centres it on x. */
  text(text: string, x: number, y: number, c: RGB, scale = 1, center = false): void {
    let cx = center ? Math.round(x - (textWidth(text) * scale) / 2) : x;
    for (const ch of text) {
      const rows = glyph(ch);
      for (let r = 0; r < GLYPH_HEIGHT; r++) {
        for (let b = 0; b < 5; b++) {
          if (rows[r] & (0x10 >> b)) this.rect(cx + b * scale, y + r * scale, scale, scale, c);
        }
      }
      cx += ADVANCE * scale;
    }
  }

  png(): Uint8Array {
    // fast-png is ESM-only; Node >= 20.19 loads it with require() (this package is CommonJS).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { encode } = require('fast-png') as FastPng;
    return encode({ width: this.width, height: this.height, data: this.data, channels: 3, depth: 8 });
  }
}
