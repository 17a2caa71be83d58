/**
 * numpy .npz (a zip of .npy files, as np.savez / np.savez_compressed write) and single .npy
 * files, read and written; writes are atomic.
 */
import * as zlib from 'zlib';
import { unzipSync, zipSync, Zippable } from 'fflate';
import { NpyArray, decodeNpy, encodeNpy } from './npy';
import { ArrayInput, toNpyArray } from './arrays';
import { writeFileAtomicSync } from './atomic';
import { readBytes } from './read';

/** A named set of arrays, as saved in and loaded from an .npz. */
export type NpzArrays = Record<string, NpyArray>;

export interface SaveNpzOptions {
  /** Deflate the entries like np.savez_compressed (default false: stored, like np.savez). */
  compress?: boolean;
}

/** Bytes of an .npz holding `arrays` (names become `<name>.npy` entries). */
export function encodeNpz(arrays: Record<string, ArrayInput>, options: SaveNpzOptions = {}): Uint8Array {
  const files: Zippable = {};
  const names = Object.keys(arrays);
  if (names.length === 0) throw new Error('saveNpz: no arrays given (expected an object of name → array)');
  for (const name of names) {
    if (!name || name.includes('/') || name.includes('\\')) throw new Error(`saveNpz: array name "${name}" must be non-empty without slashes`);
    files[`${name}.npy`] = encodeNpy(toNpyArray(arrays[name], name), name);
  }
  // A fixed mtime keeps the bytes of an export reproducible.
  return zipSync(files, { level: options.compress ? 6 : 0, mtime: new Date(1980, 0, 1) });
}

/**
 * Names and CRC-32s from the zip's central directory. fflate does not verify CRCs, so we do:
 * a flipped bit in stored (uncompressed) data would otherwise load silently.
 */
function centralCrcs(bytes: Uint8Array, file: string): Map<string, number> {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (v.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) {
    throw new Error(`${file}: not a zip archive, or truncated (no end-of-central-directory record); expected an .npz written by numpy.savez`);
  }
  let count = v.getUint16(eocd + 10, true);
  let offset = v.getUint32(eocd + 16, true);
  if ((count === 0xffff || offset === 0xffffffff) && eocd >= 20 && v.getUint32(eocd - 20, true) === 0x07064b50) {
    const z64 = Number(v.getBigUint64(eocd - 12, true));
    if (z64 + 56 > bytes.length || v.getUint32(z64, true) !== 0x06064b50) throw new Error(`${file}: corrupt zip64 end-of-central-directory record`);
    count = Number(v.getBigUint64(z64 + 32, true));
    offset = Number(v.getBigUint64(z64 + 48, true));
  }
  const crcs = new Map<string, number>();
  let p = offset;
  const dec = new TextDecoder();
  for (let k = 0; k < count; k++) {
    if (p + 46 > bytes.length || v.getUint32(p, true) !== 0x02014b50) {
      throw new Error(`${file}: corrupt zip central directory (entry ${k} of ${count} unreadable)`);
    }
    const nameLen = v.getUint16(p + 28, true);
    const extraLen = v.getUint16(p + 30, true);
    const commentLen = v.getUint16(p + 32, true);
    crcs.set(dec.decode(bytes.subarray(p + 46, p + 46 + nameLen)), v.getUint32(p + 16, true));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return crcs;
}

/** Decode .npz bytes; `file` names the source in error messages. */
export function decodeNpz(bytes: Uint8Array, file: string): NpzArrays {
  const crcs = centralCrcs(bytes, file);
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (e) {
    throw new Error(`${file}: corrupt zip data (${(e as Error).message})`);
  }
  const out: NpzArrays = {};
  for (const [entry, data] of Object.entries(entries)) {
    const expected = crcs.get(entry);
    const actual = zlib.crc32(data) >>> 0;
    if (expected !== undefined && expected !== actual) {
      throw new Error(
        `${file}: entry "${entry}" fails its CRC-32 check (stored ${expected.toString(16).padStart(8, '0')}, computed ${actual.toString(16).padStart(8, '0')}): the file is corrupted`,
      );
    }
    // Like numpy.load, only .npy entries are arrays; the key drops the extension.
    if (!entry.endsWith('.npy')) continue;
    out[entry.slice(0, -4)] = decodeNpy(data, `${file}:${entry}`);
  }
  return out;
}

/** Save a named set of arrays as an .npz (atomically). Values are written bit for bit. */
export function saveNpz(file: string, arrays: Record<string, ArrayInput>, options: SaveNpzOptions = {}): void {
  let bytes: Uint8Array;
  try {
    bytes = encodeNpz(arrays, options);
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
  writeFileAtomicSync(file, bytes);
}

/** Load every array of an .npz (also Keras' mnist.npz and anything np.savez(_compressed) wrote). */
export function loadNpz(file: string): NpzArrays {
  return decodeNpz(readBytes(file), file);
}

/** Save one array as .npy (atomically). */
export function saveNpy(file: string, array: ArrayInput): void {
  let bytes: Uint8Array;
  try {
    bytes = encodeNpy(toNpyArray(array, file), file);
  } catch (e) {
    throw new Error((e as Error).message.startsWith(file) ? (e as Error).message : `${file}: ${(e as Error).message}`);
  }
  writeFileAtomicSync(file, bytes);
}

/** Load one .npy file. */
export function loadNpy(file: string): NpyArray {
  return decodeNpy(readBytes(file), file);
}
