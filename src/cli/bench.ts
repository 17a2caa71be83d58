/**
 * `npm run bench`: trains each notebook's model for a fixed number of samples on the selected
 * tfjs backend, then 10,000 test images of inference; where Debian's PyTorch is installed it runs
 * the identical model, batch size and optimizer (bench/torch_peer.py) in the same run and prints
 * the time ratio. Results go to out/bench.json.
 *
 *   npm run bench [-- --quick] [--models cnn,mlp64] [--scale 0.5] [--threads 1] [--no-torch] [--out file.json]
 *
 * The scratch net (src/nn) and the sklearn-style MLP (src/sk) join through the `benchmark` object
 * each exports (shaped like `Plugin` below); their references are the documents' own numpy and
 * scikit-learn code (also in bench/torch_peer.py).
 *
 * Ratios are what to read: the 2-core machine is shared, so absolute speeds move from run to run.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import * as cliProgress from 'cli-progress';
import { init, EngineInfo } from '../engine/select';
import { seed } from '../engine/seed';
import { mnist, mnistDir } from '../data/mnist';
import type { ImageSet } from '../data/image-set';
import { projectDir } from '../paths';
import { benchmark as nnBenchmark } from '../nn/bench';
import { benchmark as skBenchmark } from '../sk/benchmark';

const PYTHON = '/usr/bin/python3';
const INFER_SAMPLES = 10_000;

/** One training step and batched prediction of a model under test. */
interface Trainer {
  step(x: tf.Tensor, y: tf.Tensor): Promise<number>;
  predict(x: tf.Tensor): tf.Tensor;
  dispose(): void;
}

interface Entry {
  name: string;
  what: string;
  batchSize: number;
  /** Training samples in a full run (divided by 10 with --quick). */
  samples: number;
  input: 'flat' | 'image';
  /** Labels as one-hot (Keras) or int32 (the custom loop's sparse loss). */
  oneHot: boolean;
  build(): Trainer;
}

function keras(model: tf.LayersModel): Trainer {
  return {
    async step(x, y) {
      const r = await model.trainOnBatch(x, y);
      return Array.isArray(r) ? r[0] : r;
    },
    // One batch per call, as the PyTorch side does (predict's default batchSize is 32).
    predict: (x) => model.predict(x, { batchSize: x.shape[0] }) as tf.Tensor,
    dispose: () => model.dispose(),
  };
}

const ENTRIES: Entry[] = [
  {
    name: 'mlp64', what: 'doc 000: Keras MLP 784-64-10, rmsprop', batchSize: 128, samples: 30_000, input: 'flat', oneHot: true,
    build() {
      const m = tf.sequential({
        layers: [tf.layers.dense({ units: 64, activation: 'relu', inputShape: [784] }), tf.layers.dense({ units: 10, activation: 'softmax' })],
      });
      m.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
      return keras(m);
    },
  },
  {
    name: 'mlp1000', what: 'doc 003: Keras MLP 784-1000-10, adam', batchSize: 64, samples: 10_000, input: 'flat', oneHot: true,
    build() {
      const m = tf.sequential({
        layers: [tf.layers.dense({ units: 1000, activation: 'relu', inputShape: [784] }), tf.layers.dense({ units: 10, activation: 'softmax' })],
      });
      m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['acc'] });
      return keras(m);
    },
  },
  {
    name: 'custom-loop', what: 'doc 002: 784-128-256-10, hand-written loop, SGD 0.1', batchSize: 256, samples: 30_000, input: 'flat', oneHot: false,
    build() {
      const net = tf.sequential({
        layers: [
          tf.layers.dense({ units: 128, activation: 'relu', inputShape: [784] }),
          tf.layers.dense({ units: 256, activation: 'relu' }),
          tf.layers.dense({ units: 10 }),
        ],
      });
      const opt = tf.train.sgd(0.1);
      return {
        async step(x, y) {
          const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(tf.oneHot(y as tf.Tensor1D, 10), net.apply(x) as tf.Tensor) as tf.Scalar, true);
          const v = (await loss!.data())[0];
          loss!.dispose();
          return v;
        },
        predict: (x) => tf.softmax(net.apply(x) as tf.Tensor),
        dispose: () => {
          net.dispose();
          opt.dispose();
        },
      };
    },
  },
  {
    name: 'cnn', what: 'doc 001: conv5x5x32-pool-conv5x5x64-pool-1024-dropout-10, Adam 1e-4', batchSize: 50, samples: 2_000, input: 'image', oneHot: true,
    build() {
      const w = () => tf.initializers.truncatedNormal({ stddev: 0.05 });
      const b = () => tf.initializers.constant({ value: 0.1 });
      const m = tf.sequential({
        layers: [
          tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 5, padding: 'same', activation: 'relu', kernelInitializer: w(), biasInitializer: b() }),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.conv2d({ filters: 64, kernelSize: 5, padding: 'same', activation: 'relu', kernelInitializer: w(), biasInitializer: b() }),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 1024, activation: 'relu', kernelInitializer: w(), biasInitializer: b() }),
          tf.layers.dropout({ rate: 0.5 }),
          tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: w(), biasInitializer: b() }),
        ],
      });
      m.compile({ optimizer: tf.train.adam(1e-4), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
      return keras(m);
    },
  },
];

/** What src/nn or src/sk may export as `benchmark` to be timed here. */
export interface Plugin {
  what: string;
  batchSize: number;
  /** Training samples in a full run. */
  samples: number;
  /** Train on about `samples` samples, then infer `inferSamples` inputs; report what was done. */
  run(samples: number, inferSamples: number): Promise<{ trainSeconds: number; samplesTrained: number; inferSeconds: number; inferred: number }>;
}

/** The plugin entries: bench name → the `benchmark` export of src/nn or src/sk. */
const PLUGINS: { name: string; plugin: Plugin }[] = [
  { name: 'scratch', plugin: nnBenchmark },
  { name: 'sk-mlp', plugin: skBenchmark },
];

export interface Measured {
  trainSeconds: number;
  samplesPerSec: number;
  inferSeconds: number;
  inferPerSec: number;
  peakRssMB: number;
  threads: number;
}

export type TfjsMeasured = Measured & { peakTensorMB: number; firstLoss: number; lastLoss: number };

export interface Result {
  name: string;
  what: string;
  batchSize: number;
  samples: number;
  tfjs?: TfjsMeasured;
  /** PyTorch at 2 threads (as asked) and at 1 (on a busy machine 2 threads can be slower). */
  torch?: { threads2?: Measured; threads1?: Measured; error?: string };
  /** tfjs time per sample / PyTorch's (its faster thread setting), training and inference. */
  ratio?: { train: number; infer: number };
}

export interface Options {
  quick: boolean;
  models: string[] | null;
  scale: number;
  torch: boolean;
  threads: number | null;
  out: string;
}

export function parseArgs(argv: string[]): Options {
  const o: Options = { quick: process.env.DIGITLAB_QUICK === '1', models: null, scale: 1, torch: true, threads: null, out: path.join(projectDir(), 'out', 'bench.json') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') o.quick = true;
    else if (a === '--no-torch') o.torch = false;
    else if (a === '--models') o.models = (argv[++i] ?? '').split(',').filter(Boolean);
    else if (a === '--scale') {
      o.scale = Number(argv[++i]);
      if (!(o.scale > 0)) throw new Error(`bench --scale: expected a positive number, got "${argv[i]}"`);
    } else if (a === '--out') {
      o.out = path.resolve(argv[++i] ?? '');
    } else if (a === '--threads') {
      o.threads = Number(argv[++i]);
      if (!Number.isInteger(o.threads) || o.threads < 1) throw new Error(`bench --threads: expected a whole number ≥ 1, got "${argv[i]}"`);
    } else throw new Error(`bench: unknown argument "${a}" (use --quick, --models a,b, --scale x, --threads n, --no-torch, --out file)`);
  }
  const known = [...ENTRIES.map((e) => e.name), ...PLUGINS.map((p) => p.name)];
  for (const m of o.models ?? []) {
    if (!known.includes(m)) throw new Error(`bench --models: "${m}" is not one of ${known.join(', ')}`);
  }
  return o;
}

/** MNIST, or (when its files are missing) seeded noise of the same shape, so the bench always runs. */
function loadData(): { train: ImageSet | null; test: ImageSet | null; note: string } {
  try {
    const { train, test } = mnist();
    return { train, test, note: 'MNIST' };
  } catch (e) {
    return { train: null, test: null, note: `synthetic (MNIST unavailable: ${(e as Error).message})` };
  }
}

/**
 * Training batches as the PyTorch peer takes them: the whole training set becomes tensors once
 * (untimed), then each step slices rows lo…lo+batch with lo = i·batch mod (n − batch). Without
 * MNIST, seeded noise of the same shape.
 */
function feeder(set: ImageSet | null, e: Entry): { batch(i: number): { x: tf.Tensor; y: tf.Tensor }; dispose(): void } {
  if (set) {
    const X = set.x(e.input === 'flat' ? { flatten: true } : { channels: true });
    const Y = set.y({ oneHot: e.oneHot });
    const n = X.shape[0];
    return {
      batch(i) {
        const lo = (i * e.batchSize) % (n - e.batchSize);
        return { x: X.slice(lo, e.batchSize), y: Y.slice(lo, e.batchSize) };
      },
      dispose: () => tf.dispose([X, Y]),
    };
  }
  const shape = e.input === 'flat' ? [e.batchSize, 784] : [e.batchSize, 28, 28, 1];
  return {
    batch() {
      const labels = tf.randomUniform([e.batchSize], 0, 10, 'int32');
      const y = e.oneHot ? tf.oneHot(labels, 10).toFloat() : labels;
      if (e.oneHot) labels.dispose();
      return { x: tf.randomUniform(shape), y };
    },
    dispose() {},
  };
}

function rssMB(): number {
  return process.memoryUsage().rss / 2 ** 20;
}

async function runTfjs(e: Entry, samples: number, data: ReturnType<typeof loadData>, threads: number): Promise<TfjsMeasured> {
  seed(1);
  const trainer = e.build();
  let peakRss = rssMB();
  const beforeFeed = tf.memory().numBytes;
  const feed = feeder(data.train, e);
  // Tensor memory of the model and its step, not of the training set held by the feed.
  const feedBytes = tf.memory().numBytes - beforeFeed;
  let peakTensor = beforeFeed;
  const step = async (i: number) => {
    const { x, y } = feed.batch(i);
    const loss = await trainer.step(x, y);
    x.dispose();
    y.dispose();
    peakRss = Math.max(peakRss, rssMB());
    peakTensor = Math.max(peakTensor, tf.memory().numBytes - feedBytes);
    return loss;
  };
  for (let i = 0; i < 2; i++) await step(i); // warm-up (kernel set-up, XNNPACK operators), not timed

  const steps = Math.max(1, Math.floor(samples / e.batchSize));
  const bar = new cliProgress.SingleBar(
    { format: `  ${e.name.padEnd(12)} {bar} {value}/{total} samples | {rate} samples/s | loss {loss}`, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(steps * e.batchSize, 0, { rate: '-', loss: '-' });
  let firstLoss = NaN;
  let lastLoss = NaN;
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) {
    lastLoss = await step(i + 2);
    if (i === 0) firstLoss = lastLoss;
    const done = (i + 1) * e.batchSize;
    bar.update(done, { rate: (done / ((performance.now() - t0) / 1000)).toFixed(0), loss: lastLoss.toFixed(3) });
  }
  const trainSeconds = (performance.now() - t0) / 1000;
  bar.stop();
  feed.dispose();

  const xTest = data.test
    ? (data.test.x(e.input === 'flat' ? { flatten: true } : { channels: true }))
    : tf.randomUniform(e.input === 'flat' ? [INFER_SAMPLES, 784] : [INFER_SAMPLES, 28, 28, 1]);
  const n = Math.min(INFER_SAMPLES, xTest.shape[0]);
  const predictRange = async (lo: number, hi: number) => {
    const p = tf.tidy(() => trainer.predict(xTest.slice(lo, hi - lo)).argMax(-1));
    await p.data();
    p.dispose();
  };
  await predictRange(0, Math.min(1000, n)); // warm-up
  const t1 = performance.now();
  for (let lo = 0; lo < n; lo += 1000) await predictRange(lo, Math.min(lo + 1000, n));
  const inferSeconds = (performance.now() - t1) / 1000;
  peakRss = Math.max(peakRss, rssMB());
  xTest.dispose();
  trainer.dispose();
  return {
    trainSeconds, samplesPerSec: (steps * e.batchSize) / trainSeconds, inferSeconds, inferPerSec: n / inferSeconds,
    peakRssMB: peakRss, peakTensorMB: peakTensor / 2 ** 20, threads, firstLoss, lastLoss,
  };
}

function torchAvailable(): boolean {
  return spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
}

function runTorch(e: { name: string }, samples: number, threads: number): Measured {
  const peer = path.join(projectDir(), 'bench', 'torch_peer.py');
  const r = spawnSync(PYTHON, [peer, e.name, String(samples), String(INFER_SAMPLES), mnistDir(), '0', String(threads)], {
    encoding: 'utf8', maxBuffer: 16 << 20,
  });
  if (r.status !== 0) throw new Error(`${peer} ${e.name}: exit ${r.status}: ${(r.stderr || '').trim().split('\n').pop()}`);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as Measured;
}

async function runPlugin(p: (typeof PLUGINS)[number], opts: Options, withPeer: boolean, engine: EngineInfo): Promise<Result> {
  const plugin = p.plugin;
  console.log(`\n${p.name}: ${plugin.what}`);
  const samples = Math.max(plugin.batchSize, Math.round((plugin.samples * opts.scale) / (opts.quick ? 10 : 1)));
  seed(1);
  const before = rssMB();
  const r = await plugin.run(samples, INFER_SAMPLES);
  const t: TfjsMeasured = {
    trainSeconds: r.trainSeconds, samplesPerSec: r.samplesTrained / r.trainSeconds, inferSeconds: r.inferSeconds,
    inferPerSec: r.inferred / r.inferSeconds, peakRssMB: Math.max(before, rssMB()), peakTensorMB: NaN, threads: engine.threads,
    firstLoss: NaN, lastLoss: NaN,
  };
  const res: Result = { name: p.name, what: plugin.what, batchSize: plugin.batchSize, samples: r.samplesTrained, tfjs: t };
  console.log(`  digitlab: ${fmt(t.samplesPerSec)} samples/s train, ${fmt(t.inferPerSec)} inputs/s inference`);
  if (withPeer) {
    try {
      const m = runTorch(p, r.samplesTrained, 1);
      res.torch = { threads1: m };
      res.ratio = { train: m.samplesPerSec / t.samplesPerSec, infer: m.inferPerSec / t.inferPerSec };
      console.log(`  ${p.name === 'sk-mlp' ? 'scikit-learn' : 'numpy'}: ${fmt(m.samplesPerSec)} samples/s train, ${fmt(m.inferPerSec)} inputs/s inference`);
      console.log(`  digitlab time per sample / the reference's: training ${fmt(res.ratio.train, 2)}x, inference ${fmt(res.ratio.infer, 2)}x`);
    } catch (err) {
      res.torch = { error: (err as Error).message };
      console.log(`  reference failed: ${(err as Error).message}`);
    }
  }
  return res;
}

function fmt(n: number | undefined, digits = 0): string {
  return n === undefined || !Number.isFinite(n) ? '-' : n.toFixed(digits);
}

/** Write JSON next to its final name, then rename: readers never see half a file. */
function writeAtomic(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n');
  fs.renameSync(tmp, file);
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<Result[]> {
  const opts = parseArgs(argv);
  // The wasm thread count is fixed when the backend starts, so it is set before init.
  if (opts.threads !== null) process.env.DIGITLAB_WASM_THREADS = String(opts.threads);
  const engine: EngineInfo = await init();
  const data = loadData();
  const withTorch = opts.torch && torchAvailable();
  console.log(`data: ${data.note}; PyTorch peer: ${withTorch ? PYTHON + ' (threads 2 and 1)' : opts.torch ? 'not available' : 'off (--no-torch)'}`);
  const results: Result[] = [];
  for (const e of ENTRIES) {
    if (opts.models && !opts.models.includes(e.name)) continue;
    const samples = Math.max(e.batchSize, Math.round((e.samples * opts.scale) / (opts.quick ? 10 : 1)));
    console.log(`\n${e.name}: ${e.what}; batch ${e.batchSize}, ${samples} training samples, ${INFER_SAMPLES} inferences`);
    const r: Result = { name: e.name, what: e.what, batchSize: e.batchSize, samples };
    const t = await runTfjs(e, samples, data, engine.threads);
    r.tfjs = t;
    const startTensors = tf.memory().numTensors;
    if (withTorch) {
      r.torch = {};
      try {
        r.torch.threads2 = runTorch(e, samples, 2);
        r.torch.threads1 = runTorch(e, samples, 1);
      } catch (err) {
        r.torch.error = (err as Error).message;
      }
      const best = [r.torch.threads2, r.torch.threads1].filter((m): m is Measured => !!m);
      if (best.length) {
        const train = Math.max(...best.map((m) => m.samplesPerSec));
        const infer = Math.max(...best.map((m) => m.inferPerSec));
        r.ratio = { train: train / t.samplesPerSec, infer: infer / t.inferPerSec };
      }
    }
    console.log(
      `  tfjs ${engine.backend} (${t.threads} thr): ${fmt(t.samplesPerSec)} samples/s train, ${fmt(t.inferPerSec)} images/s inference, ` +
        `peak RSS ${fmt(t.peakRssMB)} MB, tensors ${fmt(t.peakTensorMB, 1)} MB; loss ${fmt(t.firstLoss, 3)} → ${fmt(t.lastLoss, 3)}`,
    );
    if (r.torch?.error) console.log(`  PyTorch: failed (${r.torch.error})`);
    for (const [k, m] of [['2 thr', r.torch?.threads2], ['1 thr', r.torch?.threads1]] as const) {
      if (m) console.log(`  PyTorch (${k}): ${fmt(m.samplesPerSec)} samples/s train, ${fmt(m.inferPerSec)} images/s inference, peak RSS ${fmt(m.peakRssMB)} MB`);
    }
    if (r.ratio) console.log(`  tfjs time per sample / PyTorch's best: training ${fmt(r.ratio.train, 2)}x, inference ${fmt(r.ratio.infer, 2)}x`);
    if (tf.memory().numTensors !== startTensors) console.log(`  warning: ${tf.memory().numTensors - startTensors} tensors leaked`);
    results.push(r);
  }
  for (const p of PLUGINS) {
    if (opts.models && !opts.models.includes(p.name)) continue;
    results.push(await runPlugin(p, opts, withTorch, engine));
  }
  const file = opts.out;
  writeAtomic(file, {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, loadavg: os.loadavg(), node: process.version },
    engine: { backend: engine.backend, tfBackend: engine.tfBackend, threads: engine.threads, line: engine.line },
    data: data.note,
    quick: opts.quick,
    results,
  });
  console.log(`\nresults: ${path.relative(process.cwd(), file) || file}`);
  return results;
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}
