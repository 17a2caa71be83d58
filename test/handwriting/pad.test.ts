/**
 * The drawing pad in headless Chromium: draw strokes with the mouse, then check that the page's
 * 28x28 equals the library's preprocessing of the same canvas, and that the page's own forward
 * pass gives what tfjs gives for that 28x28.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { chromium, type Browser, type Page } from 'playwright-core';
import * as lab from '../../src';
import { testModel, TRAIN_TIMEOUT } from './test-model';
import { drawStrokes, type Stroke } from './draw';

let browser: Browser;
let trained: tf.LayersModel;
beforeAll(async () => {
  await lab.engine.init({ quiet: true });
  trained = await testModel();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}, TRAIN_TIMEOUT);
afterAll(async () => { await browser?.close(); });

/** A small CNN with every layer kind the pad runs (seeded init, no training needed to compare). */
function smallCnn(): tf.LayersModel {
  lab.seed(3);
  const m = tf.sequential();
  m.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 4, kernelSize: 5, padding: 'same', activation: 'relu' }));
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.conv2d({ filters: 6, kernelSize: 3, strides: 2, padding: 'valid', activation: 'tanh' }));
  m.add(tf.layers.averagePooling2d({ poolSize: 2, padding: 'same' }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dropout({ rate: 0.5 }));
  m.add(tf.layers.dense({ units: 16, activation: 'sigmoid' }));
  m.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return m;
}

type PadState = { tile: number[] | null; probabilities: number[] | null; digit: number | null; canvas: string };

async function drawOn(page: Page, strokes: Stroke[]): Promise<PadState> {
  await drawStrokes(page, page.locator('.dl-canvas'), strokes);
  return page.evaluate(() => {
    const root = document.querySelector('.dl-pad') as HTMLElement & { dlState: PadState };
    const cv = root.querySelector('.dl-canvas') as HTMLCanvasElement;
    return { ...root.dlState, canvas: cv.toDataURL('image/png') };
  });
}

function tfProbs(model: tf.LayersModel, tile: number[]): number[] {
  const img = lab.handwriting.greyImage(28, 28, Float32Array.from(tile, (v) => v * 255));
  return lab.handwriting.predictTiles(model, [img])[0];
}

describe('drawing pad', () => {
  it('CNN: the page preprocesses like toMnist and its forward pass equals tfjs', async () => {
    const model = smallCnn();
    const page = await browser.newPage();
    await page.setContent(lab.handwriting.padHtml(model));
    // A "7": top bar, then the diagonal.
    const st = await drawOn(page, [[[0.25, 0.2], [0.75, 0.2], [0.45, 0.85]]]);
    expect(st.tile).not.toBeNull();
    const canvas = lab.handwriting.readImage(Buffer.from(st.canvas.split(',')[1], 'base64'), 'pad canvas');
    const ours = lab.handwriting.toMnist(canvas);
    let maxDiff = 0;
    for (let i = 0; i < 784; i++) maxDiff = Math.max(maxDiff, Math.abs(ours.data[i] / 255 - st.tile![i]));
    expect(maxDiff).toBeLessThan(0.02);
    const p = tfProbs(model, st.tile!);
    for (let d = 0; d < 10; d++) expect(st.probabilities![d]).toBeCloseTo(p[d], 5);
    expect(st.digit).toBe(p.indexOf(Math.max(...p)));
    expect(await page.locator('.dl-digit').textContent()).toBe(String(st.digit));
    // Clearing empties the prediction.
    await page.click('.dl-clear');
    expect(await page.locator('.dl-digit').textContent()).toBe('–');
    await page.close();
  });

  it('trained test model: a drawn "1" and "7" are read as such, same as tfjs', async () => {
    const model = trained;
    const page = await browser.newPage();
    await page.setContent(lab.handwriting.padHtml(model));
    const one = await drawOn(page, [[[0.5, 0.15], [0.47, 0.85]]]);
    expect(one.digit).toBe(1);
    const p1 = tfProbs(model, one.tile!);
    for (let d = 0; d < 10; d++) expect(one.probabilities![d]).toBeCloseTo(p1[d], 5);
    await page.click('.dl-clear');
    const seven = await drawOn(page, [[[0.25, 0.2], [0.75, 0.2], [0.45, 0.85]]]);
    expect(seven.digit).toBe(7);
    await page.close();
  });

  it('uint8 weights: a quarter of the page size, same digits, probabilities within 0.01 of tfjs', async () => {
    const f32 = lab.handwriting.padHtml(trained, { weights: 'float32' });
    const u8 = lab.handwriting.padHtml(trained, { weights: 'uint8' });
    expect(u8.length).toBeLessThan(f32.length * 0.4);
    const page = await browser.newPage();
    await page.setContent(u8);
    const strokes: Stroke[][] = [
      [[[0.5, 0.15], [0.47, 0.85]]],
      [[[0.25, 0.2], [0.75, 0.2], [0.45, 0.85]]],
      [[[0.3, 0.3], [0.5, 0.15], [0.7, 0.3], [0.3, 0.85], [0.75, 0.85]]],
    ];
    for (const s of strokes) {
      const st = await drawOn(page, s);
      const p = tfProbs(trained, st.tile!);
      expect(st.digit).toBe(p.indexOf(Math.max(...p)));
      for (let d = 0; d < 10; d++) expect(Math.abs(st.probabilities![d] - p[d])).toBeLessThan(0.01);
      await page.click('.dl-clear');
    }
    await page.close();
  });

  it('recognize leaks no tensors; a saved model loads back and reads the same', async () => {
    const model = smallCnn();
    const { stripPicture } = await import('./fixtures');
    const { img } = stripPicture([1, 2, 3], 'grey', 40, lab.rng(4));
    const before = tf.memory().numTensors;
    const a = lab.handwriting.recognize(model, img);
    lab.handwriting.recognize(model, img);
    expect(tf.memory().numTensors).toBe(before);
    const dir = require('fs').mkdtempSync(require('path').join(require('os').tmpdir(), 'hw-model-')) + '/m';
    await lab.handwriting.saveModel(model, dir);
    const b = lab.handwriting.recognize(await lab.handwriting.loadModel(dir), img);
    expect(b.digits).toBe(a.digits);
    b.probabilities.flat().forEach((v, i) => expect(v).toBeCloseTo(a.probabilities.flat()[i], 6));
  });

  it('names the layer it cannot run', () => {
    const m = tf.sequential();
    m.add(tf.layers.dense({ inputShape: [784], units: 4 }));
    m.add(tf.layers.batchNormalization());
    m.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
    expect(() => lab.handwriting.padHtml(m)).toThrow(/BatchNormalization/);
  });
});
