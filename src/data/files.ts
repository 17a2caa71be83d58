/** Reading data files: where the shipped ones are, and transparent gunzip. */
import * as fs from 'fs';
import * as path from 'path';
import { gunzipSync } from 'fflate';

/** The project's data/ folder (works from src/data and from dist/data). */
export function dataDir(): string {
  return path.resolve(__dirname, '..', '..', 'data');
}

/** A file's bytes, gunzipped when it starts with gzip's magic number. */
export function readMaybeGzip(file: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new Error(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return gunzipSync(bytes);
    } catch (e) {
      throw new Error(`${file}: corrupt or truncated gzip data (${(e as Error).message})`);
    }
  }
  return bytes;
}
