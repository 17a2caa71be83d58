// The notebooks run unchanged under a Jupyter client we did not write: Debian's
// `jupyter-nbconvert --execute` (nbclient) with the project's kernelspec, in quick mode.
// CI installs jupyter-nbconvert (.ci/run); without it this test fails and says how to install it.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '..');
const notebooks = fs.readdirSync(path.join(root, 'notebooks')).filter((f) => f.endsWith('.ipynb')).sort();

describe('notebooks under jupyter-nbconvert', () => {
  it('has jupyter-nbconvert installed', () => {
    expect(fs.existsSync('/usr/bin/jupyter-nbconvert'), 'apt-get install jupyter-nbconvert jupyter-notebook').toBe(true);
  });
  for (const nb of notebooks) {
    it(`${nb} executes and reports its figures`, () => {
      const r = spawnSync('sh', ['scripts/nbconvert-check.sh', `notebooks/${nb}`], { cwd: root, encoding: 'utf8', timeout: 600_000 });
      expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(/reported: \{/);
    }, 620_000);
  }
});
