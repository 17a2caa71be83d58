/**
 * The runner against the real tslab kernel, on small fixture notebooks: outputs of every kind,
 * a parameters override, quick mode, a failing cell, a dying kernel and a hanging cell.
 */
import type { ICodeCell, INotebookContent } from '@jupyterlab/nbformat';
import Ajv from 'ajv-draft-04';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { liveKernels } from '../../src/notebook/cleanup';
import { TslabKernel } from '../../src/notebook/kernel';
import { NotebookRunError, runNotebook } from '../../src/notebook/run';
import { REPORT_MIME } from '../../src/notebook/report';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'notebooks');
const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'nbformat.v4.5.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'digitlab-runner-'));
}

/** True when `pid` no longer runs; a zombie (dead, waiting for its parent to reap it) counts as gone. */
function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
  try {
    return /^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

function read(file: string): INotebookContent {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as INotebookContent;
}

function cell(nb: INotebookContent, id: string): ICodeCell {
  const c = nb.cells.find((x) => x.id === id);
  if (!c) throw new Error(`no cell ${id}`);
  return c as ICodeCell;
}

const text = (c: ICodeCell, name = 'stdout'): string =>
  c.outputs
    .filter((o) => o.output_type === 'stream' && o.name === name)
    .map((o) => (o.text as string[]).join(''))
    .join('');

async function failure(file: string, mode: string, timeoutMs?: number): Promise<NotebookRunError> {
  const err = await runNotebook(file, { parameters: { mode }, outDir: tmp(), timeoutMs }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(NotebookRunError);
  return err as NotebookRunError;
}

describe('runNotebook (real tslab kernel)', () => {
  it('collects streams, displays, display updates, reports and counts into a valid nbformat 4 notebook', async () => {
    const outDir = tmp();
    const run = await runNotebook(path.join(FIXTURES, 'basic.ipynb'), { parameters: { repeat: 3 }, quick: true, outDir });
    expect(run.ok).toBe(true);
    expect(run.cellsRun).toBe(6); // 5 code cells + the injected one
    expect(run.figures).toEqual({ answer: 63, half: 0.5 }); // 3 * 21: the override reached the kernel
    expect(run.outputPath).toBe(path.join(outDir, 'basic.ipynb'));
    expect(processGone(run.kernelPid)).toBe(true);
    expect(liveKernels()).toBe(0);

    const nb = read(run.outputPath);
    expect(validate(nb), JSON.stringify(validate.errors)).toBe(true);
    const counts = nb.cells.filter((c) => c.cell_type === 'code').map((c) => (c as ICodeCell).execution_count);
    expect(counts).toEqual([1, 2, 3, 4, 5, 6]);

    const injected = nb.cells[2] as ICodeCell;
    expect(injected.metadata.tags).toEqual(['injected-parameters']);
    expect(injected.outputs).toEqual([]);

    const printing = cell(nb, 'cell-02');
    expect(text(printing)).toBe('hello x3\nquick=true\n');
    expect(text(printing, 'stderr')).toBe('a line on stderr\n');

    const displays = cell(nb, 'cell-03').outputs.filter((o) => o.output_type === 'display_data');
    expect(displays[0].data).toEqual({ 'text/html': ['<b>bold</b>'] }); // text as lines, as Jupyter writes it
    expect(displays[1].data).toMatchObject({ [REPORT_MIME]: { answer: 63, half: 0.5 } });

    // Two shows in one cell and an update from the next cell leave one output, the last state.
    expect(cell(nb, 'cell-04').outputs).toEqual([
      { output_type: 'display_data', data: { 'text/plain': ['step 2 (from a later cell)'] }, metadata: {} },
    ]);
    expect(text(cell(nb, 'cell-05'))).toBe('4\n'); // tslab prints the last expression
    expect(nb.metadata.digitlab).toMatchObject({ quick: true, parameters: { repeat: 3 }, ok: true });
  });

  it('stops at a failing cell, naming notebook and cell, and writes the partial notebook', async () => {
    const e = await failure(path.join(FIXTURES, 'failing.ipynb'), 'throw');
    expect(e.message).toMatch(/^failing\.ipynb code cell 4\/5 \(id cell-03\): Error: boom from the fixture/);
    expect(e.run.failure).toMatchObject({ kind: 'error', cellId: 'cell-03' });
    expect(processGone(e.run.kernelPid)).toBe(true);
    const nb = read(e.run.outputPath);
    expect(validate(nb), JSON.stringify(validate.errors)).toBe(true);
    expect(text(cell(nb, 'cell-02'))).toBe('before the failing cell\n');
    expect(cell(nb, 'cell-03').execution_count).toBe(4);
    expect(text(cell(nb, 'cell-03'), 'stderr')).toContain('boom from the fixture');
    expect(cell(nb, 'cell-04')).toMatchObject({ execution_count: null, outputs: [] }); // never ran
  });

  it('explains tslab\'s shorthand-property quirk when it is the cause', async () => {
    const e = await failure(path.join(FIXTURES, 'failing.ipynb'), 'shorthand');
    expect(e.message).toMatch(/^failing\.ipynb code cell 4\/5 \(id cell-03\): ReferenceError: mode is not defined/);
    expect(e.message).toContain('hint: "mode" is declared in an earlier cell; tslab cannot use it as a shorthand property ({ mode }): write { mode: mode }');
  });

  it('reports a kernel that dies in a cell', async () => {
    const e = await failure(path.join(FIXTURES, 'failing.ipynb'), 'exit');
    expect(e.message).toMatch(/^failing\.ipynb code cell 4\/5 \(id cell-03\): the kernel died while running this cell: .*exited with code 3/);
    expect(e.run.failure?.kind).toBe('kernel-died');
  });

  it('ends a hanging cell after the per-cell timeout and kills the kernel', async () => {
    const t0 = Date.now();
    const e = await failure(path.join(FIXTURES, 'failing.ipynb'), 'hang', 2000);
    expect(Date.now() - t0).toBeLessThan(60_000);
    expect(e.message).toBe(
      'failing.ipynb code cell 4/5 (id cell-03): cell did not finish within the 2 s per-cell timeout; the kernel was stopped',
    );
    expect(processGone(e.run.kernelPid)).toBe(true);
    expect(liveKernels()).toBe(0);
    const outputs = cell(read(e.run.outputPath), 'cell-03').outputs;
    expect(outputs[outputs.length - 1]).toMatchObject({ output_type: 'error', ename: 'CellTimeoutError' });
  });

  it('refuses an override the parameters cell does not declare, before starting a kernel', async () => {
    await expect(runNotebook(path.join(FIXTURES, 'failing.ipynb'), { parameters: { mood: 'x' }, outDir: tmp() })).rejects.toThrow(
      'failing.ipynb: parameter "mood" is not declared in the parameters cell (it declares: mode)',
    );
  });
});

describe('TslabKernel', () => {
  it('writes a private connection file and removes it with the kernel', async () => {
    const k = await TslabKernel.start({ cwd: FIXTURES });
    expect(fs.statSync(k.connectionFile).mode & 0o777).toBe(0o600);
    const conn = JSON.parse(fs.readFileSync(k.connectionFile, 'utf8'));
    expect(conn).toMatchObject({ transport: 'tcp', ip: '127.0.0.1', signature_scheme: 'hmac-sha256' });
    expect(conn.key).toMatch(/^[0-9a-f]{64}$/);
    const seen: string[] = [];
    const reply = await k.execute('console.log(6 * 7)', { onMessage: (m) => seen.push(m.header.msg_type) });
    expect(reply).toEqual({ status: 'ok', executionCount: 1 });
    expect(seen).toEqual(['stream']);
    await k.shutdown();
    expect(k.alive).toBe(false);
    expect(processGone(k.pid)).toBe(true);
    expect(fs.existsSync(k.connectionFile)).toBe(false);
  });

  it('kills the kernel when the runner gets SIGINT (tslab itself only interrupts the cell)', async () => {
    const script = `
      const { runNotebook } = require(${JSON.stringify(path.join(ROOT, 'dist', 'notebook', 'run.js'))});
      runNotebook(${JSON.stringify(path.join(FIXTURES, 'failing.ipynb'))}, {
        parameters: { mode: 'hang' }, outDir: ${JSON.stringify(tmp())},
        onCell: (e) => { if (e.phase === 'start' && e.cellId === 'cell-03') console.log('HANGING'); },
      });`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => d.toString().includes('HANGING') && resolve()));
    const ps = spawnSync('ps', ['-o', 'pid=', '--ppid', String(child.pid)], { encoding: 'utf8' });
    const kernelPids = ps.stdout.split('\n').map((s) => parseInt(s, 10)).filter((n) => n > 0);
    expect(kernelPids).toHaveLength(1);
    const exited = new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_code, sig) => r(sig)));
    child.kill('SIGINT');
    expect(await exited).toBe('SIGINT');
    await new Promise((r) => setTimeout(r, 200));
    expect(processGone(kernelPids[0])).toBe(true);
  });
});

describe('npm run notebooks (dist/cli/notebooks.js)', () => {
  it('exits non-zero naming notebook and cell, and still writes results.json', () => {
    const out = tmp();
    const r = spawnSync(
      process.execPath,
      ['dist/cli/notebooks.js', '--out', out, '-p', 'mode=throw', path.join('test', 'fixtures', 'notebooks', 'failing.ipynb')],
      { cwd: ROOT, encoding: 'utf8', timeout: 100_000 },
    );
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/failing\.ipynb code cell 3\/5 \(cell-02\) ok/);
    expect(r.stderr).toContain('FAILED: failing.ipynb code cell 4/5 (id cell-03): Error: boom from the fixture');
    expect(JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8'))).toEqual({ 'failing.ipynb': {} });
    expect(fs.existsSync(path.join(out, 'failing.ipynb'))).toBe(true);
  });

  it('runs a notebook with reports, prints the table and gathers results.json (quick: no RESULTS.md)', () => {
    const out = tmp();
    const r = spawnSync(
      process.execPath,
      ['dist/cli/notebooks.js', '--quick', '--out', out, '--results-root', out, 'test/fixtures/notebooks/basic.ipynb'],
      { cwd: ROOT, encoding: 'utf8', timeout: 100_000 },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/basic\.ipynb\s+ok\s+5\/5\s+\S+\s+—\s+answer=42 half=0\.5000/);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8'))).toEqual({ 'basic.ipynb': { answer: 42, half: 0.5 } });
    expect(fs.existsSync(path.join(out, 'RESULTS.md'))).toBe(false);
  });

  it('a full run also writes RESULTS.md and RESULTS.json', () => {
    const out = tmp();
    const r = spawnSync(process.execPath, ['dist/cli/notebooks.js', '--out', out, '--results-root', out, 'test/fixtures/notebooks/basic.ipynb'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 100_000,
      env: { ...process.env, DIGITLAB_QUICK: '' },
    });
    expect(r.status).toBe(0);
    const json = JSON.parse(fs.readFileSync(path.join(out, 'RESULTS.json'), 'utf8'));
    expect(json.results).toEqual({ 'basic.ipynb': { answer: 42, half: 0.5 } });
    expect(json.notebooks['basic.ipynb']).toMatchObject({ status: 'ok', backend: null });
    expect(fs.readFileSync(path.join(out, 'RESULTS.md'), 'utf8')).toContain('| `answer` | — | 42 |');
  });
});
