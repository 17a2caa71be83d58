/**
 * Reading a picture of digits with a trained model: segment, predict each tile, and draw the
 * boxes with the predicted digits onto the picture (a PNG) so a person can check the reading.
 */
import type * as tf from '@tensorflow/tfjs';
import { rgbToPng, type GreyImage } from './image';
import { segment, type SegmentOptions } from './segment';
import { predictTiles } from './model';
import type { Box } from './tile';

export interface Recognition {
  /** The digits read, in reading order (rows, then left to right). */
  digits: string;
  /** Per digit, the 10 class probabilities. */
  probabilities: number[][];
  boxes: Box[];
  /** The 28x28 tiles the model saw. */
  tiles: GreyImage[];
  /** PNG of the picture with boxes and predictions drawn. */
  picture: Uint8Array;
}

// 3x5 digit glyphs, one string of 15 bits per digit (rows top to bottom).
const GLYPHS = [
  '111101101101111', '010110010010111', '111001111100111', '111001111001111', '101101111001001',
  '111100111001111', '111100111101111', '111001001010010', '111101111101111', '111101111001111',
];

function drawRect(rgb: Uint8Array, w: number, h: number, b: Box, c: [number, number, number]): void {
  const put = (x: number, y: number) => {
    if (x < 0 || y < 0 || x >= w || y >= h) return;
    rgb.set(c, (y * w + x) * 3);
  };
  const x0 = b.x - 1, y0 = b.y - 1, x1 = b.x + b.width, y1 = b.y + b.height;
  for (let x = x0; x <= x1; x++) { put(x, y0); put(x, y1); }
  for (let y = y0; y <= y1; y++) { put(x0, y); put(x1, y); }
}

function drawDigit(rgb: Uint8Array, w: number, h: number, d: number, x: number, y: number, scale: number, c: [number, number, number]): void {
  const g = GLYPHS[d];
  for (let r = 0; r < 5; r++) for (let q = 0; q < 3; q++) {
    if (g[r * 3 + q] !== '1') continue;
    for (let dy = 0; dy < scale; dy++) for (let dx = 0; dx < scale; dx++) {
      const xx = x + q * scale + dx, yy = y + r * scale + dy;
      if (xx >= 0 && yy >= 0 && xx < w && yy < h) rgb.set(c, (yy * w + xx) * 3);
    }
  }
}

/**
 * The picture with each box in red and its predicted digit in blue above it (below it when
 * there is no room). A strip gets a margin on top so that labels never hide the ink.
 */
export function annotate(img: GreyImage, boxes: Box[], digits: string): Uint8Array {
  const scale = Math.max(1, Math.round(Math.min(...boxes.map((b) => b.height), img.height) / 12));
  const margin = 6 * scale + 2;
  const w = img.width, h = img.height + margin;
  const rgb = new Uint8Array(w * h * 3).fill(255);
  for (let i = 0; i < img.width * img.height; i++) {
    const v = Math.max(0, Math.min(255, Math.round(img.data[i])));
    rgb.fill(v, (i + margin * w) * 3, (i + margin * w) * 3 + 3);
  }
  boxes.forEach((b, j) => {
    const shifted = { ...b, y: b.y + margin };
    drawRect(rgb, w, h, shifted, [220, 30, 30]);
    const ty = shifted.y - 5 * scale - 2;
    drawDigit(rgb, w, h, Number(digits[j]), b.x, ty >= 0 ? ty : shifted.y + b.height + 2, scale, [20, 60, 220]);
  });
  return rgbToPng(w, h, rgb);
}

/** Read the digits in a picture with `model` (a tfjs Layers model on [n,28,28,1] or [n,784]). */
export function recognize(model: tf.LayersModel, img: GreyImage, options: SegmentOptions = {}): Recognition {
  const segs = segment(img, options);
  const tiles = segs.map((s) => s.tile);
  const probabilities = predictTiles(model, tiles);
  const digits = probabilities.map((p) => String(p.indexOf(Math.max(...p)))).join('');
  const boxes = segs.map((s) => s.box);
  return { digits, probabilities, boxes, tiles, picture: annotate(img, boxes, digits) };
}
