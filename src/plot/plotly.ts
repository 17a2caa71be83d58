/**
 * Plotly figures inline, offline. plotly.js (4.8 MB, from plotly.js-dist-min) is embedded into the
 * notebook *once*, gzip-compressed and base64 encoded (about 2 MB), in a text/html output whose
 * script inflates it with the browser's DecompressionStream and defines `window.Plotly`. Every
 * figure is a small text/html output whose script waits (polls) for `window.Plotly`, so it works
 * in JupyterLab, the classic Notebook and nbconvert's HTML export, in any rendering order, and
 * after the notebook is saved and reopened (the library lives in a saved output, not in the
 * kernel). Untrusted notebooks strip scripts: the figure's placeholder text then says so.
 *
 * Embedding happens once per kernel session: with the first figure, or explicitly with
 * `lab.plot.init()` in the notebook's import cell — that cell is re-run by every "Run all", so the
 * notebook keeps exactly one copy even when the same kernel runs it again.
 */
import { readFileSync } from 'fs';
import { gzipSync } from 'zlib';
import { randomBytes } from 'crypto';
import { displayData, inKernel, newDisplayHandle, type DisplayHandle, type MimeBundle } from '../notebook/display';
import type { Figure } from './figure';

/** Version of the embedded plotly.js (for the text/plain fallback). */
export function plotlyVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('plotly.js-dist-min/package.json') as { version: string }).version;
}

let packed: string | null = null;

/** plotly.min.js, gzip-9 + base64 (computed once per process). */
function packedPlotly(): string {
  if (packed === null) {
    const src = readFileSync(require.resolve('plotly.js-dist-min'));
    packed = gzipSync(src, { level: 9 }).toString('base64');
  }
  return packed;
}

/**
 * The loader output. The inflated source runs inside a function whose `define`, `module` and
 * `exports` parameters are undefined, so plotly's UMD header never registers with require.js
 * (classic Notebook, nbconvert's templates) and sets `window.Plotly` instead.
 */
export function loaderBundle(): MimeBundle {
  const version = plotlyVersion();
  // The payload is a string literal in the script itself (base64 has no quote, backslash or
  // "<"), so the loader needs no DOM lookup: JupyterLab may run it before the output is attached.
  const script = `(function () {
  if (window.Plotly || window.__digitlabPlotlyLoading) return;
  window.__digitlabPlotlyLoading = true;
  if (typeof DecompressionStream === 'undefined') { window.__digitlabPlotlyError = 'this browser has no DecompressionStream'; return; }
  var bin = atob("${packedPlotly()}"), bytes = new Uint8Array(bin.length);
  for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text().then(function (code) {
    var s = document.createElement('script');
    s.text = '(function (define, module, exports) {\\n' + code + '\\n}).call(window);';
    document.head.appendChild(s);
  }).catch(function (e) { window.__digitlabPlotlyError = String(e); });
})();`;
  const html =
    `<script type="text/javascript" class="digitlab-plotly-loader">${script}</script>\n` +
    `<div class="digitlab-plotly-loader" style="font-size:11px;color:#888">plotly.js ${version} embedded (offline)</div>`;
  return { 'text/html': html, 'text/plain': `plotly.js ${version} embedded (offline)` };
}

/** Whether this kernel session has embedded plotly.js. */
let embedded = false;

/**
 * Embed plotly.js now. Put `lab.plot.init()` in the notebook's import cell: re-running that cell
 * replaces its old output, so the notebook keeps one copy. Does nothing outside a kernel.
 */
export function init(): void {
  // Returns nothing, so tslab prints nothing after it in the import cell.
  if (!inKernel()) return;
  displayData(loaderBundle());
  embedded = true;
}

/** Embed plotly.js unless this kernel session already did. */
function ensureEmbedded(): void {
  if (!embedded) init();
}

/** For tests: forget that plotly.js was embedded. */
export function resetEmbedding(): void {
  embedded = false;
}

/** JSON safe inside an inline <script> ("</script>" and "<!--" cannot appear). */
function scriptJson(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export interface FigureHtmlOptions {
  /** Extra HTML after the plot (a table, a progress line above is `before`). */
  before?: string;
  after?: string;
}

/** The text/html of one figure: a div, a fallback text and a script that waits for plotly.js. */
export function figureHtml(fig: Figure, options: FigureHtmlOptions = {}): string {
  const id = `digitlab-plot-${randomBytes(6).toString('hex')}`;
  const height = typeof fig.layout.height === 'number' ? fig.layout.height : 420;
  const config = { responsive: true, displaylogo: false, ...(fig.config ?? {}) };
  const script = `(function () {
  var id = ${scriptJson(id)}, fig = ${scriptJson({ data: fig.data, layout: fig.layout })}, config = ${scriptJson(config)};
  var t0 = Date.now();
  function tick() {
    var el = document.getElementById(id);
    if (el && window.Plotly) { el.innerHTML = ''; window.Plotly.newPlot(el, fig.data, fig.layout, config); return; }
    if (Date.now() - t0 > 60000 || window.__digitlabPlotlyError) {
      if (el) el.firstChild.textContent = 'plotly.js is not loaded: ' + (window.__digitlabPlotlyError || 'run lab.plot.init() (or Restart & Run All) so the notebook embeds it again.');
      return;
    }
    setTimeout(tick, 50);
  }
  tick();
})();`;
  return (
    (options.before ?? '') +
    `<div id="${id}" class="digitlab-plot" style="width:100%;min-height:${height}px">` +
    `<div style="color:#888;font-size:12px">[interactive plot: needs JavaScript — if it stays blank, trust the notebook]</div></div>\n` +
    `<script type="text/javascript">${script}</script>` +
    (options.after ?? '')
  );
}

/** A one-line text/plain description of a figure (terminals, nbconvert to text). */
export function describeFigure(fig: Figure): string {
  const title = typeof fig.layout.title === 'object' && fig.layout.title !== null
    ? String((fig.layout.title as { text?: unknown }).text ?? '')
    : String(fig.layout.title ?? '');
  const names = fig.data.map((t) => `${String(t.type ?? 'scatter')}${t.name ? ` "${String(t.name)}"` : ''}`);
  return `<plotly figure${title ? ` "${title}"` : ''}: ${names.join(', ')}>`;
}

/** The bundle that displays `fig` (plus optional HTML around it). */
export function figureBundle(fig: Figure, options: FigureHtmlOptions & { plain?: string } = {}): MimeBundle {
  return { 'text/html': figureHtml(fig, options), 'text/plain': options.plain ?? describeFigure(fig) };
}

/**
 * Show `fig` inline. Inside a kernel it is displayed and `undefined` returned (so tslab prints
 * nothing more); outside a kernel the figure itself is returned.
 */
export function show(fig: Figure, options: FigureHtmlOptions & { plain?: string } = {}): Figure | undefined {
  if (!inKernel()) return fig;
  ensureEmbedded();
  displayData(figureBundle(fig, options));
  return undefined;
}

/** A figure display redrawn in place (update_display_data); a no-op outside a kernel. */
export interface LiveFigure {
  draw(fig: Figure, options?: FigureHtmlOptions & { plain?: string }): void;
}

export function liveFigure(): LiveFigure {
  let handle: DisplayHandle | null = null;
  return {
    draw(fig, options = {}) {
      if (!inKernel()) return;
      ensureEmbedded();
      handle ??= newDisplayHandle();
      handle.show(figureBundle(fig, options));
    },
  };
}
