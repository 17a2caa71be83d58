import { describe, it, expect, beforeAll } from 'vitest';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { init } from '../../src/engine/select';
import { saveKerasH5, loadKerasH5, loadKerasWeights } from '../../src/io/keras-h5';
import { h5wasm } from '../../src/io/h5';
import { loadNpy, loadNpz, saveNpy } from '../../src/io/npz';
import { FIXTURES, convModel, denseModel, functionalModel, inputsFor, predict, py, pythonCheck, sameBits, tmpDir } from './helpers';

let dir: string;
beforeAll(async () => {
  await init({ backend: 'cpu', quiet: true });
  dir = tmpDir('h5');
});

describe('Keras .h5 round trip in tfjs', () => {
  for (const [label, make] of [['dense', denseModel], ['conv', convModel], ['functional', functionalModel]] as const) {
    it(`${label}: save → load gives bit-identical predictions and weights, compiled again`, async () => {
      const m = make();
      const x = inputsFor(m, 6);
      const before = predict(m, x);
      const file = path.join(dir, `${label}.h5`);
      await saveKerasH5(m, file);
      const back = await loadKerasH5(file);
      expect(sameBits(predict(back, x), before)).toBe(true);
      expect(back.layers.map((l) => l.getClassName())).toEqual(m.layers.map((l) => l.getClassName()));
      m.weights.forEach((w, i) => expect(sameBits(back.weights[i].read().dataSync() as Float32Array, w.read().dataSync() as Float32Array)).toBe(true));
      // training_config came back: the loaded model can be evaluated/trained with the same loss.
      expect(back.optimizer?.getClassName()).toBe(m.optimizer.getClassName());
      expect(back.optimizer.getConfig().learningRate).toBeCloseTo(m.optimizer.getConfig().learningRate as number, 12);
      expect(back.loss).toBe(m.loss);
      back.optimizer.dispose();
      x.dispose();
      m.dispose();
      back.dispose();
    });
  }

  it('writes no training_config for an uncompiled model, and loading one leaks no tensors', async () => {
    const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2 })] });
    const file = path.join(dir, 'plain.h5');
    await saveKerasH5(m, file);
    const h5 = await h5wasm();
    const f = new h5.File(file, 'r');
    expect(Object.keys(f.attrs).sort()).toEqual(['backend', 'keras_version', 'model_config']);
    f.close();
    const n0 = tf.memory().numTensors;
    const back = await loadKerasH5(file);
    back.dispose();
    expect(tf.memory().numTensors).toBe(n0);
  });

  it('replaces an existing file atomically (no temp files left beside it)', async () => {
    const file = path.join(dir, 'again.h5');
    await saveKerasH5(denseModel(1), file);
    await saveKerasH5(denseModel(3), file);
    expect(fs.readdirSync(dir).filter((n) => n.includes('again'))).toEqual(['again.h5']);
  });
});

describe('Keras-layout fixtures (written by h5py exactly as Keras 2 lays them out) load into tfjs', () => {
  const expected = () => loadNpz(path.join(FIXTURES, 'keras_expected.npz'));
  for (const name of ['dense', 'conv', 'functional']) {
    it(`keras_${name}.h5 predicts what the numpy forward pass of the same weights predicts`, async () => {
      const e = expected();
      const model = await loadKerasH5(path.join(FIXTURES, `keras_${name}.h5`));
      const x = tf.tensor(e[`x_${name}`].data as Float32Array, e[`x_${name}`].shape);
      const got = predict(model, x);
      const want = e[`y_${name}`].data as Float32Array;
      expect(got.length).toBe(want.length);
      got.forEach((v, i) => expect(Math.abs(v - want[i])).toBeLessThan(1e-5));
      x.dispose();
      model.dispose();
    });
  }
  it('compiles from training_config: RMSprop / Adam, categorical_crossentropy, accuracy', async () => {
    const dense = await loadKerasH5(path.join(FIXTURES, 'keras_dense.h5'));
    expect(dense.optimizer.getClassName()).toBe('RMSProp');
    expect(dense.optimizer.getConfig().decay).toBeCloseTo(0.9);
    const conv = await loadKerasH5(path.join(FIXTURES, 'keras_conv.h5'));
    expect(conv.optimizer.getClassName()).toBe('Adam');
    expect(conv.optimizer.getConfig().learningRate).toBeCloseTo(1e-4);
    expect(conv.metricsNames).toContain('acc');
    const raw = await loadKerasH5(path.join(FIXTURES, 'keras_conv.h5'), { compile: false });
    expect(raw.optimizer).toBeUndefined();
    [dense, conv, raw].forEach((m) => m.dispose());
  });
  it('loads save_weights files into a built model', async () => {
    const full = await loadKerasH5(path.join(FIXTURES, 'keras_dense.h5'));
    const m = tf.sequential({
      layers: [tf.layers.dense({ inputShape: [16], units: 8, activation: 'relu' }), tf.layers.dense({ units: 10, activation: 'softmax' })],
    });
    await loadKerasWeights(m, path.join(FIXTURES, 'keras_weights_only.h5'));
    const x = tf.ones([2, 16]);
    expect(sameBits(predict(m, x), predict(full, x))).toBe(true);
    await expect(loadKerasH5(path.join(FIXTURES, 'keras_weights_only.h5'))).rejects.toThrow(/no "model_config" attribute at the root.*save_weights file/);
    [full, m, x].forEach((t) => t.dispose());
  });
});

describe('Keras .h5 errors name the file, the layer and what was expected', () => {
  const copyWith = (name: string, edit: string): string => {
    const file = path.join(dir, name);
    fs.copyFileSync(path.join(FIXTURES, 'keras_dense.h5'), file);
    py(['-c', `import h5py, json, numpy as np\nf = h5py.File(${JSON.stringify(file)}, 'a')\n${edit}\nf.close()`]);
    return file;
  };
  const haveH5py = pythonCheck().ok;

  it('rejects unsupported layer types on export', async () => {
    const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3 }), tf.layers.batchNormalization()] });
    await expect(saveKerasH5(m, path.join(dir, 'bn.h5'))).rejects.toThrow(/bn\.h5: layer "batch_normalization\w*" is a BatchNormalization; Keras \.h5 export supports InputLayer, Dense/);
    expect(fs.existsSync(path.join(dir, 'bn.h5'))).toBe(false);
  });
  it('rejects a loss without a Keras name unless includeOptimizer is false', async () => {
    const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3 })] });
    m.compile({ optimizer: 'sgd', loss: (a: tf.Tensor, b: tf.Tensor) => tf.losses.meanSquaredError(a, b) });
    await expect(saveKerasH5(m, path.join(dir, 'fn.h5'))).rejects.toThrow(/fn\.h5: the model's loss is a function/);
    await saveKerasH5(m, path.join(dir, 'fn.h5'), { includeOptimizer: false });
    expect(fs.existsSync(path.join(dir, 'fn.h5'))).toBe(true);
  });
  it('rejects a file that is not HDF5, and a truncated one', async () => {
    const notH5 = path.join(dir, 'not.h5');
    fs.writeFileSync(notH5, 'hello, this is text');
    await expect(loadKerasH5(notH5)).rejects.toThrow(/not\.h5: not a readable HDF5 file \(file signature not found\); expected the HDF5 signature/);
    const bytes = fs.readFileSync(path.join(FIXTURES, 'keras_dense.h5'));
    const cut = path.join(dir, 'cut.h5');
    fs.writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expect(loadKerasH5(cut)).rejects.toThrow(/cut\.h5: not a readable HDF5 file \(truncated file: eof = \d+.*stored_eof = \d+\)/);
    await expect(loadKerasH5(path.join(dir, 'absent.h5'))).rejects.toThrow(/absent\.h5: cannot read \(ENOENT\)/);
  });
  it.skipIf(!haveH5py)('rejects missing groups, wrong dtypes and shapes, unknown layers', async () => {
    await expect(loadKerasH5(copyWith('nomw.h5', "del f['model_weights']"))).rejects.toThrow(/nomw\.h5: group "model_weights" is missing/);
    await expect(loadKerasH5(copyWith('nolayer.h5', "del f['model_weights/dense_1']"))).rejects.toThrow(/nolayer\.h5: group "model_weights\/dense_1" listed in layer_names is missing/);
    await expect(loadKerasH5(copyWith('nods.h5', "del f['model_weights/dense/dense/bias:0']"))).rejects.toThrow(/nods\.h5: dataset "model_weights\/dense\/dense\/bias:0" is missing \(layer "dense"/);
    await expect(
      loadKerasH5(copyWith('f64.h5', "g = f['model_weights/dense/dense']; v = g['kernel:0'][()]; del g['kernel:0']; g['kernel:0'] = v.astype('float64')")),
    ).rejects.toThrow(/f64\.h5: layer "dense" weight "dense\/kernel:0" has HDF5 type "<d"; expected float32/);
    await expect(
      loadKerasH5(copyWith('shape.h5', "g = f['model_weights/dense/dense']; del g['kernel:0']; g['kernel:0'] = np.zeros((16, 9), 'float32')")),
    ).rejects.toThrow(/shape\.h5: layer "dense" weight "dense\/kernel:0" has shape \[16,9\]; expected \[16,8\]/);
    await expect(
      loadKerasH5(copyWith('lstm.h5', "c = json.loads(f.attrs['model_config']); c['config']['layers'][2]['class_name'] = 'LSTM'; f.attrs['model_config'] = json.dumps(c)")),
    ).rejects.toThrow(/lstm\.h5: layer "dense_1" is a LSTM; loading Keras \.h5 supports InputLayer, Dense/);
    await expect(
      loadKerasH5(copyWith('act.h5', "c = json.loads(f.attrs['model_config']); c['config']['layers'][1]['config']['activation'] = 'gelu'; f.attrs['model_config'] = json.dumps(c)")),
    ).rejects.toThrow(/act\.h5: layer "dense" uses activation "gelu"; expected one of linear, relu/);
    await expect(loadKerasH5(copyWith('nocfg.h5', "del f.attrs['model_config']"))).rejects.toThrow(/nocfg\.h5: no "model_config" attribute at the root/);
  });
});

const pyState = pythonCheck();
describe.skipIf(!pyState.ok)('Python reads our .h5 (Debian python3-h5py, Keras 2 loader logic)', () => {
  const training = {
    dense: { optimizer: 'RMSprop', loss: 'categorical_crossentropy', metrics: ['accuracy'] },
    conv: { optimizer: 'Adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] },
    functional: { optimizer: 'SGD', loss: 'mean_squared_error', metrics: [] },
  };
  for (const [label, make] of [['dense', denseModel], ['conv', convModel], ['functional', functionalModel]] as const) {
    it(`${label}: layout checks pass, weights match bit for bit, numpy predictions match tfjs`, async () => {
      const m = make();
      const x = inputsFor(m, 4);
      const file = path.join(dir, `py-${label}.h5`);
      await saveKerasH5(m, file);
      const xFile = path.join(dir, `py-${label}-x.npy`);
      saveNpy(xFile, x);
      const out = path.join(dir, `py-${label}-out`);
      const summary = JSON.parse(py([path.join(FIXTURES, 'check_keras_h5.py'), file, xFile, out]).trim().split('\n').pop()!);
      expect(summary.model).toBe(label === 'functional' ? 'Functional' : 'Sequential');
      expect(summary.training).toEqual(training[label]);
      const stored = loadNpz(path.join(out, 'weights.npz'));
      for (const layer of m.layers) {
        for (const w of layer.weights) {
          const key = `${layer.name}__${w.originalName.split('/').pop()}`;
          expect(stored[key], key).toBeDefined();
          expect(sameBits(stored[key].data as Float32Array, w.read().dataSync() as Float32Array)).toBe(true);
        }
      }
      const pyPred = loadNpy(path.join(out, 'pred.npy'));
      const tfPred = predict(m, x);
      (pyPred.data as Float32Array).forEach((v, i) => expect(Math.abs(v - tfPred[i])).toBeLessThan(1e-5));
      x.dispose();
      m.dispose();
    });
  }
});
