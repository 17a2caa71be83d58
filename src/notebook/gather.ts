/** What the runner reads back out of an executed notebook: reported figures and the engine line. */
import type { ICell, IOutput, INotebookContent } from '@jupyterlab/nbformat';
import { REPORT_MIME, type Report } from './report';

function outputsOf(cell: ICell): IOutput[] {
  return cell.cell_type === 'code' && Array.isArray(cell.outputs) ? (cell.outputs as IOutput[]) : [];
}

/** All `lab.report({...})` figures in cell order (a later report of a name wins). */
export function reportedFigures(nb: INotebookContent): Report {
  const figures: Report = {};
  for (const cell of nb.cells) {
    for (const o of outputsOf(cell)) {
      if (o.output_type !== 'display_data' && o.output_type !== 'execute_result') continue;
      const data = (o.data as Record<string, unknown> | undefined)?.[REPORT_MIME];
      if (data === null || typeof data !== 'object' || Array.isArray(data)) continue;
      for (const [k, v] of Object.entries(data)) if (typeof v === 'number') figures[k] = v;
    }
  }
  return figures;
}

const ENGINE_LINE = /^digitlab engine: .*$/m;

/** The `digitlab engine: …` line that `lab.engine.init()` prints, or null if none ran. */
export function engineLine(nb: INotebookContent): string | null {
  for (const cell of nb.cells) {
    for (const o of outputsOf(cell)) {
      if (o.output_type !== 'stream') continue;
      const text = Array.isArray(o.text) ? o.text.join('') : String(o.text);
      const m = ENGINE_LINE.exec(text);
      if (m) return m[0];
    }
  }
  return null;
}

/** The backend named by an engine line (`node-gpu`, `node`, `wasm`, `cpu`). */
export function backendOf(line: string | null): string | null {
  return line ? (/^digitlab engine: (\S+)/.exec(line)?.[1] ?? null) : null;
}
