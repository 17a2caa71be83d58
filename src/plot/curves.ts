/**
 * Training curves: a live figure redrawn in place while a model trains (tfjs callback or a
 * hand-written loop), and the document-003 figure (loss on top, accuracy below) from a history.
 */
import * as tf from '@tensorflow/tfjs';
import { escapeHtml, fmt, type Figure, type Trace } from './figure';
import { liveFigure, show, type LiveFigure } from './plotly';

/** A history in the shape of tf.History: x positions (epochs or steps) and one array per metric. */
export interface TrainingHistory {
  epoch: number[];
  history: Record<string, number[]>;
}

/** What `history()` accepts: a tf.History, our TrainingHistory, or `{ loss: [...], acc: [...] }`. */
export type HistoryInput =
  | { epoch?: number[]; history: Record<string, ArrayLike<number | tf.Tensor> | undefined> }
  | Record<string, ArrayLike<number> | undefined>;

type Xy = [number, number];

interface CurveData {
  batchLoss: Xy[];
  batchAcc: Xy[];
  loss: Xy[];
  acc: Xy[];
  valLoss: Xy[];
  valAcc: Xy[];
}

/** Average consecutive points so a series has at most `max` (long runs stay light). */
export function downsample(points: readonly Xy[], max: number): Xy[] {
  if (points.length <= max) return points.slice();
  const out: Xy[] = [];
  const k = points.length / max;
  for (let b = 0; b < max; b++) {
    const s = Math.floor(b * k);
    const e = Math.max(s + 1, Math.floor((b + 1) * k));
    let sx = 0;
    let sy = 0;
    for (let i = s; i < e; i++) {
      sx += points[i][0];
      sy += points[i][1];
    }
    out.push([sx / (e - s), sy / (e - s)]);
  }
  return out;
}

export interface CurveFigureOptions {
  title?: string;
  xLabel?: string;
  /** Name of the held-out curves (document 003 validates on the test set: 'test'). */
  valName?: string;
  maxPoints?: number;
}

const BLUE = '#1f77b4';
const ORANGE = '#ff7f0e';

function trace(points: readonly Xy[], name: string, axis: 1 | 2, style: Record<string, unknown>, legend: boolean): Trace {
  return {
    type: 'scatter',
    x: points.map((p) => p[0]),
    y: points.map((p) => p[1]),
    name,
    legendgroup: name,
    showlegend: legend,
    xaxis: axis === 1 ? 'x' : 'x2',
    yaxis: axis === 1 ? 'y' : 'y2',
    ...style,
  };
}

/** Two stacked panels sharing x: loss (top) and accuracy (bottom), train and validation. */
function curveFigure(d: CurveData, o: CurveFigureOptions): Figure {
  const max = o.maxPoints ?? 1500;
  const val = o.valName ?? 'validation';
  const batchStyle = (c: string): Record<string, unknown> => ({ mode: 'lines', line: { color: c, width: 1 }, opacity: 0.35 });
  const epochStyle = (c: string): Record<string, unknown> => ({ mode: 'lines+markers', line: { color: c, width: 2 } });
  const data: Trace[] = [];
  const panel = (axis: 1 | 2, batch: Xy[], train: Xy[], held: Xy[]): void => {
    const legend = axis === 1;
    // Per-batch points are a faint backdrop when epoch summaries exist, else the main line.
    if (batch.length) {
      data.push(
        train.length
          ? trace(downsample(batch, max), 'train (per batch)', axis, batchStyle(BLUE), legend)
          : trace(downsample(batch, max), 'train', axis, { mode: 'lines', line: { color: BLUE, width: 2 } }, legend),
      );
    }
    if (train.length) data.push(trace(train, 'train', axis, epochStyle(BLUE), legend));
    if (held.length) data.push(trace(held, val, axis, epochStyle(ORANGE), legend));
  };
  panel(1, d.batchLoss, d.loss, d.valLoss);
  panel(2, d.batchAcc, d.acc, d.valAcc);
  // A panel with nothing yet still gets an (empty) trace so both axes exist from the first draw.
  for (const axis of [1, 2] as const) {
    if (!data.some((t) => t.yaxis === (axis === 1 ? 'y' : 'y2'))) data.push(trace([], 'train', axis, { mode: 'lines' }, false));
  }
  return {
    data,
    layout: {
      title: { text: o.title ?? 'training' },
      height: 560,
      grid: { rows: 2, columns: 1, pattern: 'independent' },
      xaxis: { anchor: 'y', matches: 'x2', showticklabels: false },
      xaxis2: { anchor: 'y2', title: { text: o.xLabel ?? 'epoch' } },
      yaxis: { domain: [0.55, 1], title: { text: 'loss' } },
      yaxis2: { domain: [0, 0.45], title: { text: 'accuracy' } },
      margin: { t: 50, r: 20, b: 50, l: 60 },
      legend: { orientation: 'h', y: 1.08, x: 1, xanchor: 'right' },
    },
  };
}

function numbers(v: ArrayLike<number | tf.Tensor> | undefined): number[] {
  if (!v) return [];
  return Array.from({ length: v.length }, (_, i) => {
    const e = v[i];
    return e instanceof tf.Tensor ? e.dataSync()[0] : e;
  });
}

/** The document-003 figure from a finished history, without displaying it. */
export function historyFigure(h: HistoryInput, o: CurveFigureOptions = {}): Figure {
  const rec = ('history' in h && h.history && typeof h.history === 'object' && !Array.isArray(h.history)
    ? h.history
    : h) as Record<string, ArrayLike<number | tf.Tensor> | undefined>;
  const pick = (...keys: string[]): number[] => numbers(keys.map((k) => rec[k]).find((v) => v !== undefined));
  const loss = pick('loss');
  if (loss.length === 0) {
    throw new Error(`history: no "loss" values; expected a tf.History or { loss: [...], acc: [...] }, got keys ${Object.keys(rec).join(', ')}`);
  }
  const given = 'epoch' in h && Array.isArray(h.epoch) ? (h.epoch as number[]) : null;
  // tf.History counts epochs from 0; the figure counts them from 1, as Keras' plots do.
  const xs = loss.map((_, i) => (given ? given[i] + 1 : i + 1));
  const xy = (v: number[]): Xy[] => v.map((y, i) => [xs[i], y]);
  return curveFigure(
    {
      batchLoss: [],
      batchAcc: [],
      loss: xy(loss),
      acc: xy(pick('acc', 'accuracy')),
      valLoss: xy(pick('val_loss')),
      valAcc: xy(pick('val_acc', 'val_accuracy')),
    },
    o,
  );
}

/** Loss on top, accuracy below, train vs validation per epoch (document 003's figure). */
export function history(h: HistoryInput, o: CurveFigureOptions = {}): Figure | undefined {
  return show(historyFigure(h, o));
}

/** One point of a hand-written loop. Any of the metrics may be left out. */
export interface CurvePoint {
  /** x position (step or fractional epoch); default: one more than the last. */
  step?: number;
  loss?: number;
  acc?: number;
  valLoss?: number;
  valAcc?: number;
  /** Examples processed since the last update (for samples/s); default options.batchSize. */
  samples?: number;
  /** Marks the point as an epoch summary (drawn with markers) rather than a batch. */
  epochEnd?: boolean;
}

export interface LiveCurveOptions extends CurveFigureOptions {
  /** Total steps, for the progress line's ETA. */
  totalSteps?: number;
  /** Examples per step, for samples/s when updates carry no `samples`. */
  batchSize?: number;
  /** Minimum time between redraws (default 500 ms: at most 2 per second). */
  throttleMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

/** A live training figure; `draws` counts redraws (the throttle is visible in tests). */
export class TrainingMonitor {
  readonly data: CurveData = { batchLoss: [], batchAcc: [], loss: [], acc: [], valLoss: [], valAcc: [] };
  readonly history: TrainingHistory = { epoch: [], history: {} };
  draws = 0;
  progress = '';
  epochLabel = '';
  totalSteps: number | undefined;
  private samples = 0;
  private stepsDone = 0;
  private lastStep = -1;
  private lastDraw = -Infinity;
  private readonly start: number;
  private readonly display: LiveFigure = liveFigure();

  constructor(readonly options: LiveCurveOptions = {}) {
    this.start = this.now();
    this.totalSteps = options.totalSteps;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Record a point; returns true when it redrew the figure. */
  record(p: CurvePoint, force = false): boolean {
    const x = p.step ?? this.lastStep + 1;
    this.lastStep = x;
    const push = (arr: Xy[], v: number | undefined): void => {
      if (v !== undefined && Number.isFinite(v)) arr.push([x, v]);
    };
    if (p.epochEnd) {
      push(this.data.loss, p.loss);
      push(this.data.acc, p.acc);
    } else {
      push(this.data.batchLoss, p.loss);
      push(this.data.batchAcc, p.acc);
      if (p.loss !== undefined || p.acc !== undefined) {
        this.stepsDone++;
        this.samples += p.samples ?? this.options.batchSize ?? 0;
      }
    }
    push(this.data.valLoss, p.valLoss);
    push(this.data.valAcc, p.valAcc);
    const h = this.history;
    h.epoch.push(x);
    for (const [k, v] of [['loss', p.loss], ['acc', p.acc], ['val_loss', p.valLoss], ['val_acc', p.valAcc]] as const) {
      if (v !== undefined) (h.history[k] ??= []).push(v);
    }
    return this.maybeDraw(force);
  }

  private progressLine(): string {
    const secs = (this.now() - this.start) / 1000;
    const parts: string[] = [];
    if (this.epochLabel) parts.push(this.epochLabel);
    parts.push(`step ${this.stepsDone}${this.totalSteps ? `/${this.totalSteps}` : ''}`);
    if (this.samples > 0 && secs > 0) parts.push(`${fmt(Math.round(this.samples / secs))} samples/s`);
    if (this.totalSteps && this.stepsDone > 0 && secs > 0) {
      const left = Math.max(0, ((this.totalSteps - this.stepsDone) * secs) / this.stepsDone);
      parts.push(`ETA ${clock(left)}`);
    }
    parts.push(`elapsed ${clock(secs)}`);
    const last = (a: Xy[]): number | undefined => a[a.length - 1]?.[1];
    const metric = (name: string, v: number | undefined): void => {
      if (v !== undefined) parts.push(`${name} ${v.toFixed(4)}`);
    };
    metric('loss', last(this.data.loss) ?? last(this.data.batchLoss));
    metric('acc', last(this.data.acc) ?? last(this.data.batchAcc));
    metric('val_loss', last(this.data.valLoss));
    metric('val_acc', last(this.data.valAcc));
    return parts.join(' · ');
  }

  /** The figure as it stands. */
  figure(): Figure {
    return curveFigure(this.data, this.options);
  }

  /** Redraw unless the last redraw was less than throttleMs ago (or `force`). */
  maybeDraw(force = false): boolean {
    const t = this.now();
    if (!force && t - this.lastDraw < (this.options.throttleMs ?? 500)) return false;
    this.lastDraw = t;
    this.draws++;
    this.progress = this.progressLine();
    this.display.draw(this.figure(), {
      before: `<pre class="digitlab-progress" style="margin:0 0 4px 0">${escapeHtml(this.progress)}</pre>`,
      plain: this.progress,
    });
    return true;
  }
}

function clock(secs: number): string {
  const s = Math.round(secs);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** A live curve for hand-written loops. */
export interface LiveCurve {
  /** Add a point; redraws at most every throttleMs. Await it inside loops so the redraw is sent. */
  update(p: CurvePoint): Promise<void>;
  /** Draw the final state (the last update may have fallen inside the throttle window). */
  done(): void;
  figure(): Figure;
  readonly history: TrainingHistory;
  readonly draws: number;
}

const yieldToEventLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

/** `const curve = lab.plot.liveCurve({ totalSteps }); … await curve.update({ step, loss, acc })`. */
export function liveCurve(options: LiveCurveOptions = {}): LiveCurve {
  const m = new TrainingMonitor({ xLabel: 'step', ...options });
  return {
    async update(p) {
      if (m.record(p)) await yieldToEventLoop();
    },
    done() {
      // Returns nothing, so tslab prints nothing under the figure; the data is in .history.
      m.maybeDraw(true);
    },
    figure: () => m.figure(),
    get history() {
      return m.history;
    },
    get draws() {
      return m.draws;
    },
  };
}

type Logs = Record<string, number>;

function metricOf(logs: Logs | undefined, ...keys: string[]): number | undefined {
  if (!logs) return undefined;
  for (const k of keys) if (typeof logs[k] === 'number') return logs[k];
  return undefined;
}

/**
 * A tfjs callback that draws live curves: `model.fit(x, y, { callbacks: [lab.plot.fitCallback()] })`.
 * Per-batch train loss/accuracy (x in fractional epochs), per-epoch train and validation values,
 * and a progress line. `.monitor.history` holds what was recorded.
 */
export class FitCallback extends tf.CustomCallback {
  readonly monitor: TrainingMonitor;
  private curEpoch = 0;
  private stepsPerEpoch = 0;

  constructor(options: LiveCurveOptions = {}) {
    // CustomCallback resolves the scalar logs before calling these, and yields to the event
    // loop between batches so the display messages are sent while fit runs.
    let self: FitCallback | null = null;
    super({
      onTrainBegin: async () => self?.beginTraining(),
      onEpochBegin: async (epoch) => {
        if (self) self.curEpoch = epoch;
      },
      onBatchEnd: async (batch, logs) => self?.endBatch(batch, logs as Logs | undefined),
      onEpochEnd: async (epoch, logs) => self?.endEpoch(epoch, logs as Logs | undefined),
      onTrainEnd: async () => {
        self?.monitor.maybeDraw(true);
      },
    });
    self = this;
    this.monitor = new TrainingMonitor(options);
  }

  private beginTraining(): void {
    const p = this.params as { epochs?: number; samples?: number; batchSize?: number; steps?: number | null };
    const steps = p.steps ?? (p.samples && p.batchSize ? Math.ceil(p.samples / p.batchSize) : 0);
    this.stepsPerEpoch = steps;
    if (steps && p.epochs) this.monitor.totalSteps ??= steps * p.epochs;
  }

  private label(): string {
    const epochs = (this.params as { epochs?: number }).epochs;
    return `epoch ${this.curEpoch + 1}${epochs ? `/${epochs}` : ''}`;
  }

  private endBatch(batch: number, logs: Logs | undefined): void {
    this.monitor.epochLabel = this.label();
    const x = this.stepsPerEpoch ? this.curEpoch + (batch + 1) / this.stepsPerEpoch : undefined;
    this.monitor.record({
      step: x,
      loss: metricOf(logs, 'loss'),
      acc: metricOf(logs, 'acc', 'accuracy'),
      samples: metricOf(logs, 'size'),
    });
  }

  private endEpoch(epoch: number, logs: Logs | undefined): void {
    this.monitor.epochLabel = this.label();
    this.monitor.record(
      {
        step: epoch + 1,
        epochEnd: true,
        loss: metricOf(logs, 'loss'),
        acc: metricOf(logs, 'acc', 'accuracy'),
        valLoss: metricOf(logs, 'val_loss'),
        valAcc: metricOf(logs, 'val_acc', 'val_accuracy'),
      },
      // An epoch's summary is drawn even inside the throttle window when epochs are slow.
      false,
    );
  }
}

/** `model.fit(x, y, { callbacks: [lab.plot.fitCallback({ valName: 'test' })] })`. */
export function fitCallback(options: LiveCurveOptions = {}): FitCallback {
  return new FitCallback(options);
}
