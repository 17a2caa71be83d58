// What `npm install` must leave behind for notebooks: dist/, the self-link and the kernelspec.
import { describe, it, expect } from 'vitest';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '..');

describe('npm install’s postinstall', () => {
  it('links node_modules/digitlab to the project root', () => {
    const link = path.join(root, 'node_modules', 'digitlab');
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.realpathSync(link)).toBe(fs.realpathSync(root));
  });
  it('writes a project-local tslab kernelspec with absolute paths', () => {
    const spec = JSON.parse(fs.readFileSync(path.join(root, '.jupyter', 'kernels', 'tslab', 'kernel.json'), 'utf8'));
    expect(spec.language).toBe('typescript');
    expect(spec.argv).toContain('{connection_file}');
    expect(path.isAbsolute(spec.argv[0])).toBe(true);
    expect(fs.existsSync(spec.argv[1])).toBe(true);
  });
  it('builds dist/ so that require("digitlab") loads the library and MNIST', () => {
    const out = execFileSync(process.execPath, ['-e', `
      const lab = require('digitlab');
      const { train, test } = lab.data.mnist();
      console.log(JSON.stringify({ train: train.shape, test: test.shape, counts: train.classCounts(), ns: Object.keys(lab).sort() }));
    `], { cwd: root, encoding: 'utf8' });
    const r = JSON.parse(out.trim().split('\n').pop()!);
    expect(r.train).toEqual([60000, 28, 28]);
    expect(r.test).toEqual([10000, 28, 28]);
    expect(r.counts).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
    for (const ns of ['data', 'engine', 'handwriting', 'io', 'nd', 'nn', 'notebook', 'plot', 'sk']) expect(r.ns).toContain(ns);
  });
});
