/**
 * numpy's .npy format (versions 1.0–3.0): a magic string, a Python-dict header giving dtype, order
 * and shape, then the raw values. We write C order, little-endian, version 1.0 (2.0 only for
 * huge headers), with the header padded to 64 bytes as numpy does.
 * Hand-written: the format is ~40 lines to parse and no maintained npm package reads and writes
 * every numeric dtype with the error messages we want.
 */

/** The numeric dtypes we read and write (numpy names). */
export type NpyDtype =
  | 'float32'
  | 'float64'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'bool';

export type NpyData =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array;

/** One array as read from or written to .npy: values in C (row-major) order. */
export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  data: NpyData;
}

interface DtypeInfo {
  dtype: NpyDtype;
  size: number;
  make: (buf: ArrayBuffer, offset: number, length: number) => NpyData;
}

const INFO: Record<string, DtypeInfo> = {
  f4: { dtype: 'float32', size: 4, make: (b, o, n) => new Float32Array(b, o, n) },
  f8: { dtype: 'float64', size: 8, make: (b, o, n) => new Float64Array(b, o, n) },
  i1: { dtype: 'int8', size: 1, make: (b, o, n) => new Int8Array(b, o, n) },
  i2: { dtype: 'int16', size: 2, make: (b, o, n) => new Int16Array(b, o, n) },
  i4: { dtype: 'int32', size: 4, make: (b, o, n) => new Int32Array(b, o, n) },
  i8: { dtype: 'int64', size: 8, make: (b, o, n) => new BigInt64Array(b, o, n) },
  u1: { dtype: 'uint8', size: 1, make: (b, o, n) => new Uint8Array(b, o, n) },
  u2: { dtype: 'uint16', size: 2, make: (b, o, n) => new Uint16Array(b, o, n) },
  u4: { dtype: 'uint32', size: 4, make: (b, o, n) => new Uint32Array(b, o, n) },
  u8: { dtype: 'uint64', size: 8, make: (b, o, n) => new BigUint64Array(b, o, n) },
  b1: { dtype: 'bool', size: 1, make: (b, o, n) => new Uint8Array(b, o, n) },
};

const DESCR: Record<NpyDtype, string> = {
  float32: '<f4',
  float64: '<f8',
  int8: '|i1',
  int16: '<i2',
  int32: '<i4',
  int64: '<i8',
  uint8: '|u1',
  uint16: '<u2',
  uint32: '<u4',
  uint64: '<u8',
  bool: '|b1',
};

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"

/** The dtype numpy would give a typed array of this class. */
export function dtypeOf(data: NpyData): NpyDtype {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof BigInt64Array) return 'int64';
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Uint16Array) return 'uint16';
  if (data instanceof Uint32Array) return 'uint32';
  if (data instanceof BigUint64Array) return 'uint64';
  throw new Error(`unsupported array type ${(data as object)?.constructor?.name}`);
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function pyShape(shape: readonly number[]): string {
  if (shape.length === 0) return '()';
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(', ')})`;
}

/** Encode one array as .npy bytes (C order, little-endian). */
export function encodeNpy(arr: NpyArray, what = 'array'): Uint8Array {
  const n = sizeOf(arr.shape);
  if (arr.shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new Error(`${what}: shape [${arr.shape}] must hold non-negative integers`);
  }
  if (arr.data.length !== n) {
    throw new Error(`${what}: shape [${arr.shape}] needs ${n} values, the data holds ${arr.data.length}`);
  }
  const descr = DESCR[arr.dtype];
  if (!descr) throw new Error(`${what}: dtype "${arr.dtype}" is not one of ${Object.keys(DESCR).join(', ')}`);
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${pyShape(arr.shape)}, }`;
  // magic(6) + version(2) + length(2 or 4) + dict + padding + '\n' is a multiple of 64.
  let version = 1;
  let pre = 10;
  if (dict.length + 1 + pre > 0xffff) {
    version = 2;
    pre = 12;
  }
  const total = Math.ceil((pre + dict.length + 1) / 64) * 64;
  dict = dict + ' '.repeat(total - pre - dict.length - 1) + '\n';
  const bytes = new Uint8Array(total + arr.data.byteLength);
  bytes.set(MAGIC, 0);
  bytes[6] = version;
  bytes[7] = 0;
  const view = new DataView(bytes.buffer);
  if (version === 1) view.setUint16(8, dict.length, true);
  else view.setUint32(8, dict.length, true);
  for (let i = 0; i < dict.length; i++) bytes[pre + i] = dict.charCodeAt(i);
  // Typed arrays are in host order; every platform Node runs on here is little-endian.
  bytes.set(new Uint8Array(arr.data.buffer, arr.data.byteOffset, arr.data.byteLength), total);
  return bytes;
}

/** The header dict as a JS object: a Python literal turned into JSON. */
function parseHeader(text: string, where: string): { descr: unknown; fortran_order: unknown; shape: unknown } {
  const json = text
    .trim()
    .replace(/'/g, '"')
    .replace(/\bTrue\b/g, 'true')
    .replace(/\bFalse\b/g, 'false')
    .replace(/\(/g, '[')
    .replace(/\)/g, ']')
    .replace(/,\s*([\]}])/g, '$1');
  try {
    return JSON.parse(json);
  } catch {
    throw new Error(`${where}: unreadable .npy header ${JSON.stringify(text.trim().slice(0, 120))} (expected a dict with descr, fortran_order, shape)`);
  }
}

function byteswap(bytes: Uint8Array, size: number): void {
  for (let i = 0; i < bytes.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = bytes[a];
      bytes[a] = bytes[b];
      bytes[b] = t;
    }
  }
}

/** Fortran-ordered values → C order (numpy writes F order for transposed arrays). */
function fortranToC(src: NpyData, shape: number[], info: DtypeInfo): NpyData {
  const n = src.length;
  const out = info.make(new ArrayBuffer(n * info.size), 0, n);
  const rank = shape.length;
  const fStride = new Array<number>(rank);
  let s = 1;
  for (let k = 0; k < rank; k++) {
    fStride[k] = s;
    s *= shape[k];
  }
  const idx = new Array<number>(rank).fill(0);
  for (let c = 0; c < n; c++) {
    let f = 0;
    for (let k = 0; k < rank; k++) f += idx[k] * fStride[k];
    (out as unknown as number[])[c] = (src as unknown as number[])[f];
    for (let k = rank - 1; k >= 0; k--) {
      if (++idx[k] < shape[k]) break;
      idx[k] = 0;
    }
  }
  return out;
}

/** Decode .npy bytes. `where` names the file (and entry) in error messages. */
export function decodeNpy(bytes: Uint8Array, where: string): NpyArray {
  if (bytes.length < 10 || MAGIC.some((m, i) => bytes[i] !== m)) {
    const got = Array.from(bytes.subarray(0, 6), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new Error(`${where}: bad .npy magic [${got}], expected "\\x93NUMPY" (93 4e 55 4d 50 59)`);
  }
  const major = bytes[6];
  if (major < 1 || major > 3) throw new Error(`${where}: .npy format version ${major}.${bytes[7]}, expected 1.0–3.0`);
  const pre = major === 1 ? 10 : 12;
  if (bytes.length < pre) throw new Error(`${where}: truncated .npy header (file has ${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hlen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (bytes.length < pre + hlen) {
    throw new Error(`${where}: truncated .npy header: it declares ${hlen} bytes, only ${bytes.length - pre} present`);
  }
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(pre, pre + hlen));
  const h = parseHeader(text, where);
  if (typeof h.descr !== 'string') {
    throw new Error(`${where}: .npy descr ${JSON.stringify(h.descr)} is a structured dtype; expected a plain numeric dtype such as '<f4'`);
  }
  const m = /^([<>|=])([fiub])(\d+)$/.exec(h.descr);
  const info = m ? INFO[m[2] + m[3]] : undefined;
  if (!m || !info) {
    throw new Error(`${where}: .npy dtype '${h.descr}' is not supported; expected one of ${Object.values(DESCR).join(' ')}`);
  }
  if (!Array.isArray(h.shape) || h.shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new Error(`${where}: .npy shape ${JSON.stringify(h.shape)} is not a tuple of non-negative integers`);
  }
  const shape = h.shape as number[];
  const n = sizeOf(shape);
  const start = pre + hlen;
  const need = n * info.size;
  if (bytes.length - start < need) {
    throw new Error(`${where}: truncated .npy data: shape [${shape}] of ${info.dtype} needs ${need} bytes, file has ${bytes.length - start}`);
  }
  // Copy into a fresh buffer: the source may be an unaligned view (a zip entry, or a pooled
  // Node Buffer, whose .slice would not copy).
  const copy = new Uint8Array(need);
  copy.set(bytes.subarray(start, start + need));
  if (m[1] === '>' && info.size > 1) byteswap(copy, info.size);
  let data = info.make(copy.buffer, 0, n);
  if (h.fortran_order === true && shape.length > 1) data = fortranToC(data, shape, info);
  return { dtype: info.dtype, shape: [...shape], data };
}
