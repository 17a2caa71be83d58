/**
 * Notebook parameters. Every notebook's first code cell is tagged `parameters` (as papermill
 * does) and starts with `let quick = lab.notebook.quickMode();`: the runner's `--quick` sets
 * DIGITLAB_QUICK=1 in the kernel's environment, so the same cell gives smaller budgets. Overrides
 * (`-p epochs=1`) are injected by the runner as assignments in a cell right after it.
 */

/** True under `npm run notebooks -- --quick` (DIGITLAB_QUICK=1 in the kernel's environment). */
export function quickMode(): boolean {
  const v = process.env.DIGITLAB_QUICK;
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}
