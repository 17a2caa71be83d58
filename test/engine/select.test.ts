import { describe, it, expect } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { init, current } from '../../src/engine/select';
import { seed, rng } from '../../src/engine/seed';

describe('engine selection', () => {
  it('falls back past the native backends, reporting why, and the backend computes', async () => {
    const info = await init({ quiet: true });
    expect(current()).toBe(info);
    expect(['node-gpu', 'node', 'wasm', 'cpu']).toContain(info.backend);
    expect(info.line).toMatch(/^digitlab engine: \w[\w-]* \(tfjs "\w+", \d+ threads?\) — /);
    if (info.backend === 'wasm') {
      expect(info.skipped.map((s) => s.backend)).toEqual(['node-gpu', 'node']);
      expect(info.line).toMatch(/node-gpu: not installed; node: not installed/);
    }
    expect(tf.getBackend()).toBe(info.tfBackend);
  });
  it('honours a named backend and DIGITLAB_BACKEND, and rejects unknown names', async () => {
    const cpu = await init({ backend: 'cpu', quiet: true });
    expect(cpu.backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    process.env.DIGITLAB_BACKEND = 'gpu-please';
    await expect(init({ quiet: true })).rejects.toThrow(/DIGITLAB_BACKEND: expected one of node-gpu, node, wasm, cpu, got "gpu-please"/);
    process.env.DIGITLAB_BACKEND = 'wasm';
    expect((await init({ quiet: true })).backend).toBe('wasm');
    delete process.env.DIGITLAB_BACKEND;
    await expect(init({ backend: 'node', quiet: true })).rejects.toThrow(/node: not installed/);
  });
});

describe('seeding', () => {
  it('rng repeats per seed', () => {
    const a = rng(5);
    const b = rng(5);
    const xs = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
  it('makes tfjs weight init and dropout repeatable', async () => {
    await init({ backend: 'cpu', quiet: true });
    const draw = () => {
      seed(42);
      const model = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [3] }), tf.layers.dropout({ rate: 0.5 })] });
      const w = Array.from(model.getWeights()[0].dataSync());
      const d = tf.tidy(() => Array.from((model.apply(tf.ones([2, 3]), { training: true }) as tf.Tensor).dataSync()));
      model.dispose();
      return [w, d];
    };
    const [w1, d1] = draw();
    const [w2, d2] = draw();
    expect(w2).toEqual(w1);
    expect(d2).toEqual(d1);
    seed(43);
    const m = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [3] })] });
    expect(Array.from(m.getWeights()[0].dataSync())).not.toEqual(w1);
    seed(null);
  });
});
