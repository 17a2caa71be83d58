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
  const script = path.resolve(__dirname, '..', '..', 'dist', 'cli', 'start.js');
  // A timeout, so that a start.js that does launch a real server fails the test instead of hanging it.
  const start = (env: NodeJS.ProcessEnv) => spawnSync(process.execPath, [script, '--no-browser'], { env, encoding: 'utf8', timeout: 30_000 });
  it('prints the install command and exits non-zero when no Jupyter is installed', () => {
    const r = start({ PATH: fakeBin([]), DIGITLAB_JUPYTER_BIN: fakeBin([]) });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/apt-get install jupyter-notebook/);
  });
  it('launches the project-local JupyterLab before any on PATH, with the kernelspec on JUPYTER_PATH', () => {
    const local = fakeBin([]);
    // A stand-in jupyter-lab that reports how it was called.
    fs.writeFileSync(path.join(local, 'jupyter-lab'), '#!/bin/sh\necho "local lab: $* JUPYTER_PATH=$JUPYTER_PATH"\n', { mode: 0o755 });
    const r = start({ PATH: fakeBin(['jupyter-lab', 'jupyter-notebook']), DIGITLAB_JUPYTER_BIN: local });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/starting JupyterLab/);
    expect(r.stdout).toMatch(/local lab: --notebook-dir=.*notebooks --no-browser/);
    expect(r.stdout).toMatch(/JUPYTER_PATH=.*\.jupyter/);
  });
});
