/**
 * Gradient check: backpropagation against central differences, parameter by parameter, as the
 * relative error ‖g_bp − g_num‖ / (‖g_bp‖ + ‖g_num‖) (0 when both vanish). Below ~1e-7 in Float64
 * means the backward pass is right; a wrong formula gives errors near 1.
 */
import * as nd from '../nd';
import type { NdArray } from '../nd';
import type { Network, Targets } from './network';

export interface GradCheckRow {
  param: string;
  shape: number[];
  /** How many entries were compared. */
  checked: number;
  relError: number;
  maxAbsDiff: number;
}

export interface GradCheckResult {
  rows: GradCheckRow[];
  maxRelError: number;
}

export interface GradCheckOptions {
  /** Step of the central difference (default 1e-4, document 004's). */
  h?: number;
  /** Compare only this many random entries per parameter (default: all of them). */
  sample?: number;
  /** Generator for the sampled entries (default Math.random). */
  rng?: () => number;
  /** Print the table with console.table (default true). */
  print?: boolean;
}

export function gradientCheck(net: Network, x: NdArray, t: Targets, options: GradCheckOptions = {}): GradCheckResult {
  const h = options.h ?? nd.DIFF_H;
  const { grads } = net.gradient(x, t);
  const X = x.dimension === 1 ? nd.reshape(x, [1, x.shape[0]]) : x;
  const f = () => net.lossOn(X, t);
  const rows: GradCheckRow[] = [];
  for (const p of net.params) {
    const bp = nd.packed(grads[p.name]).data;
    const n = p.value.size;
    const rng = options.rng ?? Math.random;
    const picks = options.sample !== undefined && options.sample < n
      ? Array.from({ length: options.sample }, () => Math.floor(rng() * n))
      : Array.from({ length: n }, (_, i) => i);
    let diff2 = 0;
    let a2 = 0;
    let b2 = 0;
    let maxAbs = 0;
    if (picks.length === n) {
      const num = nd.numericalGradient(f, p.value, h).data;
      for (let i = 0; i < n; i++) ({ diff2, a2, b2, maxAbs } = acc(bp[i], num[i], diff2, a2, b2, maxAbs));
    } else {
      for (const i of picks) ({ diff2, a2, b2, maxAbs } = acc(bp[i], nd.numericalPartial(f, p.value, i, h), diff2, a2, b2, maxAbs));
    }
    const denom = Math.sqrt(a2) + Math.sqrt(b2);
    rows.push({ param: p.name, shape: p.value.shape.slice(), checked: picks.length, relError: denom === 0 ? 0 : Math.sqrt(diff2) / denom, maxAbsDiff: maxAbs });
  }
  const result = { rows, maxRelError: Math.max(...rows.map((r) => r.relError)) };
  if (options.print !== false) {
    console.log(`gradient check of ${net.name} (h = ${h}): max relative error ${result.maxRelError.toExponential(2)}`);
    console.table(rows.map((r) => ({ param: r.param, shape: `[${r.shape}]`, checked: r.checked, relError: r.relError.toExponential(2), maxAbsDiff: r.maxAbsDiff.toExponential(2) })));
  }
  return result;
}

function acc(a: number, b: number, diff2: number, a2: number, b2: number, maxAbs: number) {
  const d = a - b;
  return { diff2: diff2 + d * d, a2: a2 + a * a, b2: b2 + b * b, maxAbs: Math.max(maxAbs, Math.abs(d)) };
}
