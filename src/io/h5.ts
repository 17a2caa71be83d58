/**
 * h5wasm (the HDF5 C library compiled to wasm) from our CommonJS build: it ships only as an ES
 * module, so it is loaded with a dynamic import (TypeScript keeps `import()` as is under
 * module node16) and its `ready` promise. The `/node` entry reads and writes real files.
 */
import * as fs from 'fs';

// A function (never called at load) gives TypeScript the ES module's types without a require().
const importH5 = () => import('h5wasm/node');
export type H5 = Awaited<ReturnType<typeof importH5>>;
export type H5File = InstanceType<H5['File']>;
export type H5Group = InstanceType<H5['Group']>;
export type H5Dataset = InstanceType<H5['Dataset']>;

let loading: Promise<H5> | null = null;

/** The h5wasm module, initialised once per process. */
export function h5wasm(): Promise<H5> {
  loading ??= (async () => {
    const h5 = await importH5();
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
    throw new Error(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
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
