/** Line plots, a probability bar chart and the confusion matrix (plotly figures). */
import * as tf from '@tensorflow/tfjs';
import { inKernel } from '../notebook/display';
import { escapeHtml, fmt, type Figure, type Trace } from './figure';
import { show } from './plotly';
import { readAndDispose } from './images';

export interface Series {
  name: string;
  x?: ArrayLike<number>;
  y: ArrayLike<number>;
  /** 'lines' (default), 'markers' or 'lines+markers'. */
  mode?: 'lines' | 'markers' | 'lines+markers';
  dash?: 'solid' | 'dash' | 'dot' | 'dashdot';
}

export interface LinesOptions {
  series: Series[];
  title?: string;
  xLabel?: string;
  yLabel?: string;
  logY?: boolean;
  logX?: boolean;
  height?: number;
}

/** The figure of `lines` without displaying it. */
export function linesFigure(o: LinesOptions): Figure {
  if (!Array.isArray(o.series) || o.series.length === 0) throw new Error('lines: options.series must list at least one series');
  const data: Trace[] = o.series.map((s, i) => {
    if (!s.y || typeof s.y.length !== 'number') throw new Error(`lines: series[${i}] ("${s.name}") has no y values`);
    if (s.x && s.x.length !== s.y.length) {
      throw new Error(`lines: series[${i}] ("${s.name}") has ${s.x.length} x values but ${s.y.length} y values`);
    }
    return {
      type: 'scatter',
      mode: s.mode ?? 'lines',
      name: s.name,
      x: s.x ? Array.from(s.x) : Array.from({ length: s.y.length }, (_, k) => k),
      y: Array.from(s.y),
      line: { dash: s.dash ?? 'solid' },
    };
  });
  return {
    data,
    layout: {
      title: { text: o.title ?? '' },
      height: o.height ?? 420,
      xaxis: { title: { text: o.xLabel ?? '' }, type: o.logX ? 'log' : 'linear' },
      yaxis: { title: { text: o.yLabel ?? '' }, type: o.logY ? 'log' : 'linear' },
      margin: { t: o.title ? 50 : 20, r: 20, b: 50, l: 60 },
      legend: { orientation: 'h', y: -0.2 },
    },
  };
}

/** Lines for anything: `lines({ series: [{ name, x, y }], title, xLabel, yLabel, logY })`. */
export function lines(o: LinesOptions): Figure | undefined {
  return show(linesFigure(o));
}

function vector(v: ArrayLike<number> | tf.Tensor): number[] {
  return Array.from(v instanceof tf.Tensor ? v.dataSync() : v);
}

export interface ProbabilitiesOptions {
  classNames?: readonly string[];
  /** The true class: its bar is drawn in green (red marks a wrong top prediction). */
  label?: number;
  title?: string;
}

/** One prediction's class probabilities as bars, the top class highlighted. */
export function probabilitiesFigure(probs: ArrayLike<number> | tf.Tensor, o: ProbabilitiesOptions = {}): Figure {
  const p = vector(probs);
  if (p.length === 0) throw new Error('probabilities: empty probability vector');
  const top = p.indexOf(Math.max(...p));
  const names = p.map((_, i) => o.classNames?.[i] ?? String(i));
  const colours = p.map((_, i) =>
    i === o.label ? '#2ca02c' : i === top ? (o.label === undefined ? '#1f77b4' : '#d62728') : '#aec7e8',
  );
  return {
    data: [
      {
        type: 'bar',
        name: 'probability',
        x: names,
        y: p,
        marker: { color: colours },
        text: p.map((v) => v.toFixed(3)),
        textposition: 'outside',
        hovertemplate: 'class %{x}: %{y:.4f}<extra></extra>',
      },
    ],
    layout: {
      title: { text: o.title ?? `predicted ${names[top]} (${(100 * p[top]).toFixed(1)}%)` },
      height: 320,
      yaxis: { range: [0, 1.1], title: { text: 'probability' } },
      xaxis: { type: 'category', title: { text: 'class' } },
      margin: { t: 50, r: 20, b: 50, l: 60 },
    },
  };
}

export function probabilities(probs: ArrayLike<number> | tf.Tensor, o: ProbabilitiesOptions = {}): Figure | undefined {
  return show(probabilitiesFigure(probs, o));
}

export interface ClassStats {
  name: string;
  support: number;
  correct: number;
  precision: number;
  /** Recall: the share of this class's examples classified correctly ("per-class accuracy"). */
  recall: number;
  f1: number;
}

export interface ConfusionResult {
  /** matrix[true][pred] = count. */
  matrix: number[][];
  stats: ClassStats[];
  accuracy: number;
  figure: Figure;
  /** The per-class table as HTML. */
  table: string;
}

export interface ConfusionOptions {
  classNames?: readonly string[];
  numClasses?: number;
  title?: string;
}

function labelsOf(v: ArrayLike<number> | tf.Tensor, what: string): number[] {
  const a = v instanceof tf.Tensor ? (v.rank === 2 ? readAndDispose(tf.tidy(() => tf.argMax(v, 1))) : v.dataSync()) : v;
  const out = Array.from(a);
  out.forEach((c, i) => {
    if (!Number.isInteger(c) || c < 0) throw new Error(`confusionMatrix: ${what}[${i}] is ${c}, expected a class index ≥ 0`);
  });
  return out;
}

/** Confusion counts, per-class precision/recall/F1 and the heatmap, without displaying. */
export function confusion(
  yTrue: ArrayLike<number> | tf.Tensor,
  yPred: ArrayLike<number> | tf.Tensor,
  o: ConfusionOptions = {},
): ConfusionResult {
  const t = labelsOf(yTrue, 'yTrue');
  const p = labelsOf(yPred, 'yPred');
  if (t.length !== p.length) throw new Error(`confusionMatrix: ${t.length} true labels but ${p.length} predictions`);
  if (t.length === 0) throw new Error('confusionMatrix: no labels');
  const k = o.numClasses ?? o.classNames?.length ?? Math.max(...t, ...p) + 1;
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < t.length; i++) {
    if (t[i] >= k || p[i] >= k) throw new Error(`confusionMatrix: label ${Math.max(t[i], p[i])} at ${i} ≥ numClasses ${k}`);
    m[t[i]][p[i]]++;
  }
  const names = Array.from({ length: k }, (_, i) => o.classNames?.[i] ?? String(i));
  let correct = 0;
  const stats: ClassStats[] = names.map((name, c) => {
    const support = m[c].reduce((a, b) => a + b, 0);
    const predicted = m.reduce((a, row) => a + row[c], 0);
    const tp = m[c][c];
    correct += tp;
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { name, support, correct: tp, precision, recall, f1 };
  });
  const accuracy = correct / t.length;
  // Colour by share of the true class (rows), so rare classes read as clearly as common ones.
  const share = m.map((row, r) => row.map((v) => (stats[r].support ? v / stats[r].support : 0)));
  const figure: Figure = {
    data: [
      {
        type: 'heatmap',
        x: names,
        y: names,
        z: share,
        customdata: m,
        text: m.map((row) => row.map(String)),
        texttemplate: '%{text}',
        // Light for few, dark for many (plotly's named 'Blues' runs the other way).
        colorscale: [[0, '#f7fbff'], [0.5, '#6baed6'], [1, '#08306b']],
        zmin: 0,
        zmax: 1,
        colorbar: { title: { text: 'share of row' } },
        hovertemplate: 'true %{y}, predicted %{x}<br>%{customdata} examples (%{z:.1%} of true %{y})<extra></extra>',
      },
    ],
    layout: {
      title: { text: o.title ?? `confusion matrix — accuracy ${(100 * accuracy).toFixed(2)}%` },
      height: Math.max(380, 40 * k + 160),
      xaxis: { title: { text: 'predicted' }, type: 'category', side: 'bottom' },
      yaxis: { title: { text: 'true' }, type: 'category', autorange: 'reversed' },
      margin: { t: 50, r: 20, b: 60, l: 70 },
    },
  };
  const pct = (v: number): string => `${(100 * v).toFixed(1)}%`;
  const rows = stats
    .map(
      (s) =>
        `<tr><td>${escapeHtml(s.name)}</td><td>${s.support}</td><td>${s.correct}</td><td>${pct(s.precision)}</td><td>${pct(s.recall)}</td><td>${pct(s.f1)}</td></tr>`,
    )
    .join('');
  const table =
    `<table class="digitlab-table"><thead><tr><th>class</th><th>support</th><th>correct</th><th>precision</th><th>recall (accuracy)</th><th>F1</th></tr></thead>` +
    `<tbody>${rows}<tr><th>all</th><th>${t.length}</th><th>${correct}</th><th colspan="3">accuracy ${pct(accuracy)}</th></tr></tbody></table>`;
  return { matrix: m, stats, accuracy, figure, table };
}

/** Plain-text confusion matrix (the text/plain fallback). */
function confusionText(r: ConfusionResult): string {
  const w = Math.max(5, ...r.matrix.flat().map((v) => String(v).length + 1));
  const head = ' '.repeat(6) + r.stats.map((s) => s.name.slice(0, w - 1).padStart(w)).join('');
  const body = r.matrix.map((row, i) => r.stats[i].name.slice(0, 5).padEnd(6) + row.map((v) => String(v).padStart(w)).join(''));
  return [`confusion matrix (rows true, columns predicted), accuracy ${fmt(r.accuracy)}`, head, ...body].join('\n');
}

/**
 * Confusion matrix heatmap (counts in the cells, hover values) with a per-class
 * precision/recall table. Displays in a kernel (returns undefined), else returns the result.
 */
export function confusionMatrix(
  yTrue: ArrayLike<number> | tf.Tensor,
  yPred: ArrayLike<number> | tf.Tensor,
  o: ConfusionOptions = {},
): ConfusionResult | undefined {
  const r = confusion(yTrue, yPred, o);
  if (!inKernel()) return r;
  show(r.figure, { after: r.table, plain: confusionText(r) });
  return undefined;
}
