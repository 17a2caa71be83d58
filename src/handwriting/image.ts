/**
 * Reading a user's picture (PNG or JPEG, any size, grey or RGB(A), 8 or 16 bit) into one grey
 * channel, and writing grey/RGB pictures back out as PNG.
 */
import * as fs from 'fs';
import * as jpeg from 'jpeg-js';

/** The part of fast-png used here (typed locally: its ESM types cannot be imported from CommonJS). */
interface DecodedPng {
  width: number;
  height: number;
  data: Uint8Array | Uint16Array;
  depth: number;
  channels: number;
  palette?: number[][];
}
interface FastPng {
  decode(data: Uint8Array): DecodedPng;
  encode(img: { width: number; height: number; data: Uint8Array; channels: number; depth: number }): Uint8Array;
  convertIndexedToRgb(img: DecodedPng): Uint8Array;
  hasPngSignature(data: Uint8Array): boolean;
}
// fast-png is ESM-only; Node >= 20.19 loads it with require() (this package is CommonJS).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const png = (): FastPng => require('fast-png') as FastPng;

/** A grey image: row-major `width*height` values in 0..255 (0 black, 255 white as stored). */
export interface GreyImage {
  width: number;
  height: number;
  data: Float32Array;
}

/** Make a grey image, checking that `data` fits the size. */
export function greyImage(width: number, height: number, data?: Float32Array): GreyImage {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`image: width and height must be positive integers, got ${width}x${height}`);
  }
  const d = data ?? new Float32Array(width * height);
  if (d.length !== width * height) throw new Error(`image: ${d.length} values for ${width}x${height}`);
  return { width, height, data: d };
}

function isJpeg(b: Uint8Array): boolean {
  return b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
}

/** Luma as document 004 computes it (ITU-R 601). */
function luma(r: number, g: number, b: number): number {
  return 0.299 * r + 0.587 * g + 0.114 * b;
}

/**
 * Interleaved samples (1–4 channels, max value `maxValue`) → grey 0..255. Alpha is composited
 * over white, because drawings saved with a transparent background are meant to be seen on paper.
 */
function toGrey(width: number, height: number, data: ArrayLike<number>, channels: number, maxValue: number): GreyImage {
  const out = new Float32Array(width * height);
  const k = 255 / maxValue;
  const hasAlpha = channels === 2 || channels === 4;
  const colour = channels >= 3;
  for (let i = 0; i < out.length; i++) {
    const o = i * channels;
    let v = colour ? luma(data[o], data[o + 1], data[o + 2]) * k : data[o] * k;
    if (hasAlpha) {
      const a = data[o + channels - 1] / maxValue;
      v = v * a + 255 * (1 - a);
    }
    out[i] = v;
  }
  return { width, height, data: out };
}

/** Grey PNGs of 1, 2 or 4 bits come packed, rows padded to whole bytes: one sample per value. */
function unpackBits(img: DecodedPng): Uint8Array {
  const { width, height, depth, channels } = img;
  const perRow = width * channels, stride = Math.ceil((perRow * depth) / 8), mask = (1 << depth) - 1;
  const out = new Uint8Array(perRow * height);
  for (let y = 0; y < height; y++) for (let i = 0; i < perRow; i++) {
    const bit = i * depth;
    out[y * perRow + i] = (img.data[y * stride + (bit >> 3)] >> (8 - depth - (bit & 7))) & mask;
  }
  return out;
}

function decodePngBytes(bytes: Uint8Array, name: string): GreyImage {
  let img: DecodedPng;
  try {
    img = png().decode(bytes);
  } catch (e) {
    throw new Error(`${name}: not a readable PNG (${(e as Error).message})`);
  }
  if (img.palette) {
    const rgb = png().convertIndexedToRgb(img);
    return toGrey(img.width, img.height, rgb, img.palette[0]?.length ?? 3, 255);
  }
  const maxValue = (1 << img.depth) - 1;
  if (img.depth < 8) return toGrey(img.width, img.height, unpackBits(img), img.channels, maxValue);
  return toGrey(img.width, img.height, img.data, img.channels, maxValue);
}

function decodeJpegBytes(bytes: Uint8Array, name: string): GreyImage {
  let img;
  try {
    img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
  } catch (e) {
    throw new Error(`${name}: not a readable JPEG (${(e as Error).message})`);
  }
  return toGrey(img.width, img.height, img.data, 4, 255);
}

/**
 * Read a PNG or JPEG (a path, or its bytes) as a grey image. The format is told by the file's
 * signature, not its name. Errors name the file and what is wrong with it.
 */
export function readImage(source: string | Uint8Array, name?: string): GreyImage {
  let bytes: Uint8Array;
  const label = name ?? (typeof source === 'string' ? source : 'image bytes');
  if (typeof source === 'string') {
    try {
      bytes = fs.readFileSync(source);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new Error(`${label}: cannot read the file (${code === 'ENOENT' ? 'no such file' : (e as Error).message})`);
    }
  } else {
    bytes = source;
  }
  if (bytes.length === 0) throw new Error(`${label}: the file is empty, expected a PNG or JPEG image`);
  let img: GreyImage;
  if (png().hasPngSignature(bytes)) img = decodePngBytes(bytes, label);
  else if (isJpeg(bytes)) img = decodeJpegBytes(bytes, label);
  else throw new Error(`${label}: not a PNG or JPEG image (unknown signature ${Array.from(bytes.slice(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ')})`);
  if (img.width < 1 || img.height < 1) throw new Error(`${label}: the image is ${img.width}x${img.height}, expected at least 1x1`);
  return img;
}

/** Encode a grey image (values clamped to 0..255) as an 8-bit grey PNG. */
export function greyToPng(img: GreyImage): Uint8Array {
  const data = new Uint8Array(img.width * img.height);
  for (let i = 0; i < data.length; i++) data[i] = Math.max(0, Math.min(255, Math.round(img.data[i])));
  return png().encode({ width: img.width, height: img.height, data, channels: 1, depth: 8 });
}

/** Encode interleaved 8-bit RGB pixels as a PNG. */
export function rgbToPng(width: number, height: number, rgb: Uint8Array): Uint8Array {
  return png().encode({ width, height, data: rgb, channels: 3, depth: 8 });
}
