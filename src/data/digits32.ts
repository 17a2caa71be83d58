/**
 * The 32x32 text digits of the scratch-net document (data/digits32/digits.zip): files
 * `trainingDigits/LABEL_SEQ.txt` (1934) and `testDigits/LABEL_SEQ.txt` (946), each 32 lines of
 * 32 characters '0'/'1'.
 */
import * as fs from 'fs';
import * as path from 'path';
import { unzipSync, strFromU8 } from 'fflate';
import { ImageSet, type TrainTest } from './image-set';
import { dataDir } from './files';

/** Parse one text digit into 1024 bits; `where` names it in errors. */
export function parseTextDigit(text: string, where: string): Uint8Array {
  const lines = text.split(/\r?\n/).filter((l) => l !== '');
  if (lines.length !== 32) throw new Error(`${where}: ${lines.length} lines, expected 32 lines of 32 '0'/'1'`);
  const out = new Uint8Array(1024);
  lines.forEach((line, r) => {
    if (!/^[01]{32}$/.test(line)) throw new Error(`${where}: line ${r + 1} is "${line.slice(0, 40)}", expected 32 characters '0'/'1'`);
    for (let c = 0; c < 32; c++) out[r * 32 + c] = line.charCodeAt(c) - 48;
  });
  return out;
}

function part(entries: [string, Uint8Array][], name: string, zipFile: string): ImageSet {
  const items = entries
    .map(([p, bytes]) => {
      const m = /^(\d)_(\d+)\.txt$/.exec(path.posix.basename(p));
      if (!m) throw new Error(`${zipFile}: entry ${p}: file name must be LABEL_SEQ.txt with a label 0–9`);
      return { label: Number(m[1]), seq: Number(m[2]), p, bytes };
    })
    .sort((a, b) => a.label - b.label || a.seq - b.seq);
  const images = new Uint8Array(items.length * 1024);
  const labels = new Uint8Array(items.length);
  items.forEach((it, i) => {
    images.set(parseTextDigit(strFromU8(it.bytes), `${zipFile}: ${it.p}`), i * 1024);
    labels[i] = it.label;
  });
  return new ImageSet({ name, images, labels, shape: [items.length, 32, 32], numClasses: 10, maxValue: 1 });
}

/** The text digits: { train: 1934, test: 946 }, ordered by label then sequence number. */
export function digits32(zipFile: string = path.join(dataDir(), 'digits32', 'digits.zip')): TrainTest {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(fs.readFileSync(zipFile));
  } catch (e) {
    throw new Error(`${zipFile}: not a readable zip (${(e as Error).message})`);
  }
  const pick = (dir: string) => Object.entries(files).filter(([p]) => p.startsWith(`${dir}/`) && p.endsWith('.txt'));
  const train = pick('trainingDigits');
  const test = pick('testDigits');
  if (!train.length || !test.length) throw new Error(`${zipFile}: expected folders trainingDigits/ and testDigits/ of .txt files`);
  return { train: part(train, 'digits32/train', zipFile), test: part(test, 'digits32/test', zipFile) };
}
