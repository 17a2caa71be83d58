/** `npm run bench` end to end at a tiny scale (no timing asserted: speeds are reported, not tested). */
import { describe, expect, it } from 'vitest';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main, parseArgs } from '../../src/cli/bench';

describe('bench', () => {
  it('rejects unknown models and arguments with a clear message', () => {
    expect(() => parseArgs(['--models', 'mlp64,resnet'])).toThrow(/bench --models: "resnet" is not one of mlp64, mlp1000, custom-loop, cnn, scratch, sk-mlp/);
    expect(() => parseArgs(['--fast'])).toThrow(/unknown argument "--fast"/);
    expect(() => parseArgs(['--threads', '0'])).toThrow(/--threads: expected a whole number ≥ 1, got "0"/);
  });

  it('trains and infers the selected models and writes the results atomically', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-')), 'bench.json');
    await main(['--models', 'mlp64,cnn,scratch', '--scale', '0.01', '--no-torch', '--out', out]);
    const json = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(fs.readdirSync(path.dirname(out))).toEqual(['bench.json']); // no temp file left
    expect(json.engine.threads).toBeGreaterThanOrEqual(1);
    const byName = Object.fromEntries(json.results.map((r: { name: string }) => [r.name, r]));
    expect(Object.keys(byName).sort()).toEqual(['cnn', 'mlp64', 'scratch']);
    for (const name of ['mlp64', 'cnn']) {
      const t = byName[name].tfjs;
      expect(t.samplesPerSec).toBeGreaterThan(0);
      expect(t.inferPerSec).toBeGreaterThan(0);
      expect(t.peakRssMB).toBeGreaterThan(10);
      expect(Number.isFinite(t.lastLoss)).toBe(true);
    }
    // The scratch net (src/nn's `benchmark`): whole epochs of the 1934 text digits, then inference.
    expect(byName.scratch.samples % 1934).toBe(0);
    expect(byName.scratch.tfjs.samplesPerSec).toBeGreaterThan(0);
    expect(byName.scratch.tfjs.inferPerSec).toBeGreaterThan(0);
  });
});
