import { describe, it, expect } from 'vitest';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chooseFrontEnd, jupyterEnv } from '../../src/cli/start';

function fakeBin(names: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digitlab-bin-'));
  for (const n of names) fs.writeFileSync(path.join(dir, n), '#!/bin/sh\n', { mode: 0o755 });
  return dir;
}

describe('npm start', () => {
  it('prefers JupyterLab, then the classic Notebook, else nothing', () => {
    expect(chooseFrontEnd(fakeBin(['jupyter-lab', 'jupyter-notebook'])).which).toBe('jupyterlab');
    const nb = chooseFrontEnd(fakeBin(['jupyter-notebook']), ['--no-browser']);
    expect(nb.which).toBe('notebook');
    expect(nb.args[0]).toMatch(/--notebook-dir=.*notebooks$/);
    expect(nb.args).toContain('--no-browser');
    expect(chooseFrontEnd(fakeBin([])).command).toBeNull();
  });
  it('puts the project kernelspec first on JUPYTER_PATH, keeping the user’s', () => {
    const env = jupyterEnv({ JUPYTER_PATH: '/x' });
    expect(env.JUPYTER_PATH).toMatch(/\.jupyter:\/x$/);
  });
  it('prints the install command and exits non-zero when no Jupyter is installed', () => {
    const script = path.resolve(__dirname, '..', '..', 'dist', 'cli', 'start.js');
    const r = spawnSync(process.execPath, [script], { env: { PATH: fakeBin([]) }, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/apt-get install jupyter-notebook/);
  });
});
