/**
 * Speed of one epoch of document 001's per-sample 1024-16-16-10 net: ours (TypeScript on typed
 * arrays) against a faithful numpy port of the document's listing (bench/scratch/net001.py) run
 * by Debian's /usr/bin/python3 on the same 1934 training digits, in one run, as a ratio.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { digits32 } from '../data/digits32';
import { dataDir } from '../data/files';
import { projectDir } from '../paths';
import { rng as seeded } from '../engine/seed';
import { textDigitNet, TEXT_DIGIT_LR } from './text-digit-net';
import { toMatrix } from './data';
import { take } from '../nd/ops';

export interface ScratchBenchResult {
  /** Seconds per epoch, ours (wall clock, each timed epoch). */
  tsEpochSeconds: number[];
  /** CPU seconds per epoch, ours (process.cpuUsage: not inflated when other processes share the cores). */
  tsEpochCpuSeconds: number[];
  /** The numpy port, wall clock and CPU seconds (time.process_time) per epoch. */
  numpyEpochSeconds: number[];
  numpyEpochCpuSeconds: number[];
  /** median numpy CPU time / median ours: how many times faster ours is. */
  speedup: number;
  /** The same ratio from wall-clock medians (noisier on a shared machine). */
  wallSpeedup: number;
  samples: number;
  numpyVersion: string;
  python: string;
}

export interface ScratchBenchOptions {
  /** Timed epochs on each side per round (default 3; medians are compared). */
  epochs?: number;
  /** Rounds of (ours, numpy), alternated so a change in machine load hits both (default 2). */
  rounds?: number;
  python?: string;
  seed?: number;
  zipFile?: string;
  /** The numpy port (default bench/scratch/net001.py of the project). */
  script?: string;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

interface PortRun {
  epochSeconds: number[];
  epochCpuSeconds: number[];
  samples: number;
  numpy: string;
}

function runPort(python: string, script: string, zipFile: string, epochs: number, seed: number): PortRun {
  // One BLAS thread: the matrices are tiny, and threads would only add overhead to numpy's side.
  const r = spawnSync(python, [script, zipFile, String(epochs + 1), String(seed)], {
    encoding: 'utf8',
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' },
    maxBuffer: 16 << 20,
  });
  if (r.error) throw new Error(`${python}: cannot run (${r.error.message})`);
  if (r.status !== 0) throw new Error(`${python} ${script}: exit ${r.status}: ${r.stderr.slice(-2000)}`);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  let out: PortRun;
  try {
    out = JSON.parse(line) as PortRun;
  } catch {
    throw new Error(`${script}: expected one JSON line on stdout, got "${line.slice(0, 200)}"`);
  }
  // Its first epoch is a warm-up, like ours.
  return { ...out, epochSeconds: out.epochSeconds.slice(1), epochCpuSeconds: out.epochCpuSeconds.slice(1) };
}

export function benchTextDigitEpoch(options: ScratchBenchOptions = {}): ScratchBenchResult {
  const epochs = options.epochs ?? 3;
  const rounds = options.rounds ?? 2;
  const seed = options.seed ?? 0;
  const python = options.python ?? '/usr/bin/python3';
  const zipFile = options.zipFile ?? path.join(dataDir(), 'digits32', 'digits.zip');
  const script = options.script ?? path.join(projectDir(), 'bench', 'scratch', 'net001.py');
  if (!fs.existsSync(script)) throw new Error(`${script}: the numpy port is missing (expected bench/scratch/net001.py)`);

  const { train } = digits32(zipFile);
  const { x, labels } = toMatrix(train);
  const net = textDigitNet({ rng: seeded(seed) });
  net.fit(x, labels, { lr: TEXT_DIGIT_LR }); // warm-up: lets V8 optimise the loops first
  const res: ScratchBenchResult = {
    tsEpochSeconds: [], tsEpochCpuSeconds: [], numpyEpochSeconds: [], numpyEpochCpuSeconds: [],
    speedup: 0, wallSpeedup: 0, samples: train.length, numpyVersion: '', python,
  };
  for (let round = 0; round < rounds; round++) {
    // Epochs of one fit call, timed one by one, as the port times the epochs of its train().
    let t0 = process.hrtime.bigint();
    let c0 = process.cpuUsage();
    net.fit(x, labels, {
      lr: TEXT_DIGIT_LR,
      epochs,
      onEpochEnd: () => {
        const c = process.cpuUsage(c0);
        const t = process.hrtime.bigint();
        res.tsEpochSeconds.push(Number(t - t0) / 1e9);
        res.tsEpochCpuSeconds.push((c.user + c.system) / 1e6);
        t0 = process.hrtime.bigint();
        c0 = process.cpuUsage();
      },
    });
    const port = runPort(python, script, zipFile, epochs, seed + round);
    res.numpyEpochSeconds.push(...port.epochSeconds);
    res.numpyEpochCpuSeconds.push(...port.epochCpuSeconds);
    res.numpyVersion = port.numpy;
  }
  res.speedup = median(res.numpyEpochCpuSeconds) / median(res.tsEpochCpuSeconds);
  res.wallSpeedup = median(res.numpyEpochSeconds) / median(res.tsEpochSeconds);
  return res;
}

/**
 * The `benchmark` entry `npm run bench` (src/cli/bench.ts) times: document 001's 1024-16-16-10
 * per-sample net on the 1934 text digits for whole epochs (about `samples` samples), then
 * predictions for `inferSamples` rows — the work bench/torch_peer.py gives the numpy port
 * (on random 30%-ink inputs of the same size, as dense as the text digits).
 */
export const benchmark = {
  what: 'doc 001: from-scratch 1024-16-16-10 net (src/nn), sigmoid, per-sample SGD 0.01',
  batchSize: 1,
  samples: 1934 * 5,
  async run(samples: number, inferSamples: number): Promise<{ trainSeconds: number; samplesTrained: number; inferSeconds: number; inferred: number }> {
    const { x, labels } = toMatrix(digits32().train);
    const n = labels.length;
    // One untimed epoch on a throwaway net lets V8 optimise the loops first (numpy has no JIT).
    textDigitNet({ rng: seeded(1) }).fit(x, labels, { lr: TEXT_DIGIT_LR });
    const net = textDigitNet({ rng: seeded(0) });
    const epochs = Math.max(1, Math.round(samples / n));
    const t0 = performance.now();
    net.fit(x, labels, { lr: TEXT_DIGIT_LR, epochs });
    const trainSeconds = (performance.now() - t0) / 1000;
    const rows = take(x, Array.from({ length: inferSamples }, (_, i) => i % n));
    const t1 = performance.now();
    net.predictClasses(rows);
    return { trainSeconds, samplesTrained: epochs * n, inferSeconds: (performance.now() - t1) / 1000, inferred: inferSamples };
  },
};
