/** `npm run predict` end to end: it runs the built CLI (dist/, built by `npm install`/`npm run build`). */
import { describe, it, expect, beforeAll } from 'vitest';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as lab from '../../src';
import { stripPicture } from './fixtures';
import { testModel, testModelDir, TRAIN_TIMEOUT } from './test-model';

const root = path.join(__dirname, '..', '..');
const cli = path.join(root, 'dist', 'cli', 'predict.js');
let dir: string;
const files: { file: string; digits: string }[] = [];

beforeAll(async () => {
  await testModel();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hw-cli-'));
  const r = lab.rng(2026);
  for (const [k, ids] of [[0, [1, 2, 3, 4]], [1, [10, 11]]] as const) {
    const { img, digits } = stripPicture([...ids], k ? 'gradient' : 'white', 40, r);
    const file = path.join(dir, `strip${k}.png`);
    fs.writeFileSync(file, lab.handwriting.greyToPng(img));
    files.push({ file, digits });
  }
  fs.writeFileSync(path.join(dir, 'blank.png'), lab.handwriting.greyToPng(lab.handwriting.greyImage(40, 20, new Float32Array(800).fill(255))));
}, TRAIN_TIMEOUT);

function run(args: string[]) {
  expect(fs.existsSync(cli), `${cli} missing: build with npm run build`).toBe(true);
  return spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: root });
}

describe('npm run predict', () => {
  it('--json prints one object per image with the digits and 10 probabilities per digit', () => {
    const p = run(['--model', testModelDir(), '--json', ...files.map((f) => f.file)]);
    expect(p.status, p.stderr).toBe(0);
    const lines = p.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.length).toBe(2);
    lines.forEach((o, i) => {
      expect(o.file).toBe(files[i].file);
      expect(o.digits).toMatch(/^\d+$/);
      expect(o.probabilities.length).toBe(o.digits.length);
      o.probabilities.forEach((row: number[]) => {
        expect(row.length).toBe(10);
        expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 3);
      });
    });
    // These two strips (clean, 40 px) are read right.
    expect(lines.map((o) => o.digits).join(',')).toBe(files.map((f) => f.digits).join(','));
  });

  it('plain output, --boxes pictures, and a clear error (exit 1) for a blank or unreadable image', () => {
    const boxes = path.join(dir, 'boxes');
    const p = run(['--model', testModelDir(), '--boxes', boxes, files[0].file, path.join(dir, 'blank.png'), path.join(dir, 'missing.png')]);
    expect(p.status).toBe(1);
    expect(p.stdout).toContain(`${files[0].file}: ${files[0].digits}`);
    expect(p.stderr).toMatch(/blank\.png: no ink found/);
    expect(p.stderr).toMatch(/missing\.png: cannot read the file \(no such file\)/);
    expect(lab.handwriting.readImage(path.join(boxes, 'strip0.boxes.png')).width).toBeGreaterThan(0);
  });

  it('a missing model folder is named in the error', () => {
    const p = run(['--model', path.join(dir, 'nope'), files[0].file]);
    expect(p.status).toBe(1);
    expect(p.stderr).toMatch(/nope.*no such file \(expected a tfjs model folder with model\.json\)/);
  });
});
