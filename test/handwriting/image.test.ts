import { describe, it, expect } from 'vitest';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as jpeg from 'jpeg-js';
import * as lab from '../../src';
import { mnistInk, digitPicture } from './fixtures';

const hw = lab.handwriting;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fastPng = require('fast-png') as { encode(i: { width: number; height: number; data: Uint8Array | Uint16Array; channels: number; depth: number }): Uint8Array };

function tmp(name: string, bytes: Uint8Array): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hw-'));
  const p = path.join(dir, name);
  fs.writeFileSync(p, bytes);
  return p;
}

describe('readImage', () => {
  const w = 3, h = 2;
  const rgb = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [10, 20, 30], [200, 200, 200], [0, 0, 0]];
  const grey = rgb.map(([r, g, b]) => 0.299 * r + 0.587 * g + 0.114 * b);

  it('reads 8-bit RGB, RGBA (over white), grey and 16-bit grey PNGs with 0.299R+0.587G+0.114B', () => {
    const img = hw.readImage(fastPng.encode({ width: w, height: h, data: Uint8Array.from(rgb.flat()), channels: 3, depth: 8 }));
    expect(img.width).toBe(3); expect(img.height).toBe(2);
    img.data.forEach((v, i) => expect(v).toBeCloseTo(grey[i], 3));
    const rgba = hw.readImage(fastPng.encode({ width: w, height: h, data: Uint8Array.from(rgb.flatMap((p) => [...p, 0])), channels: 4, depth: 8 }));
    rgba.data.forEach((v) => expect(v).toBeCloseTo(255, 3));
    const g16 = hw.readImage(fastPng.encode({ width: 2, height: 1, data: Uint16Array.from([0, 65535]), channels: 1, depth: 16 }));
    expect(Array.from(g16.data)).toEqual([0, 255]);
    const g8 = hw.readImage(tmp('g.png', fastPng.encode({ width: 2, height: 1, data: Uint8Array.from([7, 250]), channels: 1, depth: 8 })));
    expect(Array.from(g8.data)).toEqual([7, 250]);
  });

  it('reads packed 1-bit grey and palette PNGs', () => {
    // 10x3 1-bit grey, all white but pixel (2,1); rows padded to 2 bytes (made by hand: fast-png
    // only encodes 8/16 bit). Bytes: signature, IHDR, IDAT (zlib of filter byte + 2 bytes per row), IEND.
    const zlib = require('zlib') as typeof import('zlib');
    const raw = Buffer.from([0, 0xff, 0xc0, 0, 0xdf, 0xc0, 0, 0xff, 0xc0]);
    const chunk = (type: string, data: Buffer) => {
      const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
      const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
      const crc = Buffer.alloc(4); crc.writeUInt32BE(zlib.crc32(td) >>> 0);
      return Buffer.concat([len, td, crc]);
    };
    const ihdr = Buffer.from([0, 0, 0, 10, 0, 0, 0, 3, 1, 0, 0, 0, 0]);
    const bytes = Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
    const img = hw.readImage(bytes, 'bw.png');
    expect(img.width).toBe(10);
    expect(Array.from(img.data.slice(10, 14))).toEqual([255, 255, 0, 255]);
    expect(img.data.reduce((s, v) => s + v, 0)).toBe(29 * 255);
  });

  it('reads JPEG (from a path) close to the luma of its colours', () => {
    const W = 16, H = 16, data = new Uint8Array(W * H * 4);
    for (let i = 0; i < W * H; i++) data.set([200, 100, 50, 255], i * 4);
    const p = tmp('x.jpg', jpeg.encode({ width: W, height: H, data }, 95).data);
    const img = hw.readImage(p);
    expect(img.width).toBe(16);
    expect(img.data[40]).toBeCloseTo(0.299 * 200 + 0.587 * 100 + 0.114 * 50, -1);
  });

  it('errors name the file and what is wrong', () => {
    expect(() => hw.readImage('/nonexistent/digit.png')).toThrow(/\/nonexistent\/digit\.png: cannot read the file \(no such file\)/);
    expect(() => hw.readImage(tmp('empty.png', new Uint8Array(0)))).toThrow(/empty\.png: the file is empty/);
    expect(() => hw.readImage(tmp('notes.png', Buffer.from('hello world')))).toThrow(/notes\.png: not a PNG or JPEG image/);
    const png = fastPng.encode({ width: 8, height: 8, data: new Uint8Array(64), channels: 1, depth: 8 });
    expect(() => hw.readImage(tmp('cut.png', png.slice(0, 40)))).toThrow(/cut\.png: not a readable PNG/);
    expect(() => hw.readImage(tmp('cut.jpg', Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0])))).toThrow(/cut\.jpg: not a readable JPEG/);
  });
});

describe('toMnist and the other formats', () => {
  it('a blank or flat picture is a clear error', () => {
    const blank = hw.greyImage(50, 40, new Float32Array(2000).fill(255));
    expect(() => hw.toMnist(blank, { name: 'blank.png' })).toThrow(/blank\.png: no ink found/);
    const r = lab.rng(1);
    const noise = hw.greyImage(60, 60, Float32Array.from({ length: 3600 }, () => 200 + 6 * (r() - 0.5)));
    expect(() => hw.toMnist(noise, { name: 'paper.jpg' })).toThrow(/paper\.jpg: no ink found/);
  });

  it('MNIST layout: longer side 20 px, centre of mass at the centre, ink white on black', () => {
    for (const kind of ['white', 'dark', 'gradient'] as const) {
      const { img } = digitPicture(3, kind, 90, lab.rng(5));
      const t = hw.toMnist(img);
      expect([t.width, t.height]).toEqual([28, 28]);
      let x0 = 28, x1 = -1, y0 = 28, y1 = -1, m = 0, mx = 0, my = 0, max = 0;
      for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) {
        const v = t.data[y * 28 + x];
        if (v > 0) { x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y); }
        m += v; mx += v * x; my += v * y; max = Math.max(max, v);
      }
      expect(Math.max(x1 - x0 + 1, y1 - y0 + 1)).toBe(20);
      expect(Math.abs(mx / m - 13.5)).toBeLessThanOrEqual(0.5);
      expect(Math.abs(my / m - 13.5)).toBeLessThanOrEqual(0.5);
      expect(max).toBeCloseTo(255, 0);
      // Corners are background: black.
      expect(t.data[0] + t.data[27] + t.data[783]).toBe(0);
    }
  });

  it('32x32 binary and 8x8 0–16 (4x4 block counts of the 32x32)', () => {
    const { img } = digitPicture(0, 'grey', 60, lab.rng(2));
    const b = hw.toDigits32(img);
    expect([b.width, b.height]).toEqual([32, 32]);
    expect(b.data.every((v) => v === 0 || v === 1)).toBe(true);
    let rows = 0;
    for (let y = 0; y < 32; y++) if (b.data.slice(y * 32, y * 32 + 32).some((v) => v)) rows++;
    const d = mnistInk(0);
    if (d.height >= d.width) expect(rows).toBeGreaterThanOrEqual(31);
    const e = hw.toDigits8x8(img);
    expect(e.data.every((v) => Number.isInteger(v) && v >= 0 && v <= 16)).toBe(true);
    expect(e.data.reduce((s, v) => s + v, 0)).toBe(b.data.reduce((s, v) => s + v, 0));
  });
});

describe('segment', () => {
  function canvas(w: number, h: number, strokes: [number, number, number, number][]): lab.handwriting.GreyImage {
    const data = new Float32Array(w * h).fill(240);
    for (const [x0, y0, x1, y1] of strokes) for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) data[y * w + x] = 20;
    return hw.greyImage(w, h, data);
  }

  it('reading order: rows top to bottom, then left to right', () => {
    // Two rows of vertical bars ("1"s), listed out of order.
    const img = canvas(200, 140, [[150, 80, 155, 120], [20, 10, 25, 50], [90, 12, 95, 52], [40, 82, 45, 122]]);
    const segs = hw.segment(img);
    expect(segs.map((s) => [s.box.x, s.box.y])).toEqual([[20, 10], [90, 12], [40, 82], [150, 80]]);
    segs.forEach((s) => expect([s.tile.width, s.tile.height]).toEqual([28, 28]));
  });

  it('merges a broken stroke (pieces stacked over each other) into one digit', () => {
    const img = canvas(120, 80, [[20, 10, 25, 35], [21, 40, 26, 65], [80, 10, 85, 65]]);
    const segs = hw.segment(img);
    expect(segs.length).toBe(2);
    expect(segs[0].box).toEqual({ x: 20, y: 10, width: 7, height: 56 });
  });

  it('splits touching digits at the column-projection minimum', () => {
    // Two MNIST digits pasted so that they touch through a thin bridge.
    const a = mnistInk(0), b = mnistInk(1);
    const h = 40, w = a.width + b.width + 20;
    const data = new Float32Array(w * h).fill(255);
    const paste = (d: ReturnType<typeof mnistInk>, ox: number) => {
      for (let y = 0; y < d.height; y++) for (let x = 0; x < d.width; x++) data[(y + 5) * w + x + ox] = Math.min(data[(y + 5) * w + x + ox], 255 - 255 * d.data[y * d.width + x]);
    };
    paste(a, 5); paste(b, 5 + a.width + 3);
    // A 2-px bridge from the first digit's rightmost ink to the second's leftmost, on one row.
    const row = 12;
    const inkAt = (x: number) => data[(row + 5) * w + x] < 128;
    let from = 5 + a.width - 1; while (!inkAt(from)) from--;
    let to = 5 + a.width + 3; while (!inkAt(to)) to++;
    for (let x = from; x <= to; x++) { data[(row + 5) * w + x] = 0; data[(row + 6) * w + x] = 0; }
    expect(hw.inkMap(hw.greyImage(w, h, data)).labelling.components.length).toBe(1);
    const segs = hw.segment(hw.greyImage(w, h, data));
    expect(segs.length).toBe(2);
  });

  it('a blank strip is a clear error', () => {
    expect(() => hw.segment(hw.greyImage(100, 30, new Float32Array(3000)), { name: 'strip.png' })).toThrow(/strip\.png: no ink found/);
  });
});
