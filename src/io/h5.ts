/**
 * h5wasm (the HDF5 C library compiled to wasm) from our CommonJS build: it ships only as an ES
 * module, so it is loaded with a dynamic import (TypeScript keeps `import()` as is under
 * module node16) and its `ready` promise. The `/node` entry reads and writes real files.
 */
import * as fs from 'fs';
import { cannotRead } from './read';

/*
 * The slice of h5wasm's API we use, typed here: deriving the types from `import('h5wasm/node')`
 * would need a resolution-mode assertion in our .d.ts files, which older TypeScript (the one
 * tslab bundles) cannot emit.
 */
export interface H5Attribute {
  readonly value: unknown;
}
export interface H5Group {
  readonly attrs: Record<string, H5Attribute>;
  keys(): string[];
  get(path: string): unknown;
  create_group(name: string): H5Group;
  create_attribute(name: string, data: string | string[] | number[], shape?: number[] | null, dtype?: string | null): void;
  create_dataset(args: { name: string; data: Float32Array; shape: number[]; dtype: string }): unknown;
}
export interface H5File extends H5Group {
  readonly file_id: bigint;
  close(): unknown;
}
export interface H5Dataset {
  readonly attrs: Record<string, H5Attribute>;
  readonly dtype: unknown;
  readonly shape: number[] | null;
  readonly value: unknown;
}
export interface H5 {
  ready: Promise<unknown>;
  File: new (path: string, mode: 'r' | 'w') => H5File;
  Group: abstract new (...args: never[]) => H5Group;
  Dataset: abstract new (...args: never[]) => H5Dataset;
  Module: { activate_throwing_error_handler(): number };
}

let loading: Promise<H5> | null = null;

/** The h5wasm module, initialised once per process. */
export function h5wasm(): Promise<H5> {
  loading ??= (async () => {
    const h5 = (await import('h5wasm/node')) as unknown as H5;
    await h5.ready;
    // Turn HDF5's error stack into JS exceptions (by default it prints to stderr and returns -1).
    h5.Module.activate_throwing_error_handler();
    return h5;
  })();
  return loading;
}

/** HDF5's error stack shortened to its innermost message, e.g. "truncated file: eof = 3000, …". */
export function hdf5Reason(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const lines = text.split('\n').filter((l) => /#\d+:/.test(l));
  const last = lines[lines.length - 1];
  const m = last ? /\(\):\s*(.*)$/.exec(last) : null;
  return m ? m[1].trim() : text.split('\n')[0];
}

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]; // "\x89HDF\r\n\x1a\n"

/** Open an HDF5 file for reading, with errors that name the file. */
export async function openH5(file: string): Promise<H5File> {
  let head: Buffer;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      head = Buffer.alloc(8);
      fs.readSync(fd, head, 0, 8, 0);
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    throw cannotRead(file, e);
  }
  // The signature may also sit at 512, 1024, … after a user block; HDF5 itself checks those.
  const atZero = SIGNATURE.every((b, i) => head[i] === b);
  const h5 = await h5wasm();
  try {
    const f = new h5.File(file, 'r');
    if (f.file_id < 0n) throw new Error('file signature not found');
    return f;
  } catch (e) {
    const why = hdf5Reason(e);
    throw new Error(`${file}: not a readable HDF5 file (${why})${atZero ? '' : '; expected the HDF5 signature \\x89HDF\\r\\n\\x1a\\n'}`);
  }
}
