/**
 * Model summary like Keras' `model.summary()`: layer, output shape, params and totals, as an
 * HTML table (text/plain too). Works for tfjs LayersModels and anything implementing Summarizable
 * (the from-scratch networks of lab.nn).
 */
import * as tf from '@tensorflow/tfjs';
import { displayData, inKernel } from '../notebook/display';
import { escapeHtml, fmt } from './figure';

export interface SummaryRow {
  /** Layer name, e.g. "dense_1" (Dense). */
  name: string;
  /** Output shape without the batch dimension, or with null for it. */
  outputShape: readonly (number | null)[] | string;
  params: number;
  /** Layer kind, e.g. "Dense"; optional. */
  type?: string;
  /** Trainable parameters (default: all of them). */
  trainableParams?: number;
}

/** What a network implements to be summarised. */
export interface Summarizable {
  summaryRows(): SummaryRow[];
  /** A title for the table (default "Model"). */
  name?: string;
}

export interface ModelSummary {
  name: string;
  rows: SummaryRow[];
  total: number;
  trainable: number;
  nonTrainable: number;
  text: string;
  html: string;
}

function isLayersModel(m: unknown): m is tf.LayersModel {
  return m instanceof tf.LayersModel;
}

function shapeText(s: SummaryRow['outputShape']): string {
  if (typeof s === 'string') return s;
  return `[${s.map((d) => (d === null ? 'null' : String(d))).join(',')}]`;
}

function rowsOfLayersModel(m: tf.LayersModel): SummaryRow[] {
  return m.layers.map((l) => {
    const shape = l.outputShape;
    const first = Array.isArray(shape[0]) || shape.length === 0 ? (shape as unknown as (number | null)[][])[0] ?? [] : (shape as (number | null)[]);
    const trainable = l.trainableWeights.reduce((a, w) => a + w.shape.reduce((x: number, y) => x * (y ?? 1), 1), 0);
    return { name: l.name, type: l.getClassName(), outputShape: first, params: l.countParams(), trainableParams: trainable };
  });
}

/** The summary without displaying it. */
export function summarize(model: tf.LayersModel | Summarizable): ModelSummary {
  let rows: SummaryRow[];
  let name: string;
  if (isLayersModel(model)) {
    rows = rowsOfLayersModel(model);
    name = model.name;
  } else if (model && typeof (model as Summarizable).summaryRows === 'function') {
    rows = model.summaryRows();
    name = model.name ?? 'Model';
  } else {
    throw new Error('summary: expected a tf.LayersModel or an object with summaryRows(): {name, outputShape, params}[]');
  }
  rows.forEach((r, i) => {
    if (!Number.isInteger(r.params) || r.params < 0) throw new Error(`summary: row ${i} ("${r.name}") params must be an integer ≥ 0, got ${r.params}`);
  });
  const total = rows.reduce((a, r) => a + r.params, 0);
  const trainable = rows.reduce((a, r) => a + (r.trainableParams ?? r.params), 0);
  const nonTrainable = total - trainable;
  const label = (r: SummaryRow): string => (r.type ? `${r.name} (${r.type})` : r.name);
  const cols = [
    ['Layer (type)', ...rows.map(label)],
    ['Output shape', ...rows.map((r) => shapeText(r.outputShape))],
    ['Param #', ...rows.map((r) => fmt(r.params))],
  ];
  const widths = cols.map((c) => Math.max(...c.map((s) => s.length)) + 2);
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('').trimEnd();
  const rule = (ch: string): string => ch.repeat(widths.reduce((a, b) => a + b, 0));
  const text = [
    `Model: "${name}"`,
    rule('_'),
    line([cols[0][0], cols[1][0], cols[2][0]]),
    rule('='),
    ...rows.map((_, i) => line([cols[0][i + 1], cols[1][i + 1], cols[2][i + 1]])),
    rule('='),
    `Total params: ${fmt(total)}`,
    `Trainable params: ${fmt(trainable)}`,
    `Non-trainable params: ${fmt(nonTrainable)}`,
    rule('_'),
  ].join('\n');
  const td = (s: string, right = false): string => `<td style="text-align:${right ? 'right' : 'left'}">${escapeHtml(s)}</td>`;
  const html =
    `<table class="digitlab-summary"><caption style="text-align:left">Model: "${escapeHtml(name)}"</caption>` +
    `<thead><tr><th style="text-align:left">Layer (type)</th><th style="text-align:left">Output shape</th><th style="text-align:right">Param #</th></tr></thead><tbody>` +
    rows.map((r) => `<tr>${td(label(r))}${td(shapeText(r.outputShape))}${td(fmt(r.params), true)}</tr>`).join('') +
    `</tbody><tfoot><tr><th colspan="2" style="text-align:left">Total params</th><th style="text-align:right">${fmt(total)}</th></tr>` +
    `<tr><td colspan="2">Trainable params</td><td style="text-align:right">${fmt(trainable)}</td></tr>` +
    `<tr><td colspan="2">Non-trainable params</td><td style="text-align:right">${fmt(nonTrainable)}</td></tr></tfoot></table>`;
  return { name, rows, total, trainable, nonTrainable, text, html };
}

/** Show the summary table in a kernel (returns undefined), else return it. */
export function summary(model: tf.LayersModel | Summarizable): ModelSummary | undefined {
  const s = summarize(model);
  if (!inKernel()) return s;
  displayData({ 'text/html': s.html, 'text/plain': s.text });
  return undefined;
}
