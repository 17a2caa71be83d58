import { it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import * as lab from '../../src';
it('probe', async () => {
  await lab.engine.init();
  const x = tf.randomUniform([128, 784]), y = tf.oneHot(tf.randomUniform([128], 0, 10, 'int32'), 10);
  const m = tf.sequential({ layers: [tf.layers.dense({ units: 64, activation: 'relu', inputShape: [784] }), tf.layers.dense({ units: 10, activation: 'softmax' })] });
  m.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  for (let i = 0; i < 10; i++) await m.trainOnBatch(x, y);
  const N = 50;
  const prof = await tf.profile(async () => { for (let i = 0; i < N; i++) await m.trainOnBatch(x, y); });
  const by: Record<string, [number, number, string]> = {};
  for (const e of prof.kernels) { const key = e.name + ' ' + JSON.stringify(e.inputShapes); const r = by[key] ?? [0, 0, '']; r[0]++; r[1] += Number(e.kernelTimeMs); by[key] = r; }
  let tot = 0; for (const v of Object.values(by)) tot += v[1];
  console.log('total kernel ms/step', (tot / N).toFixed(2), 'kernels/step', prof.kernels.length / N);
  console.log(Object.entries(by).sort((a, b) => b[1][1] - a[1][1]).slice(0, 25).map(([n, [c, ms]]) => `${(ms / N).toFixed(3)}ms x${c / N} ${n}`).join('\n'));
}, 600000);
