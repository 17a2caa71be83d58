import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import * as plot from '../../src/plot';
import { figureHtml, loaderBundle } from '../../src/plot/plotly';
import { downsample } from '../../src/plot/curves';

describe('plotly embedding', () => {
  it('packs plotly.js once, compressed, in a loader that defines window.Plotly', () => {
    const b = loaderBundle();
    const html = String(b['text/html']);
    const raw = require('fs').statSync(require.resolve('plotly.js-dist-min')).size as number;
    expect(html.length).toBeLessThan(raw / 2);
    expect(html).toContain('DecompressionStream');
    // One script tag; the payload is a base64 string literal (no "<" or quote inside).
    expect(html.match(/<\/script>/g)?.length).toBe(1);
    const payload = /atob\("([A-Za-z0-9+/=]*)"\)/.exec(html)?.[1] ?? '';
    const inflated = require('zlib').gunzipSync(Buffer.from(payload, 'base64')) as Buffer;
    expect(inflated.length).toBe(raw);
  });

  it('writes figures whose data cannot close the script early', () => {
    const fig = plot.linesFigure({ series: [{ name: '</script><b>x', y: [1, 2] }] });
    const html = figureHtml(fig);
    expect(html.match(/<\/script>/g)?.length).toBe(1);
    expect(html).toContain('\\u003c/script>');
    expect(html.length).toBeLessThan(3000);
  });
});

describe('lines and probabilities', () => {
  it('returns the figure outside a kernel, one trace per series, log axis on request', () => {
    const xs = Array.from({ length: 11 }, (_, i) => i * 100);
    const fig = plot.lines({
      series: [
        { name: 'sqrt', x: xs, y: xs.map(Math.sqrt) },
        { name: 'descent lr=0.01', x: xs, y: xs.map((v) => Math.sqrt(v) * 0.9), dash: 'dash' },
      ],
      title: 'square root by gradient descent',
      xLabel: 'x',
      yLabel: 'sqrt(x)',
      logY: true,
    })!;
    expect(fig.data).toHaveLength(2);
    expect(fig.data[1].y).toEqual(xs.map((v) => Math.sqrt(v) * 0.9));
    expect((fig.layout.yaxis as { type: string }).type).toBe('log');
    expect(() => plot.lines({ series: [{ name: 'bad', x: [1, 2], y: [1] }] })).toThrow(/"bad"\) has 2 x values but 1 y values/);
    expect(() => plot.lines({ series: [] })).toThrow(/at least one series/);
  });

  it('colours the top class and the true class', () => {
    const p = tf.tensor1d([0.1, 0.7, 0.2]);
    const fig = plot.probabilities(p, { label: 2, classNames: ['a', 'b', 'c'] })!;
    const colours = (fig.data[0].marker as { color: string[] }).color;
    expect(colours[2]).toBe('#2ca02c');
    expect(colours[1]).toBe('#d62728');
    expect(String((fig.layout.title as { text: string }).text)).toContain('b (70.0%)');
    p.dispose();
  });
});

describe('confusion matrix', () => {
  it('counts, precision and recall match a hand count', () => {
    const t = [0, 0, 0, 1, 1, 2, 2, 2, 2, 1];
    const p = [0, 1, 0, 1, 1, 2, 0, 2, 2, 2];
    const r = plot.confusionMatrix(t, p)!;
    expect(r.matrix).toEqual([
      [2, 1, 0],
      [0, 2, 1],
      [1, 0, 3],
    ]);
    expect(r.accuracy).toBeCloseTo(7 / 10);
    expect(r.stats[0].precision).toBeCloseTo(2 / 3);
    expect(r.stats[0].recall).toBeCloseTo(2 / 3);
    expect(r.stats[2].precision).toBeCloseTo(3 / 4);
    expect(r.stats[2].recall).toBeCloseTo(3 / 4);
    expect(r.stats[1].support).toBe(3);
    expect(r.figure.data[0].customdata).toEqual(r.matrix);
    expect(String(r.figure.data[0].hovertemplate)).toContain('%{customdata}');
    expect(r.table).toContain('<td>66.7%</td>');
    expect(() => plot.confusionMatrix([0, 1], [0])).toThrow(/2 true labels but 1 predictions/);
    expect(() => plot.confusionMatrix([0, -1], [0, 1])).toThrow(/yTrue\[1\] is -1/);
  });

  it('takes one-hot tensors without leaking', () => {
    const before = tf.memory().numTensors;
    const yt = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 1], 'int32'), 2));
    const yp = tf.tensor2d([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7]]);
    const r = plot.confusionMatrix(yt, yp)!;
    expect(r.matrix).toEqual([[1, 0], [1, 1]]);
    tf.dispose([yt, yp]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('model summary', () => {
  it('counts 795,010 params for 784-1000-10 (document 003)', () => {
    const m = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [784], units: 1000, activation: 'relu' }), tf.layers.dense({ units: 10, activation: 'softmax' })],
    });
    const s = plot.summary(m)!;
    expect(s.rows.map((r) => r.params)).toEqual([785000, 10010]);
    expect(s.total).toBe(795010);
    expect(s.trainable).toBe(795010);
    expect(s.rows[0].outputShape).toEqual([null, 1000]);
    expect(s.text).toContain('Total params: 795,010');
    expect(s.html).toContain('795,010');
    m.dispose();
  });

  it('summarises any object with summaryRows()', () => {
    const net: plot.Summarizable = {
      name: 'TwoLayerNet',
      summaryRows: () => [
        { name: 'affine1', type: 'Affine', outputShape: [null, 100], params: 78500 },
        { name: 'affine2', type: 'Affine', outputShape: [null, 10], params: 1010 },
      ],
    };
    const s = plot.summary(net)!;
    expect(s.total).toBe(79510);
    expect(s.html).toContain('TwoLayerNet');
    expect(() => plot.summary({} as plot.Summarizable)).toThrow(/summaryRows/);
  });
});

describe('training curves', () => {
  it('downsamples long series by averaging', () => {
    const pts = Array.from({ length: 10 }, (_, i) => [i, i] as [number, number]);
    expect(downsample(pts, 5)).toEqual([[0.5, 0.5], [2.5, 2.5], [4.5, 4.5], [6.5, 6.5], [8.5, 8.5]]);
  });

  it('liveCurve redraws at most twice a second and keeps every point', async () => {
    let now = 0;
    const curve = plot.liveCurve({ totalSteps: 100, batchSize: 32, now: () => now });
    for (let s = 0; s < 100; s++) {
      now += 20; // 50 steps per second → 2 s in all
      await curve.update({ step: s, loss: 1 / (s + 1), acc: s / 100 });
    }
    // t = 20 ms … 2000 ms, at most one redraw per 500 ms window (the first one included).
    expect(curve.draws).toBeLessThanOrEqual(5);
    expect(curve.draws).toBeGreaterThanOrEqual(4);
    curve.done();
    const h = curve.history;
    expect(curve.draws).toBeLessThanOrEqual(6);
    expect(h.history.loss).toHaveLength(100);
    const fig = curve.figure();
    const loss = fig.data.find((t) => t.name === 'train' && t.yaxis === 'y')!;
    expect((loss.y as number[]).length).toBe(100);
  });

  it('fitCallback follows model.fit per batch and epoch, and history() draws document 003', async () => {
    const x = tf.randomUniform([64, 8], 0, 1, 'float32', 3);
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({ length: 64 }, (_, i) => i % 2), 'int32'), 2));
    const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [8], units: 2, activation: 'softmax' })] });
    m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['acc'] });
    // A first fit creates the optimizer's variables; the callback must add nothing after that.
    await m.fit(x, y, { epochs: 1, batchSize: 16, validationSplit: 0.25, callbacks: [plot.fitCallback()] });
    const cb = plot.fitCallback({ throttleMs: 0 });
    const before = tf.memory().numTensors;
    const hist = await m.fit(x, y, { epochs: 3, batchSize: 16, validationSplit: 0.25, callbacks: [cb] });
    expect(tf.memory().numTensors).toBe(before);
    const mon = cb.monitor;
    // 48 training examples / 16 = 3 batches per epoch, 3 epochs.
    expect(mon.data.batchLoss).toHaveLength(9);
    expect(mon.data.batchLoss[2][0]).toBeCloseTo(1);
    expect(mon.data.loss.map((p) => p[0])).toEqual([1, 2, 3]);
    expect(mon.data.valAcc).toHaveLength(3);
    expect(mon.totalSteps).toBe(9);
    expect(mon.progress).toMatch(/epoch 3\/3 · step 9\/9 · .*samples\/s/);
    expect(mon.data.loss[2][1]).toBeCloseTo(hist.history.loss[2] as number, 5);

    const fig = plot.history(hist, { valName: 'test' })!;
    const names = fig.data.map((t) => `${String(t.name)}@${String(t.yaxis)}`);
    expect(names).toEqual(['train@y', 'test@y', 'train@y2', 'test@y2']);
    expect(fig.data[0].x).toEqual([1, 2, 3]);
    expect(() => plot.history({ acc: [1] })).toThrow(/no "loss" values/);
    tf.dispose([x, y]);
    m.dispose();
  });
});
