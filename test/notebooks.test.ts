/**
 * Every notebook under notebooks/ runs top to bottom in the real tslab kernel in quick mode
 * (one at a time), and its reported figures meet the quick thresholds its issue names.
 * A notebook listed here but missing from notebooks/ fails; one not listed must still run.
 * Executed copies stay in out/notebooks-test/ for inspection.
 */
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { runNotebook } from '../src/notebook/run';

type Check = { atLeast: number } | { below: number } | { equals: number };

/** Quick-mode thresholds per notebook: metric → bound. The one table of them. */
const QUICK_THRESHOLDS: Record<string, Record<string, Check>> = {
  '01-keras-mlp': { mlp64TestAccuracy: { atLeast: 0.9 } },
  '02-custom-training-loop': { testAccuracy: { atLeast: 0.88 }, tensorsLeakedPerStep: { equals: 0 } },
  '03-lenet-cnn': { mnistTestAccuracy: { atLeast: 0.9 }, notmnistTestAccuracy: { atLeast: 0.8 } },
  '04-scratch-net': {
    digits32TrainAccuracy: { atLeast: 0.8 },
    twoLayerNetTestAccuracy: { atLeast: 0.85 },
    gradCheckMaxRelError: { below: 1e-6 },
  },
  '05-sklearn-digits': { mlpTestAccuracy: { atLeast: 0.93 } },
};

const ROOT = path.resolve(__dirname, '..');
const NB_DIR = path.join(ROOT, 'notebooks');
const OUT = path.join(ROOT, 'out', 'notebooks-test');
const present = fs.existsSync(NB_DIR) ? fs.readdirSync(NB_DIR).filter((f) => f.endsWith('.ipynb')).map((f) => f.replace(/\.ipynb$/, '')) : [];
const names = [...new Set([...Object.keys(QUICK_THRESHOLDS), ...present])].sort();

/** Kernel start and type-checking included: quick mode promises under 2 minutes of notebook. */
const PER_NOTEBOOK_MS = 300_000;

describe('notebooks (quick mode, real tslab kernel)', () => {
  for (const name of names) {
    it(`${name}.ipynb runs and meets its quick thresholds`, async () => {
      const file = path.join(NB_DIR, `${name}.ipynb`);
      expect(fs.existsSync(file), `${path.relative(ROOT, file)} is listed in QUICK_THRESHOLDS but missing`).toBe(true);
      // runNotebook throws NotebookRunError naming the notebook and the cell if any cell fails.
      const run = await runNotebook(file, { quick: true, outDir: OUT, timeoutMs: 240_000 });
      expect(run.ok).toBe(true);
      for (const [metric, check] of Object.entries(QUICK_THRESHOLDS[name] ?? {})) {
        const v = run.figures[metric];
        const where = `${name}.ipynb reported ${metric}=${v}`;
        expect(v, `${name}.ipynb did not report ${metric} (reported: ${JSON.stringify(run.figures)})`).toBeTypeOf('number');
        if ('atLeast' in check) expect(v, `${where}, expected ≥ ${check.atLeast}`).toBeGreaterThanOrEqual(check.atLeast);
        if ('below' in check) expect(v, `${where}, expected < ${check.below}`).toBeLessThan(check.below);
        if ('equals' in check) expect(v, `${where}, expected ${check.equals}`).toBe(check.equals);
      }
    }, PER_NOTEBOOK_MS);
  }
});
