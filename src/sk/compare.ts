/**
 * Our MLPClassifier against scikit-learn's on identical splits of the 8x8 digits: the split
 * indices go to a JSON file that bench/sklearn/compare.py (Debian's python3-sklearn) reads, so
 * both fit the same rows with their defaults. Used by bench/sklearn/run.js and `npm run bench`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { digits8x8 } from '../data/digits8x8';
import { stratifiedSplit } from '../data/transforms';
import { dataDir } from '../data/files';
import { MLPClassifier } from './mlp';
import { takeRows } from './split';
import { fromImageSet } from './matrix';
import type { Activation } from './params';
import { filterWarnings } from './warnings';

export interface CompareOptions {
  /** Split seeds (default 0–4: five 75/25 stratified splits). */
  seeds?: number[];
  activations?: Activation[];
  /** Python with scikit-learn (default /usr/bin/python3, Debian's). */
  python?: string;
  /** Where the split file and sklearn's answers go (default a temp dir). */
  outDir?: string;
  /** OPENBLAS_NUM_THREADS for sklearn's side (default: unset, i.e. OpenBLAS's own choice). */
  sklearnThreads?: number;
  /** Progress lines (default console.log). */
  log?: (line: string) => void;
}

export interface CompareRow {
  activation: Activation;
  seed: number;
  sklearnAccuracy: number;
  oursAccuracy: number;
  sklearnFitSeconds: number;
  oursFitSeconds: number;
  sklearnNIter: number;
  oursNIter: number;
}

export interface CompareSummary {
  activation: Activation;
  sklearnMeanAccuracy: number;
  oursMeanAccuracy: number;
  sklearnMeanFitSeconds: number;
  oursMeanFitSeconds: number;
  /** ours / sklearn mean fit time (below 1: we are faster). */
  fitTimeRatio: number;
}

const mean = (a: number[]): number => a.reduce((s, x) => s + x, 0) / a.length;

/** Run both on the same splits; returns per-split rows and per-activation means. */
export function compareWithSklearn(options: CompareOptions = {}): { rows: CompareRow[]; summary: CompareSummary[] } {
  const seeds = options.seeds ?? [0, 1, 2, 3, 4];
  const activations = options.activations ?? ['relu', 'logistic'];
  const log = options.log ?? ((l: string) => console.log(l));
  const dir = options.outDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'digitlab-sk-'));
  fs.mkdirSync(dir, { recursive: true });
  const set = digits8x8();
  const { X, y } = fromImageSet(set);
  const splits = seeds.map((seed) => {
    const s = stratifiedSplit(set.labels, { testSize: 0.25, seed });
    return { seed, train: Array.from(s.train), test: Array.from(s.test) };
  });
  const splitFile = path.join(dir, 'splits.json');
  fs.writeFileSync(splitFile + '.tmp', JSON.stringify({ data: path.join(dataDir(), 'digits8x8', 'digits.csv.gz'), activations, splits }));
  fs.renameSync(splitFile + '.tmp', splitFile);

  const script = path.resolve(__dirname, '..', '..', 'bench', 'sklearn', 'compare.py');
  log(`scikit-learn on ${splits.length} splits × ${activations.join(', ')} …`);
  const answer = execFileSync(options.python ?? '/usr/bin/python3', [script, splitFile], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    env: options.sklearnThreads ? { ...process.env, OPENBLAS_NUM_THREADS: String(options.sklearnThreads) } : process.env,
  });
  const theirs = JSON.parse(answer) as { activation: Activation; seed: number; accuracy: number; fitSeconds: number; nIter: number }[];

  log('digitlab on the same splits …');
  filterWarnings('ignore'); // sklearn's side reports its ConvergenceWarnings silently too
  try {
    // Warm-up fit (wasm compile, JIT) — sklearn's side does one as well.
    new MLPClassifier({ randomState: 0, maxIter: 5 }).fit(takeRows(X, splits[0].train), splits[0].train.map((i) => y[i]));
    const rows: CompareRow[] = [];
    for (const activation of activations) {
      for (const s of splits) {
        const model = new MLPClassifier({ activation, randomState: s.seed });
        model.fit(takeRows(X, s.train), s.train.map((i) => y[i]));
        const acc = model.score(takeRows(X, s.test), s.test.map((i) => y[i]));
        const t = theirs.find((r) => r.activation === activation && r.seed === s.seed);
        if (!t) throw new Error(`compare.py gave no result for ${activation}, seed ${s.seed}`);
        rows.push({
          activation, seed: s.seed,
          sklearnAccuracy: t.accuracy, oursAccuracy: acc,
          sklearnFitSeconds: t.fitSeconds, oursFitSeconds: model.fitSeconds,
          sklearnNIter: t.nIter, oursNIter: model.nIter,
        });
      }
    }
    const summary = activations.map((activation) => {
      const r = rows.filter((x) => x.activation === activation);
      const sk = mean(r.map((x) => x.sklearnFitSeconds));
      const ours = mean(r.map((x) => x.oursFitSeconds));
      return {
        activation,
        sklearnMeanAccuracy: mean(r.map((x) => x.sklearnAccuracy)),
        oursMeanAccuracy: mean(r.map((x) => x.oursAccuracy)),
        sklearnMeanFitSeconds: sk,
        oursMeanFitSeconds: ours,
        fitTimeRatio: ours / sk,
      };
    });
    return { rows, summary };
  } finally {
    filterWarnings('default');
  }
}

/** The comparison as a plain-text table. */
export function formatComparison(result: { rows: CompareRow[]; summary: CompareSummary[] }): string {
  const f = (x: number, d = 4) => x.toFixed(d);
  const lines = ['activation seed | sklearn acc  ours acc | sklearn s  ours s | sklearn it  ours it'];
  for (const r of result.rows) {
    lines.push(`${r.activation.padEnd(10)} ${String(r.seed).padStart(4)} | ${f(r.sklearnAccuracy).padStart(11)} ${f(r.oursAccuracy).padStart(9)} | ${f(r.sklearnFitSeconds, 3).padStart(9)} ${f(r.oursFitSeconds, 3).padStart(7)} | ${String(r.sklearnNIter).padStart(10)} ${String(r.oursNIter).padStart(7)}`);
  }
  lines.push('');
  for (const s of result.summary) {
    lines.push(`${s.activation}: mean accuracy sklearn ${f(s.sklearnMeanAccuracy)} vs ours ${f(s.oursMeanAccuracy)}; ` +
      `mean fit sklearn ${f(s.sklearnMeanFitSeconds, 3)} s vs ours ${f(s.oursMeanFitSeconds, 3)} s (ratio ours/sklearn ${f(s.fitTimeRatio, 2)})`);
  }
  return lines.join('\n');
}
