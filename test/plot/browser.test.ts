/**
 * End to end: a notebook with plotly figures, a live-updated training curve and an image grid is
 * executed by Jupyter (nbconvert --execute with the project's tslab kernelspec), exported to HTML
 * and opened in headless Chromium. The plots must render from the embedded plotly.js alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import * as path from 'path';
import { chromium, type Browser } from 'playwright-core';

const ROOT = path.resolve(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { toNotebook } = require(path.join(ROOT, 'scripts', 'nb.js')) as { toNotebook(src: string): { cells: { id?: string }[] } };

const SOURCE = `// %%
import * as lab from 'digitlab';
import * as tf from '@tensorflow/tfjs';
lab.seed(1);

// %% [markdown]
// A line plot (plotly.js is embedded with the first figure).

// %%
const xs = Array.from({ length: 50 }, (_, i) => i * 20);
lab.plot.lines({ series: [{ name: 'sqrt', x: xs, y: xs.map(Math.sqrt) }, { name: 'x/30', x: xs, y: xs.map((v) => v / 30) }], title: 'sqrt', xLabel: 'x' });

// %%
const curve = lab.plot.liveCurve({ totalSteps: 30, batchSize: 32, throttleMs: 200 });
for (let s = 0; s < 30; s++) {
  await curve.update({ step: s, loss: 2 / (s + 1), acc: 1 - 1 / (s + 2), valLoss: s % 10 === 9 ? 2.2 / (s + 1) : undefined, valAcc: s % 10 === 9 ? 0.9 - 1 / (s + 2) : undefined });
  await new Promise((r) => setTimeout(r, 20));
}
curve.done();

// %%
const set = lab.data.digits8x8().take(20);
lab.plot.imageGrid(set, { predictions: Array.from(set.labels, (l, i) => (i % 7 === 3 ? (l + 1) % 10 : l)), cols: 10 });

// %%
const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [64], units: 16, activation: 'relu' }), tf.layers.dense({ units: 10, activation: 'softmax' })] });
model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['acc'] });
const all = lab.data.digits8x8();
const x = all.x({ flatten: true });
const y = all.y({ oneHot: true });
const hist = await model.fit(x, y, { epochs: 3, batchSize: 64, validationSplit: 0.2, callbacks: [lab.plot.fitCallback({ throttleMs: 300 })] });

// %%
lab.plot.history(hist);
lab.plot.summary(model);

// %%
const pred = (model.predict(x) as tf.Tensor).argMax(-1);
lab.plot.confusionMatrix(all.labels, pred);
lab.plot.probabilities(model.predict(x.slice(0, 1)) as tf.Tensor, { label: all.labels[0] });
`;

const JUPYTER_ENV = { ...process.env, JUPYTER_PATH: path.join(ROOT, '.jupyter'), DIGITLAB_QUICK: '1' };
const OUT = path.join(ROOT, 'out');
let dir = '';
let executed = '';
let browser: Browser | null = null;

interface Output {
  output_type: string;
  data?: Record<string, string | string[]>;
}
interface Cell {
  cell_type: string;
  outputs?: Output[];
}

function html(o: Output): string {
  const v = o.data?.['text/html'];
  return Array.isArray(v) ? v.join('') : (v ?? '');
}

beforeAll(() => {
  // Inside the project: the kernel resolves 'digitlab' from the notebook's folder upwards.
  mkdirSync(OUT, { recursive: true });
  dir = mkdtempSync(path.join(OUT, 'tmp-plot-browser-'));
  // The kernel imports 'digitlab' from dist/: build it so the notebook runs the current src.
  // tsc emits even when other folders have type errors, so its exit status is not ours to judge;
  // what must hold is that dist/plot is at least as new as src/plot.
  spawnSync('flock', ['/tmp/tsc.lock', process.execPath, require.resolve('typescript/bin/tsc'), '-p', ROOT], { stdio: 'ignore' });
  expect(statSync(path.join(ROOT, 'dist', 'plot', 'index.js')).mtimeMs).toBeGreaterThanOrEqual(statSync(path.join(ROOT, 'src', 'plot', 'index.ts')).mtimeMs);
  const nb = toNotebook(SOURCE);
  nb.cells.forEach((c, i) => (c.id = `cell-${i}`));
  writeFileSync(path.join(dir, 'plots.ipynb'), JSON.stringify(nb, null, 1));
  execFileSync(
    'jupyter-nbconvert',
    ['--to', 'notebook', '--execute', '--ExecutePreprocessor.timeout=300', '--ExecutePreprocessor.kernel_name=tslab', '--output', 'executed.ipynb', 'plots.ipynb'],
    { cwd: dir, env: JUPYTER_ENV, stdio: 'pipe' },
  );
  executed = path.join(dir, 'executed.ipynb');
  for (const template of ['lab', 'classic']) {
    execFileSync('jupyter-nbconvert', ['--to', 'html', '--template', template, '--output', `executed-${template}.html`, 'executed.ipynb'], {
      cwd: dir,
      env: JUPYTER_ENV,
      stdio: 'pipe',
    });
  }
}, 600_000);

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('plots in an executed notebook', () => {
  it('embeds plotly.js once, keeps the live curve as one output, and stays small', () => {
    const nb = JSON.parse(readFileSync(executed, 'utf8')) as { cells: Cell[] };
    const outputs = nb.cells.flatMap((c) => c.outputs ?? []);
    const errors = outputs.filter((o) => o.output_type === 'error');
    expect(errors).toEqual([]);
    const loaders = outputs.filter((o) => html(o).includes('class="digitlab-plotly-loader"'));
    expect(loaders).toHaveLength(1);
    const plots = outputs.filter((o) => html(o).includes('class="digitlab-plot"'));
    // lines, live curve, fit curve, history, confusion matrix, probabilities.
    expect(plots.length).toBe(6);
    const live = nb.cells[3].outputs ?? [];
    expect(live.filter((o) => o.output_type === 'display_data')).toHaveLength(1);
    expect(html(live[0])).toContain('step 30/30');
    const fit = nb.cells[5].outputs?.filter((o) => html(o).includes('digitlab-plot')) ?? [];
    expect(fit).toHaveLength(1);
    expect(html(fit[0])).toContain('epoch 3/3');
    expect(outputs.filter((o) => o.data?.['image/png'])).toHaveLength(1);
    const size = statSync(executed).size;
    expect(size).toBeLessThan(5 * 1024 * 1024);
    console.log(`executed notebook with ${plots.length} plotly figures + 1 PNG: ${(size / 1e6).toFixed(2)} MB`);
  });

  for (const template of ['lab', 'classic']) {
    it(`renders offline in nbconvert's ${template} HTML export`, async () => {
      browser ??= await chromium.launch({
        executablePath: '/usr/bin/chromium',
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
      });
      const file = path.join(dir, `executed-${template}.html`);
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      // Nothing may leave the machine: a request that would is aborted (and recorded above).
      await page.route('**/*', (route) => {
        const u = route.request().url();
        return /^(file|data|blob):/.test(u) ? route.continue() : route.abort();
      });
      const pageErrors: string[] = [];
      page.on('pageerror', (e) => pageErrors.push(e.message));
      await page.goto(`file://${file}`);
      await page.waitForFunction(() => document.querySelectorAll('.digitlab-plot .main-svg').length >= 6, null, { timeout: 60_000 });
      const traces = await page.evaluate(() =>
        Array.from(document.querySelectorAll('.digitlab-plot')).map((el) => ({
          data: (el as HTMLElement & { data?: unknown[] }).data?.length ?? 0,
          svgTraces: el.querySelectorAll('g.trace, g.hm, image').length,
        })),
      );
      expect(traces).toHaveLength(6);
      for (const t of traces) {
        expect(t.data).toBeGreaterThan(0);
        expect(t.svgTraces).toBeGreaterThanOrEqual(1);
      }
      expect(traces[0].data).toBe(2); // the two lines of the first figure
      const img = await page.evaluate(() => {
        const i = document.querySelector('img[src^="data:image/png"]') as HTMLImageElement | null;
        return i ? { w: i.naturalWidth, complete: i.complete } : null;
      });
      expect(img?.complete).toBe(true);
      expect(img!.w).toBeGreaterThan(0);
      // Requests other than the page itself: only the template's own head scripts, which Debian's
      // nbconvert points at local files (require.js, MathJax, jQuery) — never a network URL.
      const outside = requests.filter((u) => u !== `file://${file}` && !u.startsWith('data:') && !u.startsWith('blob:'));
      for (const u of outside) expect(u).toMatch(/^file:\/\/\/usr\/share\/javascript\//);
      expect(pageErrors.filter((e) => /plotly|digitlab/i.test(e))).toEqual([]);
      if (template === 'lab') {
        mkdirSync(OUT, { recursive: true });
        await page.screenshot({ path: path.join(OUT, 'plot-browser.png'), fullPage: true });
      }
      await page.close();
    });
  }
});
