import { describe, it, expect, beforeAll } from 'vitest';
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import * as ts from 'typescript';
import * as tf from '@tensorflow/tfjs';
import { init } from '../../src/engine/select';
import { writeFileAtomic, writeFileAtomicSync, replaceDirAtomic } from '../../src/io/atomic';
import { loadNpz, saveNpz } from '../../src/io/npz';
import { loadModel, saveModel } from '../../src/io/tfjs-dir';
import { denseModel, inputsFor, predict, sameBits, tmpDir } from './helpers';

let dir: string;
beforeAll(async () => {
  await init({ backend: 'cpu', quiet: true });
  dir = tmpDir('atomic');
});

const leftovers = (d: string) => fs.readdirSync(d).filter((n) => /\.(tmp|old)-/.test(n));

describe('atomic file writes', () => {
  it('a writer that fails midway leaves the old file untouched and no temp file', async () => {
    const file = path.join(dir, 'model.h5');
    fs.writeFileSync(file, 'GOOD');
    await expect(
      writeFileAtomic(file, (tmp) => {
        fs.writeFileSync(tmp, 'HALF-WRITTEN');
        throw new Error('disk full (simulated)');
      }),
    ).rejects.toThrow(/disk full/);
    expect(fs.readFileSync(file, 'utf8')).toBe('GOOD');
    expect(leftovers(dir)).toEqual([]);
    await writeFileAtomic(file, new TextEncoder().encode('NEW'));
    expect(fs.readFileSync(file, 'utf8')).toBe('NEW');
  });
  it('creates missing parent folders; sync variant replaces content', () => {
    const file = path.join(dir, 'a', 'b', 'c.bin');
    writeFileAtomicSync(file, Uint8Array.from([1, 2]));
    writeFileAtomicSync(file, Uint8Array.from([3]));
    expect([...fs.readFileSync(file)]).toEqual([3]);
    expect(leftovers(path.dirname(file))).toEqual([]);
  });
  it('a folder export that fails midway leaves the old folder whole', async () => {
    const target = path.join(dir, 'folder');
    await replaceDirAtomic(target, (tmp) => fs.writeFileSync(path.join(tmp, 'model.json'), 'v1'));
    await expect(
      replaceDirAtomic(target, (tmp) => {
        fs.writeFileSync(path.join(tmp, 'model.json'), 'v2');
        throw new Error('weights write failed (simulated)');
      }),
    ).rejects.toThrow(/simulated/);
    expect(fs.readdirSync(target)).toEqual(['model.json']);
    expect(fs.readFileSync(path.join(target, 'model.json'), 'utf8')).toBe('v1');
    expect(leftovers(dir)).toEqual([]);
    await replaceDirAtomic(target, (tmp) => fs.writeFileSync(path.join(tmp, 'weights.bin'), 'v3'));
    expect(fs.readdirSync(target)).toEqual(['weights.bin']);
    expect(leftovers(dir)).toEqual([]);
  });
  it('recovers from a killed export: stale temporaries go, a moved-aside folder comes back', async () => {
    const dead = spawnSync('true').pid!;
    const target = path.join(dir, 'recover');
    // Killed between the two renames: the old folder is aside, the new one still temporary.
    fs.mkdirSync(path.join(dir, `.recover.old-${dead}-0a0b0c0d`));
    fs.writeFileSync(path.join(dir, `.recover.old-${dead}-0a0b0c0d`, 'model.json'), 'previous');
    fs.mkdirSync(path.join(dir, `.recover.tmp-${dead}-01020304`));
    // A live process's temporary is left alone.
    fs.writeFileSync(path.join(dir, `.recover.tmp-${process.pid}-99999999`), 'in progress');
    await expect(loadModel(target)).rejects.toThrow(/recover\/model\.json: not valid JSON/);
    expect(fs.readFileSync(path.join(target, 'model.json'), 'utf8')).toBe('previous');
    expect(leftovers(dir)).toEqual([`.recover.tmp-${process.pid}-99999999`]);
    fs.rmSync(path.join(dir, `.recover.tmp-${process.pid}-99999999`));
    fs.writeFileSync(path.join(dir, `.x.bin.tmp-${dead}-01020304`), 'half');
    writeFileAtomicSync(path.join(dir, 'x.bin'), Uint8Array.from([1]));
    expect(leftovers(dir)).toEqual([]);
  });
  it('refuses to replace a file with a folder', async () => {
    const f = path.join(dir, 'plainfile');
    fs.writeFileSync(f, 'x');
    await expect(replaceDirAtomic(f, () => undefined)).rejects.toThrow(/plainfile: exists and is not a folder/);
  });
});

/**
 * A process killed in the middle of an export: the child runs our compiled io modules under
 * `ulimit -f` (max file size), so the kernel stops it (SIGXFSZ) partway through the big write.
 */
describe('an export interrupted by the kernel keeps the previous good copy', () => {
  let js: string;
  beforeAll(() => {
    js = tmpDir('atomic-js');
    const src = path.join(__dirname, '..', '..', 'src', 'io');
    for (const name of fs.readdirSync(src).filter((n) => n.endsWith('.ts'))) {
      const out = ts.transpileModule(fs.readFileSync(path.join(src, name), 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      });
      fs.writeFileSync(path.join(js, name.replace(/\.ts$/, '.js')), out.outputText);
    }
  });
  const runLimited = (script: string, kb: number) => {
    fs.writeFileSync(path.join(js, 'child.js'), script);
    return spawnSync('bash', ['-c', `ulimit -f ${kb}; exec node child.js`], {
      cwd: js,
      encoding: 'utf8',
      env: { ...process.env, NODE_PATH: path.join(__dirname, '..', '..', 'node_modules') },
    });
  };

  it('saveNpz killed mid-file: the old .npz still loads with its old values', () => {
    const file = path.join(dir, 'weights.npz');
    saveNpz(file, { w: { data: Float32Array.from([1, 2, 3]), shape: [3] } });
    const r = runLimited(
      `const { saveNpz } = require('./npz');
       saveNpz(${JSON.stringify(file)}, { w: { data: new Float32Array(4 << 20).fill(7), shape: [4 << 20] } });
       console.log('finished');`,
      1024,
    );
    expect(r.stdout).not.toMatch(/finished/);
    expect(r.signal === 'SIGXFSZ' || /EFBIG/.test(r.stderr)).toBe(true);
    expect(Array.from(loadNpz(file).w.data as Float32Array)).toEqual([1, 2, 3]);
    // Only a stray temp file may remain beside it, never in its place.
    for (const n of leftovers(dir)) expect(n).toMatch(/^\.weights\.npz\.tmp-\d+-[0-9a-f]{8}$/);
    leftovers(dir).forEach((n) => fs.rmSync(path.join(dir, n), { force: true }));
  });

  it('a tfjs folder save killed while writing weights.bin: the old folder still loads', async () => {
    const target = path.join(dir, 'mlp');
    const m = denseModel(1);
    await saveModel(m, target);
    const x = inputsFor(m, 3);
    const before = predict(m, x);
    const r = runLimited(
      `const tf = require('@tensorflow/tfjs');
       const { saveModel } = require('./tfjs-dir');
       (async () => {
         await tf.setBackend('cpu');
         const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [1000], units: 2000 })] });
         await saveModel(m, ${JSON.stringify(target)});
         console.log('finished');
       })();`,
      2048,
    );
    expect(r.stdout).not.toMatch(/finished/);
    expect(r.signal === 'SIGXFSZ' || /EFBIG/.test(r.stderr)).toBe(true);
    const back = await loadModel(target);
    expect(sameBits(predict(back, x), before)).toBe(true);
    [m, back, x].forEach((t) => t.dispose());
  });
});
