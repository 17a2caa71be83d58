import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { init } from '../../src/engine/select';
import { fileHandler, loadModel, registerFileScheme, saveModel } from '../../src/io/tfjs-dir';
import { convModel, denseModel, inputsFor, predict, py, pythonCheck, sameBits, tmpDir } from './helpers';

let dir: string;
beforeAll(() => {
  dir = tmpDir('tfjs');
});
afterAll(async () => {
  await init({ backend: 'cpu', quiet: true });
});

describe('tfjs layers folder (model.json + weights.bin) with any backend', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    for (const [label, make] of [['dense', denseModel], ['conv', convModel]] as const) {
      it(`${backend}/${label}: model.save(fileHandler) → tf.loadLayersModel gives identical predictions`, async () => {
        await init({ backend, quiet: true });
        const m = make();
        const x = inputsFor(m, 5);
        const before = predict(m, x);
        const target = path.join(dir, `${backend}-${label}`);
        const result = await m.save(fileHandler(target), { includeOptimizer: true });
        // The model's float32 weights, then the optimizer's state (its iteration count at least).
        expect(result.modelArtifactsInfo.weightDataBytes).toBeGreaterThan(m.countParams() * 4);
        expect(fs.readdirSync(target).sort()).toEqual(['model.json', 'weights.bin']);
        const n0 = tf.memory().numTensors;
        const back = await tf.loadLayersModel(fileHandler(target));
        expect(sameBits(predict(back, x), before)).toBe(true);
        // The training config travels too: the model comes back compiled with the same loss.
        expect(back.loss).toBe('categoricalCrossentropy');
        // tfjs does not let a model own an optimizer rebuilt from a training config: free it too.
        back.optimizer.dispose();
        back.dispose();
        expect(tf.memory().numTensors).toBe(n0);
        m.dispose();
        x.dispose();
      });
    }
  }

  it('saveModel/loadModel and file:// URLs (registerFileScheme) do the same', async () => {
    await init({ backend: 'cpu', quiet: true });
    const m = denseModel(4);
    const x = inputsFor(m, 2);
    await saveModel(m, path.join(dir, 'plain'));
    const plain = await loadModel(path.join(dir, 'plain'));
    expect(sameBits(predict(plain, x), predict(m, x))).toBe(true);
    expect(plain.optimizer.getClassName()).toBe('RMSProp');
    await saveModel(m, path.join(dir, 'noopt'), { includeOptimizer: false });
    const noopt = await loadModel(path.join(dir, 'noopt'));
    expect(noopt.optimizer).toBeUndefined();
    expect(fs.statSync(path.join(dir, 'noopt', 'weights.bin')).size).toBe(m.countParams() * 4);
    expect(registerFileScheme()).toBe(true);
    await m.save(`file://${path.join(dir, 'url')}`);
    const back = await tf.loadLayersModel(`file://${path.join(dir, 'url', 'model.json')}`);
    expect(sameBits(predict(back, x), predict(m, x))).toBe(true);
    [m, back, x, plain, noopt].forEach((t) => t.dispose());
  });

  it('overwrites an older export whole, leaving nothing beside it', async () => {
    const target = path.join(dir, 'over');
    await saveModel(convModel(1), target);
    const m = denseModel(2);
    await saveModel(m, target);
    const json = JSON.parse(fs.readFileSync(path.join(target, 'model.json'), 'utf8'));
    expect(json.modelTopology.config.layers.map((l: { class_name: string }) => l.class_name)).toEqual(['Dense', 'Dense']);
    expect(fs.readdirSync(dir).filter((n) => n.startsWith('.over'))).toEqual([]);
  });
});

describe('tfjs folder errors name the file and what was expected', () => {
  let target: string;
  beforeAll(async () => {
    await init({ backend: 'cpu', quiet: true });
    target = path.join(dir, 'broken');
    await saveModel(denseModel(1), target, { includeOptimizer: false });
  });
  const copy = (name: string) => {
    const d = path.join(dir, name);
    fs.cpSync(target, d, { recursive: true });
    return d;
  };
  it('truncated weights.bin', async () => {
    const d = copy('cut');
    const w = path.join(d, 'weights.bin');
    fs.truncateSync(w, fs.statSync(w).size - 8);
    await expect(loadModel(d)).rejects.toThrow(/cut\/weights\.bin: truncated: model\.json lists 4 weights of 2024 bytes, the file holds 2016/);
  });
  it('missing weights.bin, missing or corrupt model.json', async () => {
    const a = copy('noweights');
    fs.rmSync(path.join(a, 'weights.bin'));
    await expect(loadModel(a)).rejects.toThrow(/noweights\/weights\.bin: cannot read weights named in model\.json \(ENOENT\)/);
    await expect(loadModel(path.join(dir, 'absent'))).rejects.toThrow(/absent\/model\.json: cannot read \(ENOENT\)/);
    const b = copy('badjson');
    const j = path.join(b, 'model.json');
    fs.writeFileSync(j, fs.readFileSync(j, 'utf8').slice(0, 50));
    await expect(loadModel(b)).rejects.toThrow(/badjson\/model\.json: not valid JSON .*the file may be truncated/);
    const c = copy('nomanifest');
    fs.writeFileSync(path.join(c, 'model.json'), JSON.stringify({ modelTopology: {} }));
    await expect(loadModel(c)).rejects.toThrow(/nomanifest\/model\.json: no "weightsManifest" array/);
  });
});

const pyState = pythonCheck();
describe.skipIf(!pyState.ok)('Python reads our model.json + weights.bin', () => {
  it('numpy decodes weights.bin per the manifest, bit for bit', async () => {
    await init({ backend: 'cpu', quiet: true });
    const m = convModel(3);
    const target = path.join(dir, 'forpy');
    await saveModel(m, target);
    const out = py([
      '-c',
      `import json, numpy as np
d = ${JSON.stringify(target)}
j = json.load(open(d + '/model.json'))
buf = b''.join(open(d + '/' + p, 'rb').read() for g in j['weightsManifest'] for p in g['paths'])
off, res = 0, {}
for g in j['weightsManifest']:
    for w in g['weights']:
        n = int(np.prod(w['shape'])) if w['shape'] else 1
        a = np.frombuffer(buf, dtype={'float32': '<f4', 'int32': '<i4'}[w['dtype']], count=n, offset=off).reshape(w['shape'])
        off += 4 * n
        res[w['name']] = [list(a.shape), a.tobytes().hex()]
assert off == len(buf), (off, len(buf))
print(json.dumps(res))`,
    ]);
    const res = JSON.parse(out) as Record<string, [number[], string]>;
    // The model's weights first (optimizer state, if any, follows them).
    expect(Object.keys(res).slice(0, m.weights.length)).toEqual(m.weights.map((w) => w.originalName));
    for (const w of m.weights) {
      const data = w.read().dataSync() as Float32Array;
      expect(res[w.originalName][0]).toEqual(w.shape);
      expect(res[w.originalName][1]).toBe(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('hex'));
    }
    m.dispose();
  });
});
