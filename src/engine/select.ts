/**
 * Picks the tfjs backend: tfjs-node-gpu → tfjs-node → wasm → cpu, whichever first loads and
 * works, unless the user names one (argument or DIGITLAB_BACKEND). Prints one line that says what
 * runs and why the better ones were skipped.
 */
import * as tf from '@tensorflow/tfjs';
import { prepareWasm, wasmThreads, wasmThreadsNote } from './wasm';
import { installFusedDense, uninstallFusedDense } from './dense-step';

export type BackendChoice = 'node-gpu' | 'node' | 'wasm' | 'cpu';
export const BACKEND_ORDER: readonly BackendChoice[] = ['node-gpu', 'node', 'wasm', 'cpu'];

export interface EngineInfo {
  /** The digitlab name of the backend that runs. */
  backend: BackendChoice;
  /** tfjs's own name for it (`tf.getBackend()`). */
  tfBackend: string;
  /** Threads the backend computes with (1 for cpu; the wasm pool size; all cores for node). */
  threads: number;
  /** Better backends that were tried and skipped, with the reason. */
  skipped: { backend: BackendChoice; why: string }[];
  /**
   * Whether model.fit / trainOnBatch of plain Dense stacks run digitlab's fused step
   * (src/engine/dense-step.ts): on wasm and cpu unless DIGITLAB_FUSED_DENSE=0.
   */
  fusedDense: boolean;
  /** The one-line report printed by `init`. */
  line: string;
}

export interface InitOptions {
  /** Force a backend (else DIGITLAB_BACKEND, else the first that works). */
  backend?: BackendChoice;
  /** Do not print the report line. */
  quiet?: boolean;
}

let active: EngineInfo | null = null;

function isChoice(s: string): s is BackendChoice {
  return (BACKEND_ORDER as readonly string[]).includes(s);
}

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (/Cannot find module/.test(msg)) return 'not installed';
  return msg.split('\n')[0].slice(0, 160);
}

/** A tiny computation that proves the backend really runs, not just registers. */
async function smokeTest(): Promise<void> {
  const r = tf.tidy(() => tf.matMul(tf.ones([2, 3]), tf.ones([3, 2])).sum());
  const v = (await r.data())[0];
  r.dispose();
  if (v !== 12) throw new Error(`smoke test computed ${v}, expected 12`);
}

async function tryBackend(name: BackendChoice): Promise<void> {
  switch (name) {
    case 'node-gpu':
    case 'node': {
      // Optional native packages: registering them adds the 'tensorflow' backend.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(name === 'node-gpu' ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node');
      if (!(await tf.setBackend('tensorflow'))) throw new Error('backend "tensorflow" failed to initialise');
      break;
    }
    case 'wasm': {
      await prepareWasm();
      if (!(await tf.setBackend('wasm'))) throw new Error('backend "wasm" failed to initialise');
      break;
    }
    case 'cpu': {
      if (!(await tf.setBackend('cpu'))) throw new Error('backend "cpu" failed to initialise');
      break;
    }
  }
  await tf.ready();
  await smokeTest();
}

function threadsOf(name: BackendChoice): number {
  if (name === 'wasm') return wasmThreads();
  if (name === 'cpu') return 1;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('os').availableParallelism?.() ?? require('os').cpus().length;
}

/**
 * Choose and initialise the backend. Safe to call again: with no forced backend it returns the
 * engine already running.
 */
export async function init(options: InitOptions = {}): Promise<EngineInfo> {
  const envChoice = process.env.DIGITLAB_BACKEND?.trim();
  if (envChoice && !isChoice(envChoice)) {
    throw new Error(`DIGITLAB_BACKEND: expected one of ${BACKEND_ORDER.join(', ')}, got "${envChoice}"`);
  }
  const forced = options.backend ?? (envChoice as BackendChoice | undefined);
  if (forced && !isChoice(forced)) {
    throw new Error(`engine.init: backend must be one of ${BACKEND_ORDER.join(', ')}, got "${forced}"`);
  }
  if (active && (!forced || forced === active.backend)) return active;

  const candidates = forced ? [forced] : BACKEND_ORDER;
  const skipped: EngineInfo['skipped'] = [];
  for (const name of candidates) {
    try {
      await tryBackend(name);
      const threads = threadsOf(name);
      const note = name === 'wasm' ? wasmThreadsNote() : null;
      const why = forced
        ? `requested by ${options.backend ? 'the caller' : 'DIGITLAB_BACKEND'}`
        : skipped.length
          ? skipped.map((s) => `${s.backend}: ${s.why}`).join('; ')
          : 'the best available';
      // Native TensorFlow runs tfjs-layers' own step fast; wasm and cpu pay ~10 µs per kernel call.
      const fusedDense = (name === 'wasm' || name === 'cpu') && process.env.DIGITLAB_FUSED_DENSE !== '0' && installFusedDense();
      if (!fusedDense) uninstallFusedDense();
      const notes = [note, fusedDense ? 'Dense MLPs train in the fused step (DIGITLAB_FUSED_DENSE=0: off)' : null].filter(Boolean).join('; ');
      const line = `digitlab engine: ${name} (tfjs "${tf.getBackend()}", ${threads} thread${threads === 1 ? '' : 's'}) — ${why}${notes ? `; ${notes}` : ''}`;
      active = { backend: name, tfBackend: tf.getBackend(), threads, skipped, fusedDense, line };
      if (!options.quiet) console.log(line);
      return active;
    } catch (e) {
      skipped.push({ backend: name, why: firstLine(e) });
    }
  }
  throw new Error(
    `digitlab engine: no backend works (${skipped.map((s) => `${s.backend}: ${s.why}`).join('; ')})`,
  );
}

/** The engine chosen by `init`, or null before it ran. */
export function current(): EngineInfo | null {
  return active;
}
