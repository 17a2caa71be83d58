/**
 * The notebook front end our users are promised: a real JupyterLab serving a notebook on the
 * project's tslab kernelspec. Headless Chromium runs its cells from the keyboard, then checks that
 * a plotly figure renders and that the drawing pad reads a drawn "1" and "7" with the trained
 * handwriting test model — all inside JupyterLab's output area, with no server round trip.
 *
 * JupyterLab is not a Debian package; `.ci/run` installs it into .venv-jupyter from the machine's
 * local wheel mirror (/opt/pypi). Elsewhere set DIGITLAB_JUPYTER_LAB to a jupyter-lab binary, or
 * this file says why it is skipped.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { testModel, testModelDir, TRAIN_TIMEOUT } from '../handwriting/test-model';
import { drawStrokes } from '../handwriting/draw';
import { freePort, isolatedJupyterEnv, waitForServer } from './jupyter-server';

const ROOT = path.join(__dirname, '..', '..');
const JUPYTER_LAB = process.env.DIGITLAB_JUPYTER_LAB ?? path.join(ROOT, '.venv-jupyter', 'bin', 'jupyter-lab');
const have = fs.existsSync(JUPYTER_LAB);
if (!have) console.warn(`SKIPPING the JupyterLab check: ${JUPYTER_LAB} not found (see .ci/run)`);

function notebook(modelDir: string): string {
  const cell = (source: string) => ({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source });
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript (digitlab)', language: 'typescript' } },
    cells: [
      cell("import * as lab from 'digitlab';\nlab.plot.init();\nconst engine = await lab.engine.init();"),
      cell(`const model = await lab.handwriting.loadModel(${JSON.stringify(modelDir)});\nlab.handwriting.pad(model);`),
      cell("lab.plot.lines({ title: 'a plotly figure', series: [{ name: 'y', y: [1, 3, 2, 4] }] });"),
    ],
  });
}

describe.skipIf(!have)('JupyterLab runs a digitlab notebook: plot and drawing pad', () => {
  let server: ChildProcess;
  let browser: Browser;
  let page: Page;
  let url = '';
  const dir = path.join(ROOT, 'out', 'jupyterlab-test');

  beforeAll(async () => {
    await testModel();
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'pad.ipynb'), notebook(testModelDir()));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    server = spawn(JUPYTER_LAB, ['--no-browser', `--port=${port}`, '--ip=127.0.0.1', '--ServerApp.token=', '--ServerApp.password=', '--allow-root', `--ServerApp.root_dir=${ROOT}`], {
      env: isolatedJupyterEnv(ROOT, dir),
      stdio: 'ignore',
    });
    await waitForServer(`${url}/api`, 60_000);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
  }, TRAIN_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    if (server && server.exitCode === null) {
      const done = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await Promise.race([done, new Promise((r) => setTimeout(r, 10_000))]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs the cells in the tslab kernel; the pad reads a drawn 1 and 7; plotly renders', async () => {
    await page.goto(`${url}/lab/tree/out/jupyterlab-test/pad.ipynb`);
    await page.waitForSelector('.jp-Notebook .jp-Cell', { timeout: 60_000 });
    // The kernel name in the toolbar comes from our kernelspec.
    await page.waitForFunction(() => document.body.innerText.includes('TypeScript (digitlab)'), undefined, { timeout: 60_000 });
    // Run the cells once the kernel has started (the toolbar's execution indicator says idle).
    await page.waitForSelector('.jp-Notebook-ExecutionIndicator[data-status="idle"]', { timeout: 120_000 });
    await page.click('.jp-Notebook .jp-Cell >> nth=0');
    await page.keyboard.press('Escape');
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('Shift+Enter');
      await page.waitForTimeout(300);
    }
    await page.waitForSelector('.dl-pad .dl-canvas', { timeout: 120_000 }).catch(async (e: Error) => {
      await page.screenshot({ path: path.join(ROOT, 'out', 'jupyterlab-test-failure.png') });
      throw new Error(`${e.message} (screenshot: out/jupyterlab-test-failure.png)`);
    });
    await page.waitForSelector('.js-plotly-plot .main-svg', { timeout: 120_000 });
    const canvas = page.locator('.dl-canvas').first();
    await canvas.scrollIntoViewIfNeeded();
    const digit = page.locator('.dl-digit').first();
    expect(await digit.textContent()).toBe('–');
    await drawStrokes(page, canvas, [[[0.5, 0.15], [0.47, 0.85]]]);
    await expect.poll(() => digit.textContent()).toBe('1');
    await page.locator('.dl-clear').first().click();
    await drawStrokes(page, canvas, [[[0.25, 0.2], [0.75, 0.2], [0.45, 0.85]]]);
    await expect.poll(() => digit.textContent()).toBe('7');
    // The first cell's output names the engine, printed by the kernel into JupyterLab's output area.
    expect(await page.locator('.jp-OutputArea-output', { hasText: 'digitlab engine: ' }).count()).toBeGreaterThanOrEqual(1);
  }, 300_000);
});
