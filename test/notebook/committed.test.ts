/**
 * Committed notebooks carry no outputs (diffs stay readable; `node scripts/strip-outputs.js`
 * fixes it) and follow the notebook conventions the runner relies on.
 */
import Ajv from 'ajv-draft-04';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..');
const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'nbformat.v4.5.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
const list = (dir: string): string[] =>
  fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.ipynb')).sort().map((f) => path.join(dir, f)) : [];
const notebooks = list(path.join(ROOT, 'notebooks'));
const fixtures = list(path.join(ROOT, 'test', 'fixtures', 'notebooks'));

interface Cell { cell_type: string; metadata: { tags?: string[]; execution?: unknown }; outputs?: unknown[]; execution_count?: number | null }

describe('committed notebooks', () => {
  it('exist', () => {
    expect(notebooks.length).toBeGreaterThan(0);
  });

  for (const file of [...notebooks, ...fixtures]) {
    const rel = path.relative(ROOT, file);
    it(`${rel}: valid nbformat 4, no outputs, tslab kernelspec, first code cell tagged "parameters"`, () => {
      const nb = JSON.parse(fs.readFileSync(file, 'utf8'));
      expect(validate(nb), `${rel}: ${JSON.stringify(validate.errors)}`).toBe(true);
      const cells = nb.cells as Cell[];
      const withOutputs = cells
        .map((c, i) => ({ c, i }))
        .filter(({ c }) => c.cell_type === 'code' && ((c.outputs ?? []).length > 0 || c.execution_count !== null || c.metadata.execution))
        .map(({ i }) => i);
      expect(withOutputs, `${rel}: cells ${withOutputs.join(', ')} carry outputs; run node scripts/strip-outputs.js`).toEqual([]);
      expect(cells.some((c) => c.metadata.tags?.includes('injected-parameters'))).toBe(false);
      expect(nb.metadata.digitlab).toBeUndefined();
      expect(nb.metadata.kernelspec).toMatchObject({ name: 'tslab', language: 'typescript' });
      const firstCode = cells.find((c) => c.cell_type === 'code');
      expect(firstCode?.metadata.tags ?? [], `${rel}: the first code cell must be tagged "parameters"`).toContain('parameters');
    });
  }

  it('scripts/strip-outputs.js --check agrees, and flags an executed notebook', () => {
    const ok = spawnSync(process.execPath, ['scripts/strip-outputs.js', '--check', ...notebooks, ...fixtures], { cwd: ROOT, encoding: 'utf8' });
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    const executed = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'strip-')), 'x.ipynb');
    const nb = JSON.parse(fs.readFileSync(fixtures[0], 'utf8'));
    const code = nb.cells.find((c: Cell) => c.cell_type === 'code');
    code.outputs = [{ output_type: 'stream', name: 'stdout', text: ['hi\n'] }];
    code.execution_count = 1;
    fs.writeFileSync(executed, JSON.stringify(nb));
    const bad = spawnSync(process.execPath, ['scripts/strip-outputs.js', '--check', executed], { cwd: ROOT, encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain(executed);
    const fix = spawnSync(process.execPath, ['scripts/strip-outputs.js', executed], { cwd: ROOT, encoding: 'utf8' });
    expect(fix.status).toBe(0);
    expect(JSON.parse(fs.readFileSync(executed, 'utf8'))).toEqual(JSON.parse(fs.readFileSync(fixtures[0], 'utf8')));
  });
});
