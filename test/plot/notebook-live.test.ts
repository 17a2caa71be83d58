/**
 * The live path in a real frontend: Debian's classic Notebook server with the project's tslab
 * kernel, driven by headless Chromium. "Run all" twice in one kernel session must leave exactly one
 * plotly.js copy in the saved notebook (lab.plot.init() in the import cell), and after a reload
 * (the notebook reopened, trusted because the server signed it on save) the plots render again
 * from the saved outputs alone. The drawing pad runs in the same page: strokes drawn with the
 * mouse give a prediction computed in the page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import * as path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { drawStrokes } from '../handwriting/draw';
import { freePort, isolatedJupyterEnv, waitForServer } from '../notebook/jupyter-server';

const ROOT = path.resolve(__dirname, '..', '..');
const OUT = path.join(ROOT, 'out');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { toNotebook } = require(path.join(ROOT, 'scripts', 'nb.js')) as { toNotebook(src: string): { cells: { id?: string }[] } };

const SOURCE = `// %%
import * as lab from 'digitlab';
lab.plot.init();

// %%
lab.plot.lines({ series: [{ name: 'a', y: [1, 3, 2, 4] }, { name: 'b', y: [2, 1, 3, 1] }], title: 'two lines' });

// %%
const curve = lab.plot.liveCurve({ totalSteps: 20, throttleMs: 100 });
for (let s = 0; s < 20; s++) {
  await curve.update({ step: s, loss: 1 / (s + 1), acc: s / 20 });
  await new Promise((r) => setTimeout(r, 15));
}
curve.done();

// %%
lab.plot.imageGrid(lab.data.digits8x8().take(10), { cols: 10 });

// %%
import * as tf from '@tensorflow/tfjs';
lab.seed(1);
const padModel = tf.sequential({ layers: [tf.layers.dense({ inputShape: [784], units: 10, activation: 'softmax' })] });
lab.handwriting.pad(padModel);
`;

let dir = '';
let server: ChildProcess | null = null;
let browser: Browser | null = null;
let base = '';

beforeAll(async () => {
  spawnSync('flock', ['/tmp/tsc.lock', process.execPath, require.resolve('typescript/bin/tsc'), '-p', ROOT], { stdio: 'ignore' });
  expect(statSync(path.join(ROOT, 'dist', 'plot', 'index.js')).mtimeMs).toBeGreaterThanOrEqual(statSync(path.join(ROOT, 'src', 'plot', 'index.ts')).mtimeMs);
  mkdirSync(OUT, { recursive: true });
  dir = mkdtempSync(path.join(OUT, 'tmp-plot-live-'));
  const nb = toNotebook(SOURCE);
  nb.cells.forEach((c, i) => (c.id = `cell-${i}`));
  writeFileSync(path.join(dir, 'live.ipynb'), JSON.stringify(nb, null, 1));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(
    'jupyter-notebook',
    ['--no-browser', '--allow-root', `--port=${port}`, '--ip=127.0.0.1', '--NotebookApp.token=', '--NotebookApp.password=', `--notebook-dir=${dir}`],
    {
      cwd: dir,
      env: isolatedJupyterEnv(ROOT, dir),
      stdio: 'ignore',
    },
  );
  await waitForServer(`${base}/api`, 60_000);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    // Shut kernels down through the API, then the server (the one we started, by its pid).
    try {
      const sessions = (await (await fetch(`${base}/api/sessions`)).json()) as { kernel: { id: string } }[];
      for (const s of sessions) await fetch(`${base}/api/kernels/${s.kernel.id}`, { method: 'DELETE' });
    } catch {
      // the server is already gone
    }
    server.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1000));
    if (server.exitCode === null) server.kill('SIGKILL');
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function runAll(page: Page): Promise<void> {
  await page.evaluate(() => {
    const J = (window as unknown as { Jupyter: { notebook: { execute_all_cells(): void } } }).Jupyter;
    J.notebook.execute_all_cells();
  });
  // Done when no cell waits (prompt "In [*]") and the image and both plots are there.
  await page.waitForFunction(
    () =>
      !Array.from(document.querySelectorAll('.input_prompt')).some((p) => p.textContent?.includes('*')) &&
      document.querySelectorAll('.digitlab-plot .main-svg').length >= 2 &&
      document.querySelector('.output_png img') !== null,
    null,
    { timeout: 150_000, polling: 250 },
  );
}

function loaders(): number {
  const nb = JSON.parse(readFileSync(path.join(dir, 'live.ipynb'), 'utf8')) as {
    cells: { outputs?: { data?: Record<string, string | string[]> }[] }[];
  };
  return nb.cells
    .flatMap((c) => c.outputs ?? [])
    .filter((o) => {
      const h = o.data?.['text/html'];
      return (Array.isArray(h) ? h.join('') : (h ?? '')).includes('class="digitlab-plotly-loader"');
    }).length;
}

describe('classic Notebook, live', () => {
  it('renders live, keeps one plotly.js after two "Run all", and renders again after reopening', async () => {
    const page = await browser!.newPage({ viewport: { width: 1100, height: 1900 } });
    await page.goto(`${base}/notebooks/live.ipynb`);
    await page.waitForFunction(
      () => {
        const J = (window as unknown as { Jupyter?: { notebook?: { kernel?: { is_connected(): boolean } } } }).Jupyter;
        return J?.notebook?.kernel?.is_connected() === true;
      },
      null,
      { timeout: 120_000 },
    );
    await runAll(page);
    await runAll(page);
    const plots = await page.evaluate(() =>
      Array.from(document.querySelectorAll('.digitlab-plot')).map((el) => (el as HTMLElement & { data?: unknown[] }).data?.length ?? 0),
    );
    expect(plots).toEqual([2, 2]); // two lines; loss and accuracy of the live curve

    // The drawing pad in the classic Notebook's output area: draw a stroke, read the page's answer.
    const canvas = page.locator('.dl-canvas').first();
    await canvas.scrollIntoViewIfNeeded();
    await drawStrokes(page, canvas, [[[0.5, 0.15], [0.47, 0.85]]]);
    const pad = await page.evaluate(() => (document.querySelector('.dl-pad') as HTMLElement & { dlState: { digit: number; probabilities: number[] } }).dlState);
    expect(pad.probabilities.reduce((a, v) => a + v, 0)).toBeCloseTo(1, 5);
    expect(pad.digit).toBe(pad.probabilities.indexOf(Math.max(...pad.probabilities)));
    expect(await page.locator('.dl-digit').first().textContent()).toBe(String(pad.digit));
    await page.evaluate(() => (window as unknown as { Jupyter: { notebook: { save_notebook(): Promise<void> } } }).Jupyter.notebook.save_notebook());
    await page.waitForFunction(() => !document.title.startsWith('*'), null, { timeout: 30_000 }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 1500));
    expect(loaders()).toBe(1);

    // Reopen: the browser forgets window.Plotly; only the saved loader output can bring it back.
    await page.reload();
    await page.waitForFunction(() => document.querySelectorAll('.digitlab-plot .main-svg').length >= 2, null, { timeout: 60_000 });
    await page.screenshot({ path: path.join(OUT, 'plot-notebook-live.png'), fullPage: true });
    await page.close();
  });

  it('shows a hint instead of a blank plot when the notebook is not trusted', async () => {
    // A changed copy is not in the trust database: the frontend strips the outputs' scripts.
    const nb = JSON.parse(readFileSync(path.join(dir, 'live.ipynb'), 'utf8')) as { metadata: Record<string, unknown> };
    nb.metadata.digitlab_untrusted_copy = true;
    writeFileSync(path.join(dir, 'untrusted.ipynb'), JSON.stringify(nb));
    const page = await browser!.newPage();
    await page.goto(`${base}/notebooks/untrusted.ipynb`);
    await page.waitForFunction(() => document.querySelectorAll('.digitlab-plot').length >= 2, null, { timeout: 60_000 });
    await new Promise((r) => setTimeout(r, 2000));
    const state = await page.evaluate(() => ({
      svgs: document.querySelectorAll('.digitlab-plot .main-svg').length,
      hints: Array.from(document.querySelectorAll('.digitlab-plot')).map((e) => e.textContent ?? ''),
      plotly: typeof (window as unknown as { Plotly?: unknown }).Plotly,
    }));
    expect(state.plotly).toBe('undefined');
    expect(state.svgs).toBe(0);
    for (const h of state.hints) expect(h).toContain('trust the notebook');
    await page.close();
  });
});
