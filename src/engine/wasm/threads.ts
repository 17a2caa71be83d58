/**
 * Multi-threaded wasm in Node.
 *
 * tfjs-backend-wasm ships a threaded-SIMD binary (XNNPACK on a pthreadpool) but never uses it in
 * Node (its WASM_HAS_MULTITHREAD_SUPPORT flag answers false there, tfjs issue #3830), because its
 * Emscripten loader is written for browsers:
 *  1. it starts each pthread worker from a `blob:` URL (`locateFile('…worker.js')`), which Node's
 *     `worker_threads.Worker` cannot open (it takes a path, a file: or data: URL, or code);
 *  2. it sends each worker the main script as a `Blob` (`mainScriptUrlOrBlob`), which the worker
 *     loads with `importScripts(URL.createObjectURL(blob))` = `fs.readFileSync('blob:…')`;
 *  3. that script is `factory.toString()`, whose free variables (`require$$0`, `__read`, …) exist
 *     only inside the rollup bundle;
 *  4. the C side sizes the pool as min(requested, logical cores / 2), i.e. 1 on a 2-core machine.
 *
 * We fix all four without editing node_modules: a `Worker` subclass starts the worker from the
 * bundle's own worker source (read from the installed file, so it always matches the binary) as
 * eval'd code, with a prelude defining the bundle's free variables and a postlude that reads the
 * Blob asynchronously before Emscripten's synchronous `importScripts` runs; and the backend factory
 * is wrapped so `os.cpus()` reports twice the wanted thread count while the module initialises.
 */
import * as fs from 'fs';
import os = require('os'); // the module object itself: its cpus() is patched during init
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { Worker as NodeWorker, WorkerOptions } from 'worker_threads';

const BUNDLE = 'tf-backend-wasm.node.js';

/** The pieces of the installed bundle the pthread workers need, or why they cannot be found. */
function workerSource(dist: string): string {
  const file = path.join(dist, BUNDLE);
  const src = fs.readFileSync(file, 'utf8');
  const m = /\nvar wasmWorkerContents = ("(?:[^"\\]|\\.)*");\n/.exec(src);
  if (!m) throw new Error(`${file}: no "wasmWorkerContents" string (tfjs-backend-wasm layout changed)`);
  // tfjs escapes newlines the same way before making its Blob (they sit inside string literals).
  const contents = (JSON.parse(m[1]) as string).replace(/\n/g, '\\n');
  const helper = (name: string): string => {
    const i = src.indexOf(`\nfunction ${name}(`);
    const j = i < 0 ? -1 : src.indexOf('\n}\n', i);
    if (j < 0) throw new Error(`${file}: no helper function ${name} (tfjs-backend-wasm layout changed)`);
    return src.slice(i + 1, j + 2);
  };
  const prelude =
    `var require$$0=require('fs'),require$$1=require('path'),require$$3=require('perf_hooks'),` +
    `require$$4=require('os');var commonjsGlobal=globalThis;var _scriptDir=${JSON.stringify(file)};\n` +
    ['__values', '__read', '__spreadArray'].map(helper).join('\n') + '\n';
  // Messages are queued so that 'run' never overtakes a 'load' still reading its Blob.
  const postlude = `
;(function(){var orig=self.onmessage,queue=Promise.resolve(),imp=global.importScripts,text=null;
global.importScripts=function(f){return f==='digitlab:main-script'?(0,eval)(text):imp(f)};
self.onmessage=function(e){queue=queue.then(async function(){var d=e.data;
if(d&&d.cmd==='load'&&typeof d.urlOrBlob!=='string'){text=await d.urlOrBlob.text();d.urlOrBlob='digitlab:main-script';}
orig(e);});};})();`;
  return prelude + contents + postlude;
}

let installedCount = 0;
let failure: string | null = null;

/** Why the threaded binary could not start (it then runs single-threaded), or null. */
export function threadsFailure(): string | null {
  return failure;
}

/**
 * Make the next initialisation of the 'wasm' backend use the threaded-SIMD binary with `threads`
 * threads. Call before `tf.setBackend('wasm')`. Throws (and changes nothing) when the installed
 * bundle does not have the expected shape.
 */
export function enableWasmThreads(threads: number, setThreadsCount: (n: number) => void): void {
  if (installedCount) return;
  // The thread count is fixed when the module starts; re-registering a running backend would
  // dispose it and every tensor on it.
  if (tf.engine().registry['wasm']) throw new Error('the wasm backend already started single-threaded (prepare it before tf.setBackend)');
  const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm'));
  const code = workerSource(dist);

  class PthreadWorker extends NodeWorker {
    constructor(url: string | URL, options?: WorkerOptions) {
      if (typeof url === 'string' && url.startsWith('blob:')) super(code, { eval: true });
      else super(url, options);
    }
    // Emscripten refs a worker while its pthread runs; XNNPACK's pool threads run forever, which
    // would keep Node from exiting. The main thread waits on them synchronously, so unref is safe.
    ref(): void {}
  }

  const factory = tf.findBackendFactory('wasm');
  if (!factory) throw new Error('tfjs-backend-wasm is not registered (import it before enabling threads)');
  tf.removeBackend('wasm');
  tf.registerBackend('wasm', async () => {
    const mutableOs = os as { cpus: typeof os.cpus };
    const cpus = os.cpus;
    // The loader assigns global.Worker = worker_threads.Worker; keep ours in place meanwhile.
    Object.defineProperty(globalThis, 'Worker', { configurable: true, get: () => PthreadWorker, set: () => {} });
    mutableOs.cpus = () => {
      const real = cpus.call(os);
      return Array.from({ length: 2 * threads }, (_, i) => real[i % real.length]);
    };
    try {
      return await factory();
    } catch (e) {
      // Keep a working engine: the single-threaded SIMD binary needs none of the above.
      failure = e instanceof Error ? e.message : String((e as { message?: string })?.message ?? e);
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      setThreadsCount(1);
      return await factory();
    } finally {
      mutableOs.cpus = cpus;
      Object.defineProperty(globalThis, 'Worker', { configurable: true, writable: true, value: PthreadWorker });
    }
  }, 2);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  setThreadsCount(threads);
  installedCount = threads;
}
