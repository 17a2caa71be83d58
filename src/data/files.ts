/** Reading data files: where the shipped ones are, and transparent gunzip. */
import * as path from 'path';
import { gunzipSync } from 'fflate';
import { readBytes } from '../io/read';

/** The project's data/ folder (works from src/data and from dist/data). */
export function dataDir(): string {
  return path.resolve(__dirname, '..', '..', 'data');
}

/** A file's bytes, gunzipped when it starts with gzip's magic number. */
export function readMaybeGzip(file: string): Uint8Array {
  const bytes = readBytes(file);
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return gunzipSync(bytes);
    } catch (e) {
      throw new Error(`${file}: corrupt or truncated gzip data (${(e as Error).message})`);
    }
  }
  return bytes;
}
