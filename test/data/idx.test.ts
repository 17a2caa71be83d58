import { describe, it, expect, beforeAll } from 'vitest';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gzipSync } from 'fflate';
import { parseIdx, readIdx, idx } from '../../src/data/idx';

function idxBytes(dims: number[], data: number[], type = 0x08): Uint8Array {
  const head = new Uint8Array(4 + 4 * dims.length);
  head[2] = type;
  head[3] = dims.length;
  const v = new DataView(head.buffer);
  dims.forEach((d, i) => v.setUint32(4 + 4 * i, d, false));
  const out = new Uint8Array(head.length + data.length);
  out.set(head);
  out.set(data, head.length);
  return out;
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digitlab-idx-'));
});

describe('parseIdx', () => {
  it('reads dims and data', () => {
    const r = parseIdx(idxBytes([2, 2, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), 'x.idx');
    expect(r.dims).toEqual([2, 2, 3]);
    expect([...r.data]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });
  it('rejects a bad magic number, naming the file', () => {
    const b = idxBytes([1], [0]);
    b[0] = 0x42;
    expect(() => parseIdx(b, 'bad.idx')).toThrow(/bad\.idx: bad magic number/);
  });
  it('rejects a non-byte data type', () => {
    expect(() => parseIdx(idxBytes([1], [0], 0x0d), 'f.idx')).toThrow(/f\.idx: IDX data type 0xd, expected 0x08/);
  });
  it('rejects truncated data with the sizes', () => {
    const b = idxBytes([2, 28, 28], new Array(2 * 28 * 28).fill(0));
    expect(() => parseIdx(b.subarray(0, b.length - 10), 't.idx')).toThrow(/t\.idx: truncated data: header \[2,28,28\] needs 1568 bytes, file has 1558/);
  });
  it('rejects a truncated header', () => {
    expect(() => parseIdx(idxBytes([5, 5, 5], []).subarray(0, 9), 'h.idx')).toThrow(/h\.idx: truncated IDX header/);
  });
});

describe('idx pairs', () => {
  it('reads gzipped and plain files alike', () => {
    const imgs = idxBytes([2, 2, 2], [0, 255, 1, 2, 3, 4, 5, 6]);
    fs.writeFileSync(path.join(dir, 'i.gz'), gzipSync(imgs));
    fs.writeFileSync(path.join(dir, 'l'), idxBytes([2], [3, 9]));
    const set = idx(path.join(dir, 'i.gz'), path.join(dir, 'l'));
    expect(set.shape).toEqual([2, 2, 2]);
    expect([...set.labels]).toEqual([3, 9]);
    expect(readIdx(path.join(dir, 'i.gz')).dims).toEqual([2, 2, 2]);
  });
  it('rejects an image/label count mismatch naming both files', () => {
    fs.writeFileSync(path.join(dir, 'i3'), idxBytes([3, 1, 1], [1, 2, 3]));
    fs.writeFileSync(path.join(dir, 'l2'), idxBytes([2], [1, 2]));
    expect(() => idx(path.join(dir, 'i3'), path.join(dir, 'l2'))).toThrow(/i3 has 3 images but .*l2 has 2 labels/);
  });
  it('rejects a label outside 0–9', () => {
    fs.writeFileSync(path.join(dir, 'i1'), idxBytes([2, 1, 1], [1, 2]));
    fs.writeFileSync(path.join(dir, 'l10'), idxBytes([2], [1, 10]));
    expect(() => idx(path.join(dir, 'i1'), path.join(dir, 'l10'))).toThrow(/l10: label 1 is 10, expected 0–9/);
  });
  it('rejects a corrupt gzip', () => {
    const gz = gzipSync(idxBytes([1], [1]));
    fs.writeFileSync(path.join(dir, 'c.gz'), gz.subarray(0, gz.length - 6));
    expect(() => readIdx(path.join(dir, 'c.gz'))).toThrow(/c\.gz: corrupt or truncated gzip/);
  });
  it('names a missing file', () => {
    expect(() => readIdx(path.join(dir, 'nope'))).toThrow(/nope: cannot read \(ENOENT\)/);
  });
});
