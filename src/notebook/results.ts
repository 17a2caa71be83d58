/**
 * Run records on disk: out/notebooks/results.json after every run, and RESULTS.md / RESULTS.json
 * at the project root after a full run (the document's figures beside ours, backend, machine,
 * date, wall time).
 */
import { existsSync, readFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DOCUMENT_FIGURES } from './documents';
import { writeFileAtomic } from './notebook-file';
import type { Report } from './report';
import type { NotebookRun } from './run';

/** `{ "<notebook file name>": { "<metric>": number } }` for the given runs. */
export function resultsOf(runs: readonly NotebookRun[]): Record<string, Report> {
  return Object.fromEntries(runs.map((r) => [r.name, { ...r.figures }]));
}

export function writeResultsJson(runs: readonly NotebookRun[], file: string): void {
  writeFileAtomic(file, JSON.stringify(resultsOf(runs), null, 2) + '\n');
}

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  platform: string;
  node: string;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpus: os.availableParallelism?.() ?? cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}

export interface NotebookRecord {
  status: 'ok' | 'failed';
  failure?: string;
  backend: string | null;
  engine: string | null;
  wallSeconds: number;
  date: string;
}

/** The shape of RESULTS.json: that run's results.json plus backend, machine and date. */
export interface ResultsFile {
  date: string;
  wallSeconds: number;
  machine: MachineInfo;
  results: Record<string, Report>;
  notebooks: Record<string, NotebookRecord>;
}

function readPrevious(file: string): ResultsFile | null {
  if (!existsSync(file)) return null;
  try {
    const prev = JSON.parse(readFileSync(file, 'utf8')) as Partial<ResultsFile>;
    if (prev.results && prev.notebooks) return prev as ResultsFile;
  } catch {
    /* an unreadable old file is simply replaced */
  }
  return null;
}

function fmt(metric: string, v: number | undefined): string {
  if (v === undefined) return '—';
  if (/accuracy/i.test(metric) && v >= 0 && v <= 1) return `${(v * 100).toFixed(1)}%`;
  return Number.isInteger(v) ? String(v) : v.toPrecision(4);
}

function markdown(r: ResultsFile): string {
  const names = Object.keys(r.notebooks).sort();
  const m = r.machine;
  const out: string[] = [
    '# Results',
    '',
    'Written by `npm run notebooks` (a full run: document settings, no `--quick`, no `-p`).',
    'Each notebook re-runs one document\'s experiment; its figures stand beside the document\'s.',
    '',
    `- Date: ${r.date}`,
    `- Wall time of the run: ${r.wallSeconds.toFixed(0)} s`,
    `- Machine: ${m.cpus} cores (${m.cpuModel}), ${m.memoryGiB} GiB memory, ${m.platform}, node ${m.node}`,
    '',
    '| Notebook | Status | Backend | Wall time | Date |',
    '| --- | --- | --- | --- | --- |',
    ...names.map((n) => {
      const nb = r.notebooks[n];
      return `| ${n} | ${nb.status}${nb.failure ? ` (${nb.failure})` : ''} | ${nb.backend ?? '—'} | ${nb.wallSeconds.toFixed(0)} s | ${nb.date} |`;
    }),
  ];
  for (const n of names) {
    const figures = r.results[n] ?? {};
    const doc = DOCUMENT_FIGURES[n.replace(/\.ipynb$/, '')] ?? [];
    out.push('', `## ${n}`, '');
    if (r.notebooks[n].engine) out.push(`Engine: \`${r.notebooks[n].engine}\``, '');
    out.push('| Figure | Document | This run |', '| --- | --- | --- |');
    for (const d of doc) out.push(`| ${d.what} (${d.source}, \`${d.metric}\`) | ${d.text} | ${fmt(d.metric, figures[d.metric])} |`);
    const listed = new Set(doc.map((d) => d.metric));
    for (const [k, v] of Object.entries(figures)) if (!listed.has(k)) out.push(`| \`${k}\` | — | ${fmt(k, v)} |`);
  }
  return out.join('\n') + '\n';
}

/**
 * Write RESULTS.json and RESULTS.md in `root`. Notebooks not in `runs` keep their entries from
 * the previous RESULTS.json (each entry carries its own date), so re-running one notebook does
 * not erase the others.
 */
export function writeResultsReport(runs: readonly NotebookRun[], root: string, wallMs: number, date = new Date()): ResultsFile {
  const jsonFile = path.join(root, 'RESULTS.json');
  const prev = readPrevious(jsonFile);
  const results: Record<string, Report> = { ...(prev?.results ?? {}) };
  const notebooks: Record<string, NotebookRecord> = { ...(prev?.notebooks ?? {}) };
  for (const r of runs) {
    results[r.name] = { ...r.figures };
    notebooks[r.name] = {
      status: r.ok ? 'ok' : 'failed',
      ...(r.failure ? { failure: r.failure.where } : {}),
      backend: r.backend,
      engine: r.engine,
      wallSeconds: Math.round(r.wallMs / 100) / 10,
      date: date.toISOString(),
    };
  }
  const file: ResultsFile = {
    date: date.toISOString(),
    wallSeconds: Math.round(wallMs / 100) / 10,
    machine: machineInfo(),
    results,
    notebooks,
  };
  writeFileAtomic(jsonFile, JSON.stringify(file, null, 2) + '\n');
  writeFileAtomic(path.join(root, 'RESULTS.md'), markdown(file));
  return file;
}
