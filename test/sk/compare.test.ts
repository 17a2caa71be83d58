import { describe, it, expect } from 'vitest';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compareWithSklearn, formatComparison } from '../../src/sk/compare';
import { benchmark } from '../../src/sk/benchmark';

describe('comparison with scikit-learn (bench/sklearn)', () => {
  it('fits both on the same split indices and reports them side by side', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digitlab-sk-test-'));
    const result = compareWithSklearn({ seeds: [1], activations: ['relu'], outDir: dir, log: () => undefined });
    const spec = JSON.parse(fs.readFileSync(path.join(dir, 'splits.json'), 'utf8'));
    expect(spec.splits[0].train.length + spec.splits[0].test.length).toBe(1797);
    expect(result.rows).toHaveLength(1);
    const r = result.rows[0];
    expect(r.sklearnAccuracy).toBeGreaterThan(0.93);
    expect(r.oursAccuracy).toBeGreaterThan(0.93);
    expect(r.sklearnNIter).toBeGreaterThan(10);
    expect(result.summary[0].fitTimeRatio).toBeGreaterThan(0);
    expect(formatComparison(result)).toMatch(/relu: mean accuracy sklearn 0\.9\d+ vs ours 0\.9\d+/);
  });
});

describe('npm run bench plugin', () => {
  it('trains the requested epochs and predicts the requested inputs', async () => {
    const r = await benchmark.run(1797 * 2, 500);
    expect(r.samplesTrained).toBe(1797 * 2);
    expect(r.inferred).toBe(500);
    expect(r.trainSeconds).toBeGreaterThan(0);
  });
});
