import { describe, it, expect } from 'vitest';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { zipSync, strToU8 } from 'fflate';
import * as tf from '@tensorflow/tfjs';
import { mnist, fashionMnist, FASHION_DIR } from '../../src/data/mnist';
import { notMnist } from '../../src/data/notmnist';
import { digits8x8, parseDigits8x8 } from '../../src/data/digits8x8';
import { digits32, parseTextDigit } from '../../src/data/digits32';

describe('MNIST', () => {
  it('has the canonical shapes and training label counts', () => {
    const { train, test } = mnist();
    expect(train.shape).toEqual([60000, 28, 28]);
    expect(test.shape).toEqual([10000, 28, 28]);
    expect(train.classCounts()).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    expect(test.classCounts().reduce((a, b) => a + b)).toBe(10000);
  });
  it('gives tensor views in the documents’ layouts', () => {
    const small = mnist().test.take(5);
    const x = small.x({ flatten: true });
    const x4 = small.x({ channels: true });
    const y = small.y({ oneHot: true });
    expect(x.shape).toEqual([5, 784]);
    expect(x4.shape).toEqual([5, 28, 28, 1]);
    expect(y.shape).toEqual([5, 10]);
    expect(x.max().dataSync()[0]).toBeLessThanOrEqual(1);
    expect(x.max().dataSync()[0]).toBeGreaterThan(0.9);
    expect([...y.argMax(1).dataSync()]).toEqual([...small.labels]);
    // The first MNIST test digit is a 7.
    expect(small.labels[0]).toBe(7);
    tf.dispose([x, x4, y]);
  });
  it('subsets keep images and labels together', () => {
    const t = mnist().test;
    const s = t.subset([3, 1]);
    expect(s.labels[0]).toBe(t.labels[3]);
    expect([...s.image(1)]).toEqual([...t.image(1)]);
    expect(() => t.image(10000)).toThrow(/outside 0–9999/);
  });
});

describe('Fashion-MNIST', () => {
  it.runIf(fs.existsSync(FASHION_DIR))('loads from Debian’s dataset-fashion-mnist', () => {
    const f = fashionMnist();
    expect(f.train.shape).toEqual([60000, 28, 28]);
    expect(f.test.shape).toEqual([10000, 28, 28]);
    expect(f.train.classCounts()).toEqual(new Array(10).fill(6000));
  });
  it('says how to install it when missing', () => {
    expect(() => fashionMnist('/nonexistent/fashion')).toThrow(/apt-get install dataset-fashion-mnist/);
  });
});

describe('notMNIST', () => {
  it('splits 10,000 letters 8,000/2,000, stratified and seeded', () => {
    const a = notMnist({ seed: 1 });
    const b = notMnist({ seed: 1 });
    const c = notMnist({ seed: 2 });
    expect(a.train.shape).toEqual([8000, 28, 28]);
    expect(a.test.shape).toEqual([2000, 28, 28]);
    expect(a.test.classCounts()).toEqual(new Array(10).fill(200));
    expect(a.train.classNames[0]).toBe('A');
    expect([...a.test.images.subarray(0, 2000)]).toEqual([...b.test.images.subarray(0, 2000)]);
    expect([...a.test.images.subarray(0, 4000)]).not.toEqual([...c.test.images.subarray(0, 4000)]);
  });
});

describe('8x8 digits', () => {
  it('has the 1797 samples of scikit-learn’s load_digits', () => {
    const d = digits8x8();
    expect(d.shape).toEqual([1797, 8, 8]);
    expect(d.maxValue).toBe(16);
    expect(d.classCounts()).toEqual([178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
    expect(Math.max(...d.images)).toBe(16);
  });
  it('rejects malformed rows with row and field', () => {
    const ok = new Array(64).fill(0).join(',') + ',3';
    expect(() => parseDigits8x8(ok + '\n' + ok.replace(/,3$/, ''), 'd.csv')).toThrow(/d\.csv: row 2 has 64 fields, expected 65/);
    expect(() => parseDigits8x8('17' + ok.slice(1), 'd.csv')).toThrow(/d\.csv: row 1, pixel 0 is "17", expected an integer 0–16/);
    expect(() => parseDigits8x8(ok.replace(/,3$/, ',12'), 'd.csv')).toThrow(/row 1, label is "12", expected an integer 0–9/);
  });
});

describe('32x32 text digits', () => {
  it('has 1934 training and 946 test files', () => {
    const { train, test } = digits32();
    expect(train.shape).toEqual([1934, 32, 32]);
    expect(test.shape).toEqual([946, 32, 32]);
    expect(train.maxValue).toBe(1);
    expect(new Set(train.labels).size).toBe(10);
  });
  it('rejects malformed digits with file and line', () => {
    const good = Array(32).fill('0'.repeat(32)).join('\r\n');
    expect(parseTextDigit(good, 'x').length).toBe(1024);
    expect(() => parseTextDigit(good.replace(/^0/, '2'), '3_1.txt')).toThrow(/3_1\.txt: line 1 is "2000.*expected 32 characters/);
    expect(() => parseTextDigit(good.split('\r\n').slice(1).join('\n'), '3_1.txt')).toThrow(/3_1\.txt: 31 lines, expected 32/);
  });
  it('rejects a zip entry with a bad name', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digitlab-d32-'));
    const good = strToU8(Array(32).fill('1'.repeat(32)).join('\n'));
    const zip = zipSync({ 'trainingDigits/x_1.txt': good, 'testDigits/1_0.txt': good });
    fs.writeFileSync(path.join(dir, 'd.zip'), zip);
    expect(() => digits32(path.join(dir, 'd.zip'))).toThrow(/d\.zip: entry trainingDigits\/x_1\.txt: file name must be LABEL_SEQ\.txt/);
  });
});
