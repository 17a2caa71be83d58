#!/usr/bin/env node
/**
 * `npm run notebooks [-- --quick] [-- -p name=value …] [FILES…]`: executes notebooks (all of
 * notebooks/*.ipynb by default) one after another in fresh tslab kernels, into out/notebooks/,
 * with a progress line per cell and a table at the end; gathers every `lab.report` figure into
 * out/notebooks/results.json. A full run (no --quick, no -p) also writes RESULTS.md/RESULTS.json.
 * Exits 1 if any notebook failed, naming the notebook and the cell.
 */
import { readdirSync } from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { parseParameterArg, type Parameters } from '../notebook/inject';
import { PROJECT_ROOT } from '../notebook/kernel';
import { writeResultsJson, writeResultsReport } from '../notebook/results';
import { NotebookRunError, runNotebook, type NotebookRun } from '../notebook/run';

const USAGE = `usage: npm run notebooks -- [--quick] [-p name=value]… [--timeout SECONDS] [--out DIR] [--verbose] [FILES…]

  --quick            small budgets (DIGITLAB_QUICK=1 in the kernel), same code path
  -p, --param k=v    override a parameter of each notebook's "parameters" cell (v read as JSON if it parses)
  --timeout SECONDS  per-cell limit (default 600 with --quick, 7200 otherwise)
  --out DIR          where executed notebooks and results.json go (default out/notebooks)
  --results-root DIR where a full run writes RESULTS.md and RESULTS.json (default: the project root)
  -v, --verbose      echo each cell's stdout/stderr as it runs
  FILES              notebooks to run (default: notebooks/*.ipynb)`;

function fail(message: string): never {
  console.error(`notebooks: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function seconds(ms: number): string {
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

function figuresText(figures: Record<string, number>): string {
  return Object.entries(figures)
    .map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toPrecision(4)}`)
    .join(' ');
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: {
        quick: { type: 'boolean', default: false },
        param: { type: 'string', short: 'p', multiple: true, default: [] },
        timeout: { type: 'string' },
        out: { type: 'string' },
        'results-root': { type: 'string' },
        verbose: { type: 'boolean', short: 'v', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    fail((e as Error).message);
  }
  const { values, positionals } = args;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const parameters: Parameters = {};
  for (const p of values.param ?? []) {
    try {
      const [k, v] = parseParameterArg(p);
      parameters[k] = v;
    } catch (e) {
      fail((e as Error).message);
    }
  }
  let timeoutMs: number | undefined;
  if (values.timeout !== undefined) {
    const s = Number(values.timeout);
    if (!Number.isFinite(s) || s <= 0) fail(`--timeout: expected a positive number of seconds, got "${values.timeout}"`);
    timeoutMs = s * 1000;
  }
  // An exported DIGITLAB_QUICK=1 counts as --quick, so a quick run never writes RESULTS.md.
  const envQuick = /^(1|true|yes)$/i.test(process.env.DIGITLAB_QUICK ?? '');
  const quick = values.quick === true || envQuick;
  const outDir = path.resolve(values.out ?? path.join(PROJECT_ROOT, 'out', 'notebooks'));
  const nbDir = path.join(PROJECT_ROOT, 'notebooks');
  const files = positionals.length
    ? positionals
    : readdirSync(nbDir)
        .filter((f) => f.endsWith('.ipynb'))
        .sort()
        .map((f) => path.relative(process.cwd(), path.join(nbDir, f)));
  if (files.length === 0) {
    console.error(`notebooks: no notebooks in ${nbDir}`);
    return 1;
  }

  const started = Date.now();
  const mode = quick ? 'quick' : 'full';
  const params = Object.keys(parameters).length ? ` with ${JSON.stringify(parameters)}` : '';
  console.log(`Running ${files.length} notebook(s), ${mode} mode${params}, into ${path.relative(process.cwd(), outDir) || '.'}`);
  const runs: NotebookRun[] = [];
  for (const [i, file] of files.entries()) {
    console.log(`[${i + 1}/${files.length}] ${file}: starting the tslab kernel`);
    let run: NotebookRun;
    try {
      run = await runNotebook(file, {
        parameters,
        quick,
        timeoutMs,
        outDir,
        onCell: (e) => {
          if (e.phase !== 'done') return;
          const id = e.cellId ? ` (${e.cellId})` : '';
          console.log(`  ${e.notebook} code cell ${e.number}/${e.total}${id} ${e.status} ${seconds(e.ms ?? 0)}`);
        },
        onStream: values.verbose ? (name, text) => (name === 'stderr' ? process.stderr : process.stdout).write(text) : undefined,
      });
    } catch (e) {
      if (!(e instanceof NotebookRunError)) {
        // A notebook the runner cannot even read: record it and go on with the others.
        console.error(`  ${(e as Error).message}`);
        runs.push({
          notebook: file, name: path.basename(file), outputPath: '', ok: false,
          failure: { kind: 'error', cellIndex: -1, where: path.basename(file), message: (e as Error).message },
          figures: {}, engine: null, backend: null, quick, parameters, cellsRun: 0, cellsTotal: 0, wallMs: 0, kernelPid: -1,
        });
        continue;
      }
      run = e.run;
      console.error(`  FAILED ${e.message.split('\n').slice(0, 12).join('\n    ')}`);
    }
    runs.push(run);
  }
  const wallMs = Date.now() - started;

  writeResultsJson(runs, path.join(outDir, 'results.json'));
  console.log('\n' + table([
    ['Notebook', 'Status', 'Cells', 'Time', 'Backend', 'Figures'],
    ...runs.map((r) => [
      r.name,
      r.ok ? 'ok' : `FAILED (${r.failure?.kind})`,
      `${r.cellsRun}/${r.cellsTotal}`,
      seconds(r.wallMs),
      r.backend ?? '—',
      figuresText(r.figures),
    ]),
  ]));
  console.log(`\nresults: ${path.relative(process.cwd(), path.join(outDir, 'results.json'))}; wall time ${seconds(wallMs)}`);
  if (!quick && Object.keys(parameters).length === 0) {
    const resultsRoot = path.resolve(values['results-root'] ?? PROJECT_ROOT);
    writeResultsReport(runs, resultsRoot, wallMs);
    console.log(`full run: wrote ${path.relative(process.cwd(), path.join(resultsRoot, 'RESULTS.md'))} and RESULTS.json beside it (commit them)`);
  }
  const failed = runs.filter((r) => !r.ok);
  for (const r of failed) console.error(`FAILED: ${r.failure?.where ?? r.name}: ${r.failure?.message.split('\n')[0] ?? ''}`);
  return failed.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.stack : e);
    process.exit(1);
  },
);
