/** A Jupyter server for the browser tests: its environment, a free port, waiting until it answers. */
import { mkdirSync } from 'fs';
import { createServer } from 'net';
import * as path from 'path';

/**
 * The environment for a test's Jupyter server: the project's kernelspec on JUPYTER_PATH, and its
 * own config, data (trust database, workspaces) and runtime folders under `dir`, so nothing of the
 * user's Jupyter is touched.
 */
export function isolatedJupyterEnv(root: string, dir: string): NodeJS.ProcessEnv {
  for (const d of ['config', 'data', 'runtime']) mkdirSync(path.join(dir, `.${d}`), { recursive: true });
  return {
    ...process.env,
    JUPYTER_PATH: path.join(root, '.jupyter'),
    JUPYTER_CONFIG_DIR: path.join(dir, '.config'),
    JUPYTER_DATA_DIR: path.join(dir, '.data'),
    JUPYTER_RUNTIME_DIR: path.join(dir, '.runtime'),
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

export async function waitForServer(url: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`Jupyter did not answer at ${url} within ${ms / 1000} s`);
}
