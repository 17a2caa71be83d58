/** results.json, RESULTS.md and RESULTS.json from run records. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { backendOf, engineLine, reportedFigures } from '../../src/notebook/gather';
import { resultsOf, writeResultsReport } from '../../src/notebook/results';
import type { NotebookRun } from '../../src/notebook/run';
import type { INotebookContent } from '@jupyterlab/nbformat';

function run(name: string, figures: Record<string, number>, ok = true): NotebookRun {
  return {
    notebook: `notebooks/${name}`, name, outputPath: `out/${name}`, ok, figures,
    engine: 'digitlab engine: wasm (tfjs "wasm", 2 threads) — node: not installed', backend: 'wasm',
    quick: false, parameters: {}, cellsRun: 3, cellsTotal: 3, wallMs: 61_000, kernelPid: 1,
    ...(ok ? {} : { failure: { kind: 'error' as const, cellIndex: 2, where: `${name} code cell 2/3 (id c)`, message: 'boom' } }),
  };
}

describe('results', () => {
  it('gathers reports (later wins) and the engine line from executed outputs', () => {
    const nb = {
      nbformat: 4, nbformat_minor: 5, metadata: {},
      cells: [
        { cell_type: 'code', id: 'a', metadata: {}, execution_count: 1, source: '', outputs: [
          { output_type: 'stream', name: 'stdout', text: ['loading\n', 'digitlab engine: cpu (tfjs "cpu", 1 thread) — requested\n'] },
          { output_type: 'display_data', metadata: {}, data: { 'application/vnd.digitlab.report+json': { acc: 0.5, n: 3 }, 'text/plain': 'acc' } },
        ] },
        { cell_type: 'code', id: 'b', metadata: {}, execution_count: 2, source: '', outputs: [
          { output_type: 'display_data', metadata: {}, data: { 'application/vnd.digitlab.report+json': { acc: 0.9 } } },
        ] },
      ],
    } as unknown as INotebookContent;
    expect(reportedFigures(nb)).toEqual({ acc: 0.9, n: 3 });
    expect(engineLine(nb)).toBe('digitlab engine: cpu (tfjs "cpu", 1 thread) — requested');
    expect(backendOf(engineLine(nb))).toBe('cpu');
    expect(backendOf(null)).toBeNull();
  });

  it('keys results.json by notebook file name', () => {
    expect(resultsOf([run('01-keras-mlp.ipynb', { mlp64TestAccuracy: 0.97 })])).toEqual({ '01-keras-mlp.ipynb': { mlp64TestAccuracy: 0.97 } });
  });

  it('writes RESULTS.md with document figures beside this run, and keeps notebooks not re-run', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'results-'));
    writeResultsReport([run('01-keras-mlp.ipynb', { mlp64TestAccuracy: 0.9712, mlp1000TestAccuracy: 0.981 }), run('03-lenet-cnn.ipynb', {}, false)], root, 120_000, new Date('2026-01-02T03:04:05Z'));
    writeResultsReport([run('05-sklearn-digits.ipynb', { mlpTestAccuracy: 0.955, extra: 12 })], root, 30_000, new Date('2026-01-03T00:00:00Z'));
    const json = JSON.parse(fs.readFileSync(path.join(root, 'RESULTS.json'), 'utf8'));
    expect(Object.keys(json.results).sort()).toEqual(['01-keras-mlp.ipynb', '03-lenet-cnn.ipynb', '05-sklearn-digits.ipynb']);
    expect(json.notebooks['01-keras-mlp.ipynb']).toMatchObject({ status: 'ok', backend: 'wasm', date: '2026-01-02T03:04:05.000Z', wallSeconds: 61 });
    expect(json.notebooks['03-lenet-cnn.ipynb']).toMatchObject({ status: 'failed', failure: '03-lenet-cnn.ipynb code cell 2/3 (id c)' });
    expect(json.date).toBe('2026-01-03T00:00:00.000Z');
    expect(json.machine.cpus).toBe(os.availableParallelism());
    expect(json.machine.memoryGiB).toBeGreaterThan(0);
    const md = fs.readFileSync(path.join(root, 'RESULTS.md'), 'utf8');
    expect(md).toContain('| MLP 784-64-10, test accuracy (000, `mlp64TestAccuracy`) | 96.8% | 97.1% |');
    expect(md).toContain('| MLP 784-1000-10, test accuracy (003, `mlp1000TestAccuracy`) | ~97% | 98.1% |');
    expect(md).toContain('| improved LeNet CNN, MNIST test accuracy (001, `mnistTestAccuracy`) | 99.2% | — |');
    expect(md).toContain('| `extra` | — | 12 |');
    expect(md).toMatch(/Machine: \d+ cores/);
    expect(fs.readdirSync(root).sort()).toEqual(['RESULTS.json', 'RESULTS.md']); // no temp files left
  });
});
