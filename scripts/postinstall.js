#!/usr/bin/env node
// Runs after `npm install` in this project: builds dist/ with tsc, links node_modules/digitlab to
// the project root (tslab's type-checker resolves the package by name, not by a self-reference),
// and writes a project-local Jupyter kernelspec under .jupyter/ (found through JUPYTER_PATH, so
// nothing global is touched and no Python is needed to register it).
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const root = path.resolve(__dirname, '..');
// When digitlab itself is installed as someone's dependency, only the build is ours to do.
const isProjectRoot = !root.split(path.sep).includes('node_modules');

function build() {
  // Not node_modules/.bin/tsc: tslab's bundled TypeScript 5.0 may own that name.
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  if (!fs.existsSync(tsc)) {
    console.log('digitlab: typescript not installed (production install?); using the shipped dist/');
    return;
  }
  const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.json')], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('digitlab: tsc failed; see the errors above');
    process.exit(r.status || 1);
  }
}

function linkSelf() {
  const link = path.join(root, 'node_modules', 'digitlab');
  try {
    const st = fs.lstatSync(link);
    if (st.isSymbolicLink() && fs.realpathSync(link) === fs.realpathSync(root)) return;
    fs.rmSync(link, { recursive: true, force: true });
  } catch { /* not there yet */ }
  fs.mkdirSync(path.dirname(link), { recursive: true });
  fs.symlinkSync(path.relative(path.dirname(link), root) || '..', link, 'dir');
}

function writeKernelspec() {
  const dir = path.join(root, '.jupyter', 'kernels', 'tslab');
  fs.mkdirSync(dir, { recursive: true });
  const tslab = path.join(root, 'node_modules', 'tslab', 'bin', 'tslab');
  const spec = {
    // Absolute paths: Jupyter starts kernels with the notebook's folder as cwd and its own PATH.
    argv: [process.execPath, tslab, 'kernel', '--config-path', '{connection_file}'],
    display_name: 'TypeScript (digitlab)',
    language: 'typescript',
    env: { DIGITLAB_ROOT: root },
  };
  const tmp = path.join(dir, 'kernel.json.tmp');
  fs.writeFileSync(tmp, JSON.stringify(spec, null, 2) + '\n');
  fs.renameSync(tmp, path.join(dir, 'kernel.json'));
}

build();
if (isProjectRoot) {
  linkSelf();
  writeKernelspec();
  console.log('digitlab: built dist/, linked node_modules/digitlab, kernelspec in .jupyter/kernels/tslab');
}
