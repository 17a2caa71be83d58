/**
 * `runNotebook(path, options)`: execute a notebook top to bottom in a fresh tslab kernel and
 * write the executed copy (nbformat 4, with outputs and execution counts) to `outDir`.
 * The first failing cell ends the run (later cells depend on it), as nbconvert and papermill do.
 */
import type { ICodeCell, INotebookContent, IOutput, IStream } from '@jupyterlab/nbformat';
import * as path from 'path';
import { backendOf, engineLine, reportedFigures } from './gather';
import { injectParameters, sourceText, type Parameters } from './inject';
import { KernelDiedError, KernelTimeoutError, PROJECT_ROOT, TslabKernel } from './kernel';
import { readNotebook, writeNotebook } from './notebook-file';
import { finalizeOutputs, OutputCollector } from './outputs';
import type { Report } from './report';

export interface RunOptions {
  /** Overrides for the parameters cell (`{ epochs: 1 }`). */
  parameters?: Parameters;
  /** true: DIGITLAB_QUICK=1 in the kernel; false: unset; omitted: inherit this process's value. */
  quick?: boolean;
  /** Per-cell limit in ms (default 10 min in quick mode, 2 h otherwise). */
  timeoutMs?: number;
  /** Where the executed notebook goes (default `<project>/out/notebooks`). */
  outDir?: string;
  /** How long the kernel may take to start (default 120 s). */
  startupTimeoutMs?: number;
  /** Extra kernel environment (a value of undefined removes a variable). */
  env?: Record<string, string | undefined>;
  /** Called before and after each code cell (progress lines). */
  onCell?: (event: CellEvent) => void;
  /** Called with each piece of stdout/stderr as it arrives (live logs). */
  onStream?: (name: 'stdout' | 'stderr', text: string) => void;
}

export interface CellEvent {
  notebook: string;
  phase: 'start' | 'done';
  /** 1-based number among the code cells that run, and their count. */
  number: number;
  total: number;
  /** Position in the executed notebook (0-based) and the cell's id, if it has one. */
  cellIndex: number;
  cellId?: string;
  status?: 'ok' | 'error' | 'timeout' | 'kernel-died';
  executionCount?: number | null;
  ms?: number;
}

export interface CellFailure {
  kind: 'error' | 'timeout' | 'kernel-died' | 'kernel-start';
  /** Position in the executed notebook (0-based); -1 when the kernel never started. */
  cellIndex: number;
  cellId?: string;
  /** "01-keras-mlp.ipynb code cell 4/12 (id cell-05)": how messages name the cell. */
  where: string;
  message: string;
}

export interface NotebookRun {
  /** The notebook as given and its file name. */
  notebook: string;
  name: string;
  /** The executed copy (written also when the run failed, with the outputs so far). */
  outputPath: string;
  ok: boolean;
  failure?: CellFailure;
  /** Figures the notebook reported with `lab.report`. */
  figures: Report;
  /** The `digitlab engine: …` line and its backend name, if the notebook initialised the engine. */
  engine: string | null;
  backend: string | null;
  quick: boolean;
  parameters: Parameters;
  cellsRun: number;
  cellsTotal: number;
  wallMs: number;
  kernelPid: number;
}

/** A notebook run that ended with a failing cell, a timeout or a dead kernel. */
export class NotebookRunError extends Error {
  constructor(readonly run: NotebookRun) {
    super(`${run.failure?.where ?? run.name}: ${run.failure?.message ?? 'failed'}`);
    this.name = 'NotebookRunError';
  }
}

/** How messages name a cell: its number among the code cells that run, and its id. */
function cellName(name: string, number: number, total: number, id: string | undefined): string {
  return `${name} code cell ${number}/${total}${id ? ` (id ${id})` : ''}`;
}

/** The cell's stderr, without the stack frames of tslab and node internals (noise to a reader). */
function errorText(outputs: IOutput[], lines = 15): string {
  const err = outputs
    .filter((o): o is IStream => o.output_type === 'stream' && o.name === 'stderr')
    .map((o) => String(o.text))
    .join('');
  return err
    .trim()
    .split('\n')
    .filter((l) => !/^\s+at .*(\(node:|node:internal|tslab[\\/]dist|sigintHandlersWrap)/.test(l))
    .slice(-lines)
    .join('\n');
}

/**
 * tslab 1.0 does not rewrite a shorthand property (`{ epochs }`) that names a variable from an
 * earlier cell, so it fails with "epochs is not defined" although `epochs` exists. Say so.
 */
function shorthandHint(error: string, source: string, earlier: string[]): string | null {
  const name = /ReferenceError: ([A-Za-z_$][\w$]*) is not defined/.exec(error)?.[1];
  if (!name) return null;
  const declared = earlier.some((s) => new RegExp(`\\b(?:let|const|var)\\s+${name}\\b`).test(s));
  const shorthand = new RegExp(`[{,]\\s*${name}\\s*[,}]`).test(source);
  return declared && shorthand
    ? `hint: "${name}" is declared in an earlier cell; tslab cannot use it as a shorthand property ({ ${name} }): write { ${name}: ${name} }`
    : null;
}

/** Execute `file` in a new tslab kernel; resolves with the run, throws NotebookRunError if a cell failed. */
export async function runNotebook(file: string, options: RunOptions = {}): Promise<NotebookRun> {
  const started = Date.now();
  const name = path.basename(file);
  const source = readNotebook(file);
  const parameters = options.parameters ?? {};
  const nb: INotebookContent = injectParameters(source, parameters, name);
  const outDir = path.resolve(options.outDir ?? path.join(PROJECT_ROOT, 'out', 'notebooks'));
  const outputPath = path.join(outDir, name);
  if (path.resolve(file) === outputPath) {
    throw new Error(`${file}: the output would overwrite the notebook itself; choose another outDir`);
  }
  const quick =
    options.quick ??
    (() => {
      const v = process.env.DIGITLAB_QUICK;
      return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
    })();
  const timeoutMs = options.timeoutMs ?? (quick ? 10 * 60_000 : 2 * 3600_000);

  // Start from a clean slate: no outputs or counts left from an earlier execution.
  const code: { cell: ICodeCell; index: number }[] = [];
  nb.cells.forEach((cell, index) => {
    if (cell.cell_type !== 'code') return;
    const c = cell as ICodeCell;
    c.outputs = [];
    c.execution_count = null;
    if (sourceText(c.source).trim() !== '') code.push({ cell: c, index });
  });

  const run: NotebookRun = {
    notebook: file,
    name,
    outputPath,
    ok: false,
    figures: {},
    engine: null,
    backend: null,
    quick,
    parameters,
    cellsRun: 0,
    cellsTotal: code.length,
    wallMs: 0,
    kernelPid: -1,
  };

  const finish = (): NotebookRun => {
    for (const c of nb.cells) if (c.cell_type === 'code') (c as ICodeCell).outputs = finalizeOutputs((c as ICodeCell).outputs);
    run.wallMs = Date.now() - started;
    run.figures = reportedFigures(nb);
    run.engine = engineLine(nb);
    run.backend = backendOf(run.engine);
    nb.metadata = {
      ...nb.metadata,
      digitlab: {
        executed: new Date(started).toISOString(),
        wallSeconds: Math.round(run.wallMs / 100) / 10,
        quick,
        parameters,
        ok: run.ok,
        ...(run.failure ? { failure: run.failure.where } : {}),
      },
    };
    writeNotebook(outputPath, nb);
    if (!run.ok) throw new NotebookRunError(run);
    return run;
  };

  let kernel: TslabKernel;
  try {
    kernel = await TslabKernel.start({
      cwd: path.dirname(path.resolve(file)),
      env: { ...options.env, DIGITLAB_QUICK: quick ? '1' : undefined },
      startupTimeoutMs: options.startupTimeoutMs,
    });
  } catch (e) {
    run.failure = { kind: 'kernel-start', cellIndex: -1, where: name, message: `the tslab kernel did not start: ${(e as Error).message}` };
    return finish();
  }
  run.kernelPid = kernel.pid;

  const collector = new OutputCollector();
  try {
    for (const [i, { cell, index }] of code.entries()) {
      const id = typeof cell.id === 'string' ? cell.id : undefined;
      const where = cellName(name, i + 1, code.length, id);
      const base = { notebook: name, number: i + 1, total: code.length, cellIndex: index, cellId: id };
      options.onCell?.({ ...base, phase: 'start' });
      const t0 = Date.now();
      const outputs: IOutput[] = [];
      cell.outputs = outputs;
      const sink = collector.cell(outputs);
      try {
        const reply = await kernel.execute(sourceText(cell.source), {
          timeoutMs,
          onMessage: (m) => {
            sink(m);
            if (m.header.msg_type === 'stream' && options.onStream) {
              options.onStream(m.content.name === 'stderr' ? 'stderr' : 'stdout', String(m.content.text ?? ''));
            }
          },
        });
        cell.execution_count = reply.executionCount;
        run.cellsRun++;
        const ok = reply.status === 'ok';
        options.onCell?.({ ...base, phase: 'done', status: ok ? 'ok' : 'error', executionCount: reply.executionCount, ms: Date.now() - t0 });
        if (!ok) {
          // tslab reports errors on stderr only; other kernels also send ename/evalue.
          const text = errorText(outputs);
          // Lead with the line that says what went wrong (tslab starts with the source position).
          const headline =
            (reply.ename && `${reply.ename}: ${reply.evalue ?? ''}`) ||
            text.split('\n').find((l) => /^\w*(Error|Exception)\b|^\S*\d+:\d+ - /.test(l));
          const hint = shorthandHint(text, sourceText(cell.source), code.slice(0, i).map((c) => sourceText(c.cell.source)));
          const detail = [headline && !text.startsWith(headline) ? headline : '', text, hint].filter(Boolean).join('\n');
          run.failure = { kind: 'error', cellIndex: index, cellId: id, where, message: detail || `execute_reply status "${reply.status}"` };
          break;
        }
      } catch (e) {
        const kind = e instanceof KernelTimeoutError ? 'timeout' : e instanceof KernelDiedError ? 'kernel-died' : 'error';
        options.onCell?.({ ...base, phase: 'done', status: kind, ms: Date.now() - t0 });
        const message =
          kind === 'timeout'
            ? `cell did not finish within the ${(timeoutMs / 1000).toFixed(0)} s per-cell timeout; the kernel was stopped`
            : kind === 'kernel-died'
              ? `the kernel died while running this cell: ${(e as Error).message}`
              : (e as Error).message;
        const ename = kind === 'timeout' ? 'CellTimeoutError' : kind === 'kernel-died' ? 'KernelDiedError' : 'RunnerError';
        outputs.push({ output_type: 'error', ename, evalue: message, traceback: [] });
        run.failure = { kind, cellIndex: index, cellId: id, where, message };
        break;
      }
    }
    run.ok = run.failure === undefined;
  } finally {
    // Also on a bug of ours: the kernel must not outlive the run. A timed-out cell still runs.
    await kernel.shutdown({ force: run.failure?.kind === 'timeout' });
  }
  return finish();
}
