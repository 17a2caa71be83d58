/**
 * Cutting a strip or page of handwritten digits into single digits: connected components of the
 * ink, merged where a digit's stroke is broken (pieces stacked over each other), split where
 * digits touch (a component much wider than tall is cut at the column-projection minima), then
 * ordered for reading (rows top to bottom, left to right within a row).
 */
import type { GreyImage } from './image';
import { inkMap, type InkOptions } from './ink';
import { cropInk, mnistTile, type Box } from './tile';

export interface Segment {
  /** Where the digit is in the picture (pixels). */
  box: Box;
  /** The digit as an MNIST tile, 28x28, 0..255 white ink on black. */
  tile: GreyImage;
}

interface Group {
  ids: Set<number>;
  x0: number; y0: number; x1: number; y1: number;
}

export interface SegmentOptions extends InkOptions {
  /**
   * A blob wider than this × the row's digit height is always split as touching digits
   * (default 1.5); from 1.0× on it is split where its columns thin to a narrow junction.
   */
  splitRatio?: number;
}

function overlapX(a: Group, b: Group): number {
  return Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0) + 1;
}

function mergeInto(a: Group, b: Group): void {
  b.ids.forEach((id) => a.ids.add(id));
  a.x0 = Math.min(a.x0, b.x0); a.y0 = Math.min(a.y0, b.y0);
  a.x1 = Math.max(a.x1, b.x1); a.y1 = Math.max(a.y1, b.y1);
}

/**
 * Merge pieces of one digit whose stroke is broken: pieces stacked over each other (strong
 * overlap in x, little in y, close in y), or a small piece lying mostly inside another's box.
 * Side-by-side pieces are left apart: those are neighbouring digits, often slanted into each other.
 */
function mergeBroken(groups: Group[]): Group[] {
  const area = (g: Group) => (g.x1 - g.x0 + 1) * (g.y1 - g.y0 + 1);
  const inside = (a: Group, b: Group) => {
    const ix = overlapX(a, b), iy = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0) + 1;
    return ix > 0 && iy > 0 && ix * iy >= 0.8 * area(a) && area(a) < 0.3 * area(b);
  };
  let changed = true;
  while (changed) {
    changed = false;
    outer: for (let i = 0; i < groups.length; i++) for (let j = i + 1; j < groups.length; j++) {
      const a = groups[i], b = groups[j];
      const wa = a.x1 - a.x0 + 1, wb = b.x1 - b.x0 + 1;
      const ha = a.y1 - a.y0 + 1, hb = b.y1 - b.y0 + 1;
      const overlapY = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0) + 1;
      const gapY = -overlapY;
      const stacked = overlapX(a, b) >= 0.5 * Math.min(wa, wb) && overlapY <= 0.3 * Math.min(ha, hb) && gapY <= 0.5 * Math.max(ha, hb);
      if (stacked || inside(a, b) || inside(b, a)) {
        mergeInto(a, b);
        groups.splice(j, 1);
        changed = true;
        break outer;
      }
    }
  }
  return groups;
}

/**
 * Rows of groups: a group joins the row it overlaps vertically by at least half of its own or
 * the row's height (digits in a line wander up and down and differ in size).
 */
function readingOrder(groups: Group[]): Group[][] {
  const rows: { y0: number; y1: number; items: Group[] }[] = [];
  for (const g of groups.slice().sort((a, b) => b.y1 - b.y0 - (a.y1 - a.y0))) {
    const gh = g.y1 - g.y0 + 1;
    const row = rows.find((r) => Math.min(r.y1, g.y1) - Math.max(r.y0, g.y0) + 1 >= 0.5 * Math.min(gh, r.y1 - r.y0 + 1));
    if (row) { row.items.push(g); row.y0 = Math.min(row.y0, g.y0); row.y1 = Math.max(row.y1, g.y1); }
    else rows.push({ y0: g.y0, y1: g.y1, items: [g] });
  }
  rows.sort((a, b) => a.y0 - b.y0);
  return rows.map((r) => r.items.sort((a, b) => a.x0 - b.x0));
}

/**
 * Cut positions for a group of touching digits: k pieces of about equal width, each cut at the
 * emptiest column within a quarter-piece of where an equal split would cut.
 */
function cutColumns(proj: Float32Array, k: number): number[] {
  const w = proj.length;
  const cuts: number[] = [];
  for (let j = 1; j < k; j++) {
    const centre = (j * w) / k, reach = Math.max(1, Math.floor(w / k / 3));
    let best = Math.round(centre), bestV = Infinity;
    for (let x = Math.max(1, Math.round(centre - reach)); x <= Math.min(w - 2, Math.round(centre + reach)); x++) {
      // Prefer the middle on ties: weight by distance a little.
      const v = proj[x] + 1e-3 * Math.abs(x - centre);
      if (v < bestV) { bestV = v; best = x; }
    }
    cuts.push(best);
  }
  return cuts;
}

function inkHeight(data: Float32Array, w: number, g: Group, a: number, b: number, keep: (i: number) => boolean): number {
  let y0 = Infinity, y1 = -1;
  for (let y = g.y0; y <= g.y1; y++) for (let x = a; x <= b; x++) {
    const i = y * w + x;
    if (data[i] > 0 && keep(i)) { if (y < y0) y0 = y; y1 = y; }
  }
  return y1 < 0 ? 0 : y1 - y0 + 1;
}

/** Split a strip or page into digits, in reading order. Throws (naming the image) when it holds no ink. */
export function segment(img: GreyImage, options: SegmentOptions = {}): Segment[] {
  const ink = inkMap(img, options);
  const { width: w, data, labelling } = ink;
  const labels = labelling.labels;
  const groups: Group[] = labelling.components.map((c) => ({ ids: new Set([c.id]), x0: c.x0, y0: c.y0, x1: c.x1, y1: c.y1 }));
  const rows = readingOrder(mergeBroken(groups));
  const ratio = options.splitRatio ?? 1.5;
  const out: Segment[] = [];
  for (const row of rows) {
    // Touching digits are judged against the row's typical digit height, not the blob's own.
    const heights = row.map((g) => g.y1 - g.y0 + 1).sort((a, b) => a - b);
    const rowH = heights[heights.length >> 1];
    for (const g of row) {
      const gw = g.x1 - g.x0 + 1, gh = g.y1 - g.y0 + 1;
      const refH = Math.max(gh, rowH);
      const keep = (i: number) => g.ids.has(labels[i]);
      let pieces: [number, number][] = [[g.x0, g.x1]];
      if (gw > 1.0 * refH) {
        const proj = new Float32Array(gw);
        for (let y = g.y0; y <= g.y1; y++) for (let x = g.x0; x <= g.x1; x++) {
          const i = y * w + x;
          if (keep(i)) proj[x - g.x0] += data[i];
        }
        let peak = 0;
        for (const v of proj) if (v > peak) peak = v;
        // How many digits touch: of the counts that digit widths of 0.5–1.0 × height allow,
        // the one whose cuts run through the emptiest columns (an extra cut must earn its place).
        let cuts: number[] = [];
        let bestCost = Infinity;
        const kMax = Math.max(2, Math.ceil(gw / (0.5 * refH)));
        for (let k = Math.max(2, Math.floor(gw / refH)); k <= kMax; k++) {
          const c = cutColumns(proj, k);
          const cost = c.reduce((s, x) => s + proj[x], 0) / c.length / (peak || 1) + 0.15 * (k - 2);
          if (cost < bestCost) { bestCost = cost; cuts = c; }
        }
        // A moderately wide blob is split only where its columns thin out to a narrow junction
        // (touching digits); one very wide is split regardless.
        const thin = cuts.every((c) => proj[c] <= 0.25 * peak);
        const edges = [g.x0, ...cuts.map((c) => c + g.x0), g.x1 + 1];
        const split: [number, number][] = edges.slice(0, -1).map((a, j) => [a, edges[j + 1] - 1]);
        // Each piece of a real split is a digit, so it spans most of the blob's height (a cut
        // that only severs a tail, as of a wide "2", leaves a flat piece).
        const tall = split.every(([a, b]) => inkHeight(data, w, g, a, b, keep) >= 0.5 * gh);
        if (gw > ratio * refH || (thin && tall)) pieces = split;
      }
      for (const [a, b] of pieces) {
        const crop = cropInk(data, w, { x: a, y: g.y0, width: b - a + 1, height: gh }, keep);
        if (!crop) continue;
        // Recover the crop's own box (cropInk trims to the ink).
        let bx0 = Infinity, by0 = Infinity, bx1 = -1, by1 = -1;
        for (let y = g.y0; y <= g.y1; y++) for (let x = a; x <= b; x++) {
          const i = y * w + x;
          if (data[i] > 0 && keep(i)) { if (x < bx0) bx0 = x; if (x > bx1) bx1 = x; if (y < by0) by0 = y; if (y > by1) by1 = y; }
        }
        out.push({ box: { x: bx0, y: by0, width: bx1 - bx0 + 1, height: by1 - by0 + 1 }, tile: mnistTile(crop) });
      }
    }
  }
  if (out.length === 0) throw new Error(`${options.name ?? 'image'}: no digits found`);
  return out;
}
