import { describe, it, expect, beforeAll } from 'vitest';
import type * as tf from '@tensorflow/tfjs';
import * as lab from '../../src';
import { BACKGROUNDS, digitPicture, stripPicture } from './fixtures';
import { testModel, TEST_MODEL, TRAIN_TIMEOUT } from './test-model';

let model: tf.LayersModel;
beforeAll(async () => { model = await testModel(); }, TRAIN_TIMEOUT);

function argmax(p: number[]): number { return p.indexOf(Math.max(...p)); }

describe('reading rendered MNIST test digits with the test model (' + JSON.stringify(TEST_MODEL) + ')', () => {
  it('clean MNIST test images through toMnist (the model\'s own accuracy, for reference)', () => {
    const { test } = lab.data.mnist();
    const n = 2000;
    const tiles = Array.from({ length: n }, (_, i) => lab.handwriting.toMnist(lab.handwriting.greyImage(28, 28, Float32Array.from(test.image(i)))));
    const p = lab.handwriting.predictTiles(model, tiles);
    const acc = p.filter((row, i) => argmax(row) === test.labels[i]).length / n;
    console.log(`clean MNIST (first ${n} test images): ${acc.toFixed(4)}`);
    expect(acc).toBeGreaterThan(0.96);
  });

  for (const kind of BACKGROUNDS) {
    it(`single digits on a ${kind} background: accuracy >= 0.95`, () => {
      const r = lab.rng(7 + kind.length);
      const n = 200;
      let ok = 0;
      const tiles = [];
      const labels: number[] = [];
      for (let j = 0; j < n; j++) {
        const id = 5000 + Math.floor(r() * 5000);
        const { img, label } = digitPicture(id, kind, 20 + Math.floor(r() * 100), r);
        tiles.push(lab.handwriting.toMnist(img, { name: `${kind}#${j}` }));
        labels.push(label);
      }
      const p = lab.handwriting.predictTiles(model, tiles);
      p.forEach((row, j) => { if (argmax(row) === labels[j]) ok++; });
      console.log(`${kind}: ${(ok / n).toFixed(4)}`);
      expect(ok / n).toBeGreaterThanOrEqual(0.95);
    });
  }

  // The targets: strings >= 0.90 with the LeNet model (measured 0.933, ~0.99 per digit);
  // segmentation itself (the right number of digits, in order) is held to 0.97, and digits in
  // correctly segmented strips to 0.95.
  it('strips of 2–8 digits with uneven spacing: segmentation >= 0.97, digits >= 0.95, strings >= 0.90', () => {
    const r = lab.rng(99);
    const n = 120;
    let ok = 0, segOk = 0, digitsOk = 0, digitsAll = 0;
    for (let j = 0; j < n; j++) {
      const len = 2 + (j % 7);
      const ids = Array.from({ length: len }, () => Math.floor(r() * 10000));
      const kind = BACKGROUNDS[j % BACKGROUNDS.length];
      const { img, digits } = stripPicture(ids, kind, 24 + Math.floor(r() * 40), r);
      const got = lab.handwriting.recognize(model, img, { name: `strip#${j}` });
      expect(got.probabilities.length).toBe(got.digits.length);
      expect(got.boxes.length).toBe(got.digits.length);
      if (got.digits === digits) ok++;
      if (got.digits.length === digits.length) {
        segOk++;
        digitsAll += digits.length;
        for (let k = 0; k < digits.length; k++) digitsOk += +(got.digits[k] === digits[k]);
      }
    }
    console.log(`strips: string accuracy ${(ok / n).toFixed(4)}, segmentation ${(segOk / n).toFixed(4)}, digit accuracy in segmented strips ${(digitsOk / digitsAll).toFixed(4)}`);
    expect(segOk / n).toBeGreaterThanOrEqual(0.97);
    expect(digitsOk / digitsAll).toBeGreaterThanOrEqual(0.95);
    expect(ok / n).toBeGreaterThanOrEqual(0.90);
  });
});
