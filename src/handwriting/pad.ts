/**
 * The drawing pad: an HTML output with a canvas to draw a digit on, the preprocessed 28x28 and the
 * model's probabilities, updated live. The page runs the model itself (weights embedded as
 * base64, a small forward pass in pad-script.ts), so it needs no kernel round trip, no server
 * and no CDN: it works in JupyterLab, the classic Notebook and an exported HTML file alike.
 */
import { randomBytes } from 'crypto';
import type * as tf from '@tensorflow/tfjs';
import { displayData } from '../notebook/display';
import { PAD_SCRIPT } from './pad-script';
import { inputLayout } from './model';

/** One layer as the page's forward pass reads it. */
export interface PadLayer {
  type: string;
  name: string;
  activation?: string;
  units?: number;
  inputs?: number;
  filters?: number;
  kernel?: number[];
  pool?: number[];
  strides?: number[];
  padding?: string;
  target?: number[];
  /** Weights in tfjs order (kernel, bias): base64 little-endian float32, or uint8 codes when `q` is set. */
  w?: string[];
  /** Per-tensor affine 8-bit quantisation of `w` (value = min + code × scale). */
  q?: { min: number; scale: number }[];
}

export interface PadSpec {
  layers: PadLayer[];
  /** True when the model's last layer already gives probabilities. */
  softmax: boolean;
  /** Brush width in canvas pixels. */
  brush: number;
}

export interface PadOptions {
  /** Canvas side in CSS pixels (default 280, ten canvas pixels per MNIST pixel). */
  size?: number;
  /** Brush width in canvas pixels (default size/14, MNIST's stroke width to digit ratio). */
  brush?: number;
  title?: string;
  /**
   * How the weights travel in the page: 'float32' (exact) or 'uint8' (per-tensor affine, a quarter
   * of the size; probabilities move by ~1e-3). Default: float32 up to 250k parameters, uint8 above,
   * so a document-001 LeNet (3.3M parameters) adds ~4.4 MB to the notebook instead of ~18 MB.
   */
  weights?: 'float32' | 'uint8';
}

function b64(values: Float32Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

/** 8-bit affine codes of one tensor (the scheme of tfjs-converter's --quantize_uint8). */
function quantize(values: Float32Array): { w: string; q: { min: number; scale: number } } {
  let min = Infinity, max = -Infinity;
  for (const v of values) { if (v < min) min = v; if (v > max) max = v; }
  if (!(min <= max)) { min = 0; max = 0; }
  const scale = max > min ? (max - min) / 255 : 1;
  const codes = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) codes[i] = Math.round((values[i] - min) / scale);
  return { w: Buffer.from(codes.buffer, codes.byteOffset, codes.byteLength).toString('base64'), q: { min, scale } };
}

function pair(v: unknown): number[] {
  return Array.isArray(v) ? v.map(Number) : [Number(v), Number(v)];
}

/** The model's layers in the form the page runs; throws naming any layer it cannot run. */
export function exportForPad(model: tf.LayersModel, weights: 'float32' | 'uint8' = 'float32'): PadLayer[] {
  inputLayout(model);
  return model.layers.map((layer) => {
    const type = layer.getClassName();
    const raw = layer.getConfig() as Record<string, unknown>;
    // tfjs configs are camelCase; Keras-converted ones may carry snake_case names.
    const cfg = (k: string): unknown => raw[k] ?? raw[k.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase())];
    const values = layer.getWeights().map((t) => t.dataSync() as Float32Array);
    const coded = weights === 'uint8' ? values.map(quantize) : null;
    const w: Pick<PadLayer, 'w' | 'q'> = coded ? { w: coded.map((c) => c.w), q: coded.map((c) => c.q) } : { w: values.map(b64) };
    const act = cfg('activation') as string | undefined;
    const base = { type, name: layer.name };
    switch (type) {
      case 'InputLayer':
      case 'Dropout':
      case 'Flatten':
        return base;
      case 'Dense':
        return { ...base, activation: act ?? 'linear', units: Number(cfg('units')), inputs: layer.getWeights()[0].shape[0], ...w };
      case 'Conv2D': {
        if (pair(cfg('dilationRate') ?? 1).some((d) => d !== 1)) throw new Error(`pad: layer ${layer.name}: dilated Conv2D is not supported`);
        return { ...base, activation: act ?? 'linear', filters: Number(cfg('filters')), kernel: pair(cfg('kernelSize')), strides: pair(cfg('strides') ?? 1), padding: String(cfg('padding') ?? 'valid'), ...w };
      }
      case 'MaxPooling2D':
      case 'AveragePooling2D': {
        const pool = pair(cfg('poolSize') ?? 2);
        return { ...base, pool, strides: cfg('strides') == null ? pool : pair(cfg('strides')), padding: String(cfg('padding') ?? 'valid') };
      }
      case 'Activation':
        return { ...base, activation: act ?? 'linear' };
      case 'Reshape':
        return { ...base, target: (cfg('targetShape') as number[]).map(Number) };
      default:
        throw new Error(`pad: layer ${layer.name} is a ${type}; the pad runs Dense, Conv2D, MaxPooling2D, AveragePooling2D, Flatten, Dropout, Reshape and Activation layers`);
    }
  });
}

/** The pad as a self-contained HTML fragment (a div, a style and a script). */
export function padHtml(model: tf.LayersModel, options: PadOptions = {}): string {
  const size = options.size ?? 280;
  const weights = options.weights ?? (model.countParams() > 250_000 ? 'uint8' : 'float32');
  const layers = exportForPad(model, weights);
  const last = [...layers].reverse().find((l) => l.activation !== undefined);
  const spec: PadSpec = { layers, softmax: last?.activation === 'softmax', brush: options.brush ?? Math.round(size / 14) };
  const id = `dlpad-${randomBytes(6).toString('hex')}`;
  const rows = Array.from({ length: 10 }, (_, d) =>
    `<div class="dl-row"><span class="dl-lab">${d}</span><span class="dl-track"><span class="dl-bar"></span></span><span class="dl-val"></span></div>`).join('');
  // JSON inside a <script> must not contain "</": escape it.
  const json = JSON.stringify(spec).replace(/<\//g, '<\\/');
  return `<div id="${id}" class="dl-pad">
<style>
#${id} { font: 13px sans-serif; display: flex; gap: 16px; align-items: flex-start; flex-wrap: wrap; }
#${id} .dl-canvas { width: ${size}px; height: ${size}px; border: 1px solid #888; touch-action: none; cursor: crosshair; background: #fff; }
#${id} .dl-tile { width: 112px; height: 112px; image-rendering: pixelated; border: 1px solid #888; }
#${id} .dl-row { display: flex; align-items: center; gap: 6px; height: 18px; }
#${id} .dl-lab { width: 10px; } #${id} .dl-val { width: 44px; font-family: monospace; }
#${id} .dl-track { width: 150px; height: 12px; background: #eee; display: inline-block; }
#${id} .dl-bar { height: 12px; background: #3b6fd8; display: block; width: 0; }
#${id} .dl-digit { font-size: 48px; font-weight: bold; }
</style>
<div><div>${options.title ?? 'Draw a digit'}</div><canvas class="dl-canvas" width="${size}" height="${size}"></canvas><br><button class="dl-clear">Clear</button></div>
<div><div>model input (28x28)</div><canvas class="dl-tile" width="28" height="28"></canvas><div>prediction</div><div class="dl-digit">–</div></div>
<div><div>probabilities</div>${rows}</div>
<script>
(function () {
${PAD_SCRIPT}
var root = document.getElementById(${JSON.stringify(id)});
if (root && !root.dlState) dlPad_init(root, ${json});
})();
</script>
</div>`;
}

/**
 * Show the drawing pad in the notebook (a text/html output). Returns nothing, so that the cell
 * does not also print the whole page as its value; `padHtml` gives the HTML to save as a page.
 */
export function pad(model: tf.LayersModel, options: PadOptions = {}): void {
  displayData({ 'text/html': padHtml(model, options), 'text/plain': 'digitlab drawing pad (needs an HTML view of the notebook)' });
}
