import { describe, it, expect, beforeAll } from 'vitest';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import ndarray from 'ndarray';
import { init } from '../../src/engine/select';
import { rng } from '../../src/engine/seed';
import { decodeNpy, encodeNpy, NpyArray } from '../../src/io/npy';
import { loadNpy, loadNpz, saveNpy, saveNpz, encodeNpz, decodeNpz } from '../../src/io/npz';
import { toNdarray, toTensor } from '../../src/io/arrays';
import { py, pythonCheck, tmpDir } from './helpers';

let dir: string;
beforeAll(async () => {
  await init({ backend: 'cpu', quiet: true });
  dir = tmpDir('npz');
});

/** One seeded array of each dtype, with awkward shapes (scalar, empty, 3-D). */
function sampleArrays(): Record<string, NpyArray> {
  const r = rng(11);
  const fill = <T extends { length: number; [i: number]: number | bigint }>(a: T, f: () => number | bigint): T => {
    for (let i = 0; i < a.length; i++) a[i] = f();
    return a;
  };
  return {
    f32: { dtype: 'float32', shape: [2, 3, 4], data: fill(new Float32Array(24), () => (r() - 0.5) * 1e3) },
    f64: { dtype: 'float64', shape: [5], data: fill(new Float64Array(5), () => r() * Math.PI) },
    i8: { dtype: 'int8', shape: [3, 2], data: fill(new Int8Array(6), () => Math.floor(r() * 256) - 128) },
    i16: { dtype: 'int16', shape: [4], data: fill(new Int16Array(4), () => Math.floor(r() * 65536) - 32768) },
    i32: { dtype: 'int32', shape: [2, 2], data: Int32Array.from([-2147483648, 2147483647, 0, -1]) },
    i64: { dtype: 'int64', shape: [3], data: BigInt64Array.from([-(2n ** 63n), 2n ** 63n - 1n, 42n]) },
    u8: { dtype: 'uint8', shape: [2, 2, 2], data: fill(new Uint8Array(8), () => Math.floor(r() * 256)) },
    u16: { dtype: 'uint16', shape: [2], data: Uint16Array.from([0, 65535]) },
    u32: { dtype: 'uint32', shape: [2], data: Uint32Array.from([0, 4294967295]) },
    u64: { dtype: 'uint64', shape: [1], data: BigUint64Array.from([2n ** 64n - 1n]) },
    b: { dtype: 'bool', shape: [3], data: Uint8Array.from([1, 0, 1]) },
    scalar: { dtype: 'float32', shape: [], data: Float32Array.from([-0]) },
    empty: { dtype: 'float32', shape: [0, 3], data: new Float32Array(0) },
    nan: { dtype: 'float32', shape: [3], data: Float32Array.from([NaN, Infinity, -Infinity]) },
  };
}

const bytesOf = (a: NpyArray) => new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength);

describe('.npy encode/decode', () => {
  it('round-trips every dtype and shape bit for bit, with a 64-byte aligned header', () => {
    for (const [name, a] of Object.entries(sampleArrays())) {
      const bytes = encodeNpy(a, name);
      const headerLen = bytes.length - a.data.byteLength;
      expect(headerLen % 64, name).toBe(0);
      const back = decodeNpy(bytes, name);
      expect(back.dtype, name).toBe(a.dtype);
      expect(back.shape, name).toEqual(a.shape);
      expect(bytesOf(back), name).toEqual(bytesOf(a));
    }
  });
  it('reports bad magic, bad version, truncated header and truncated data with the file name', () => {
    const good = encodeNpy({ dtype: 'float32', shape: [4, 4], data: new Float32Array(16) });
    const bad = good.slice();
    bad[1] = 0x50;
    expect(() => decodeNpy(bad, 'm.npy')).toThrow(/m\.npy: bad \.npy magic \[93 50 55 4d 50 59\], expected "\\x93NUMPY"/);
    const v9 = good.slice();
    v9[6] = 9;
    expect(() => decodeNpy(v9, 'v.npy')).toThrow(/v\.npy: \.npy format version 9\.0, expected 1\.0–3\.0/);
    expect(() => decodeNpy(good.subarray(0, 40), 'h.npy')).toThrow(/h\.npy: truncated \.npy header: it declares \d+ bytes, only 30 present/);
    expect(() => decodeNpy(good.subarray(0, good.length - 5), 'd.npy')).toThrow(/d\.npy: truncated \.npy data: shape \[4,4\] of float32 needs 64 bytes, file has 59/);
    expect(() => decodeNpy(new TextEncoder().encode('PK'), 'z.npy')).toThrow(/z\.npy: bad \.npy magic/);
  });
  it('rejects dtypes it cannot represent, naming the descr', () => {
    const a = encodeNpy({ dtype: 'float32', shape: [1], data: new Float32Array(1) });
    const text = new TextDecoder('latin1').decode(a).replace("'<f4'", "'<U1'");
    expect(() => decodeNpy(Uint8Array.from(text, (c) => c.charCodeAt(0)), 'u.npy')).toThrow(/u\.npy: \.npy dtype '<U1' is not supported; expected one of <f4 <f8/);
  });
  it('checks shapes against data on the way out', () => {
    expect(() => encodeNpy({ dtype: 'float32', shape: [2, 3], data: new Float32Array(5) }, 'w')).toThrow(/w: shape \[2,3\] needs 6 values, the data holds 5/);
  });
});

describe('.npz files', () => {
  it('save → load round trip of tensors, ndarrays (incl. transposed views) and typed arrays', () => {
    const file = path.join(dir, 'mixed.npz');
    const t = tf.tensor2d([[1.5, -2], [3, 4e-8]]);
    const b = tf.tensor1d([true, false, true], 'bool');
    const base = ndarray(Float64Array.from([1, 2, 3, 4, 5, 6]), [2, 3]);
    const n0 = tf.memory().numTensors;
    saveNpz(file, { t, b, nd: base, ndT: base.transpose(1, 0), raw: { data: Int32Array.from([7, 8, 9]), shape: [3] } });
    expect(tf.memory().numTensors).toBe(n0);
    const back = loadNpz(file);
    expect(Object.keys(back)).toEqual(['t', 'b', 'nd', 'ndT', 'raw']);
    expect(back.t.dtype).toBe('float32');
    expect(Array.from(back.t.data as Float32Array)).toEqual(Array.from(t.dataSync()));
    expect(back.b.dtype).toBe('bool');
    expect(back.ndT.shape).toEqual([3, 2]);
    expect(Array.from(back.ndT.data as Float64Array)).toEqual([1, 4, 2, 5, 3, 6]);
    const asTensor = toTensor(back.t);
    expect(asTensor.arraySync()).toEqual(t.arraySync());
    expect(toNdarray(back.nd).get(1, 2)).toBe(6);
    [t, b, asTensor].forEach((x) => x.dispose());
  });
  it('writes deterministic bytes, stored or deflated', () => {
    const arrays = { a: { data: new Float32Array(1000).fill(1), shape: [1000] } };
    expect(encodeNpz(arrays)).toEqual(encodeNpz(arrays));
    expect(encodeNpz(arrays, { compress: true }).length).toBeLessThan(encodeNpz(arrays).length / 10);
    expect(Array.from(decodeNpz(encodeNpz(arrays, { compress: true }), 'c.npz').a.data as Float32Array)).toEqual(Array.from(arrays.a.data));
  });
  it('reports a CRC mismatch, a truncated zip, and a non-zip file', () => {
    const bytes = encodeNpz({ w: { data: Float32Array.from([1, 2, 3, 4]), shape: [4] } });
    const i = Buffer.from(bytes).indexOf(Buffer.from(Float32Array.from([3]).buffer));
    const flipped = bytes.slice();
    flipped[i] ^= 0x01;
    expect(() => decodeNpz(flipped, 'crc.npz')).toThrow(/crc\.npz: entry "w\.npy" fails its CRC-32 check \(stored [0-9a-f]{8}, computed [0-9a-f]{8}\): the file is corrupted/);
    expect(() => decodeNpz(bytes.subarray(0, bytes.length - 30), 'cut.npz')).toThrow(/cut\.npz: not a zip archive, or truncated \(no end-of-central-directory record\)/);
    const file = path.join(dir, 'text.npz');
    fs.writeFileSync(file, 'just text');
    expect(() => loadNpz(file)).toThrow(/text\.npz: not a zip archive, or truncated/);
    expect(() => loadNpz(path.join(dir, 'nope.npz'))).toThrow(/nope\.npz: cannot read \(ENOENT\)/);
  });
  it('reports a damaged .npy inside an .npz with both names', () => {
    const inner = encodeNpy({ dtype: 'float32', shape: [8], data: new Float32Array(8) });
    const { zipSync } = require('fflate') as typeof import('fflate');
    const z = zipSync({ 'x.npy': inner.subarray(0, inner.length - 4) }, { level: 0 });
    expect(() => decodeNpz(z, 'in.npz')).toThrow(/in\.npz:x\.npy: truncated \.npy data: shape \[8\] of float32 needs 32 bytes, file has 28/);
  });
  it('refuses unusable input with the array name', () => {
    const s = tf.tensor1d(['a'], 'string');
    expect(() => saveNpz(path.join(dir, 'bad.npz'), { names: s })).toThrow(/bad\.npz: names: tensor dtype string cannot be saved as a numpy array/);
    expect(() => saveNpz(path.join(dir, 'bad.npz'), {})).toThrow(/no arrays given/);
    expect(fs.existsSync(path.join(dir, 'bad.npz'))).toBe(false);
    s.dispose();
  });
});

const pyState = pythonCheck();
describe.skipIf(!pyState.ok)('numpy (Debian python3-numpy) reads ours and we read numpy\'s, bit for bit', () => {
  it('numpy loads every array of our .npz and .npy with identical bytes, dtype and shape', () => {
    const arrays = sampleArrays();
    const file = path.join(dir, 'all.npz');
    saveNpz(file, arrays);
    saveNpz(path.join(dir, 'allz.npz'), arrays, { compress: true });
    saveNpy(path.join(dir, 'one.npy'), arrays.f32);
    const out = py([
      '-c',
      `import numpy as np, json, sys
res = {}
for fn in ['all.npz', 'allz.npz']:
    with np.load(${JSON.stringify(dir)} + '/' + fn) as d:
        res[fn] = {k: [str(d[k].dtype), list(d[k].shape), d[k].tobytes().hex(), bool(d[k].flags['C_CONTIGUOUS'])] for k in d.files}
a = np.load(${JSON.stringify(dir)} + '/one.npy')
res['one'] = [str(a.dtype), list(a.shape), a.tobytes().hex()]
print(json.dumps(res))`,
    ]);
    const res = JSON.parse(out) as Record<string, Record<string, [string, number[], string, boolean]>> & { one: [string, number[], string] };
    for (const fn of ['all.npz', 'allz.npz']) {
      for (const [name, a] of Object.entries(arrays)) {
        const [dtype, shape, hex, c] = res[fn][name];
        expect(dtype, `${fn}:${name}`).toBe(a.dtype);
        expect(shape, `${fn}:${name}`).toEqual(a.shape);
        expect(hex, `${fn}:${name}`).toBe(Buffer.from(bytesOf(a)).toString('hex'));
        expect(c).toBe(true);
      }
    }
    expect(res.one).toEqual(['float32', [2, 3, 4], Buffer.from(bytesOf(arrays.f32)).toString('hex')]);
  });
  it('we load numpy\'s savez, savez_compressed, Fortran-order and big-endian arrays', () => {
    const out = path.join(dir, 'np');
    fs.mkdirSync(out, { recursive: true });
    py([
      '-c',
      `import numpy as np
rng = np.random.default_rng(5)
a = rng.standard_normal((3, 4)).astype('<f4')
np.savez('${out}/plain.npz', a=a, labels=np.arange(5), flags=np.array([True, False]))
np.savez_compressed('${out}/comp.npz', a=a, u=np.arange(12, dtype=np.uint16).reshape(2, 6))
np.savez('${out}/pos.npz', a, a.T)
np.save('${out}/fortran.npy', np.asfortranarray(a))
np.save('${out}/big.npy', a.astype('>f8'))
open('${out}/a.hex', 'w').write(a.tobytes().hex())`,
    ]);
    const aHex = fs.readFileSync(path.join(out, 'a.hex'), 'utf8');
    const hex = (x: NpyArray) => Buffer.from(bytesOf(x)).toString('hex');
    const plain = loadNpz(path.join(out, 'plain.npz'));
    expect(hex(plain.a)).toBe(aHex);
    expect(plain.labels.dtype).toBe('int64');
    expect(Array.from(plain.labels.data as BigInt64Array, Number)).toEqual([0, 1, 2, 3, 4]);
    expect(toTensor(plain.labels).dtype).toBe('int32');
    expect(Array.from(plain.flags.data as Uint8Array)).toEqual([1, 0]);
    const comp = loadNpz(path.join(out, 'comp.npz'));
    expect(hex(comp.a)).toBe(aHex);
    expect(comp.u.shape).toEqual([2, 6]);
    expect(Array.from(comp.u.data as Uint16Array)).toEqual([...Array(12).keys()]);
    const pos = loadNpz(path.join(out, 'pos.npz'));
    expect(Object.keys(pos)).toEqual(['arr_0', 'arr_1']);
    expect(pos.arr_1.shape).toEqual([4, 3]);
    const f = loadNpy(path.join(out, 'fortran.npy'));
    expect(f.shape).toEqual([3, 4]);
    expect(hex(f)).toBe(aHex);
    const big = loadNpy(path.join(out, 'big.npy'));
    expect(big.dtype).toBe('float64');
    expect(Array.from(Float32Array.from(big.data as Float64Array))).toEqual(Array.from(plain.a.data as Float32Array));
  });
});
