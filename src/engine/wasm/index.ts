/**
 * The wasm backend: where its binaries are, how many threads it uses, and the extra kernels
 * digitlab registers so that it can train CNNs fast (see docs/engine.md).
 */
import * as os from 'os';
import * as path from 'path';
import { registerWasmKernels } from './kernels';
import { enableWasmThreads, threadsFailure } from './threads';

export { registerWasmKernels, unregisterWasmKernels, WASM_KERNELS } from './kernels';
export { threadsFailure } from './threads';

let prepared = false;
let getCount: (() => number) | null = null;
let setupFailure: string | null = null;

/**
 * Threads wanted: DIGITLAB_WASM_THREADS (a whole number ≥ 1) or else every core Node sees.
 * XNNPACK caps its pool at 8.
 */
export function wantedWasmThreads(): number {
  const env = process.env.DIGITLAB_WASM_THREADS?.trim();
  if (env) {
    const n = Number(env);
    if (!Number.isInteger(n) || n < 1) throw new Error(`DIGITLAB_WASM_THREADS: expected a whole number ≥ 1, got "${env}"`);
    return Math.min(n, 8);
  }
  return Math.min(os.availableParallelism?.() ?? os.cpus().length, 8);
}

/**
 * Point tfjs-backend-wasm at its .wasm files, switch it to the threaded binary when more than one
 * thread is wanted, and register digitlab's kernels (once; before `tf.setBackend('wasm')`).
 */
export async function prepareWasm(): Promise<void> {
  if (prepared) return;
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  wasm.setWasmPaths(dist + path.sep);
  const threads = wantedWasmThreads();
  if (threads > 1) {
    try {
      enableWasmThreads(threads, wasm.setThreadsCount);
    } catch (e) {
      // An unexpected tfjs-backend-wasm layout must cost threads, not the wasm backend.
      setupFailure = e instanceof Error ? e.message : String(e);
    }
  }
  registerWasmKernels();
  getCount = wasm.getThreadsCount;
  prepared = true;
}

/** Threads the wasm backend computes with (as XNNPACK reports it; 1 before it starts). */
export function wasmThreads(): number {
  try {
    return getCount ? getCount() : 1;
  } catch {
    return 1; // not initialised yet
  }
}

/** Why the wasm backend runs on fewer threads than wanted, or null. */
export function wasmThreadsNote(): string | null {
  const f = setupFailure ?? threadsFailure();
  return f ? `threaded wasm failed (${f}); running on 1 thread` : null;
}
