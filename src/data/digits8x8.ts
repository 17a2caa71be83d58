/** scikit-learn's 8x8 digits (1797 images, values 0–16) from data/digits8x8/digits.csv.gz. */
import * as path from 'path';
import { strFromU8 } from 'fflate';
import { ImageSet } from './image-set';
import { dataDir, readMaybeGzip } from './files';

/** Parse the CSV: each row 64 pixels 0–16 then the label 0–9. */
export function parseDigits8x8(text: string, file: string): ImageSet {
  const rows = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const images = new Uint8Array(rows.length * 64);
  const labels = new Uint8Array(rows.length);
  rows.forEach((row, r) => {
    const cells = row.split(',');
    if (cells.length !== 65) throw new Error(`${file}: row ${r + 1} has ${cells.length} fields, expected 65 (64 pixels and a label)`);
    for (let c = 0; c < 65; c++) {
      const v = Number(cells[c]);
      const max = c < 64 ? 16 : 9;
      if (!Number.isInteger(v) || v < 0 || v > max) {
        const what = c < 64 ? `pixel ${c}` : 'label';
        throw new Error(`${file}: row ${r + 1}, ${what} is "${cells[c]}", expected an integer 0–${max}`);
      }
      if (c < 64) images[r * 64 + c] = v;
      else labels[r] = v;
    }
  });
  return new ImageSet({ name: 'digits8x8', images, labels, shape: [rows.length, 8, 8], numClasses: 10, maxValue: 16 });
}

/** The 1797 8x8 digits that scikit-learn's `load_digits()` returns, in the same order. */
export function digits8x8(file: string = path.join(dataDir(), 'digits8x8', 'digits.csv.gz')): ImageSet {
  return parseDigits8x8(strFromU8(readMaybeGzip(file)), file);
}
