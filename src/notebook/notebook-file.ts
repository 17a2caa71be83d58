/** Reading and writing .ipynb files (nbformat 4), with errors that name the file and field. */
import type { INotebookContent } from '@jupyterlab/nbformat';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'fs';
import * as path from 'path';

/** Read and check the parts of an nbformat 4 notebook the runner relies on. */
export function readNotebook(file: string): INotebookContent {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: not a readable JSON notebook (${(e as Error).message})`);
  }
  const nb = json as Partial<INotebookContent> | null;
  if (nb === null || typeof nb !== 'object') throw new Error(`${file}: expected a JSON object`);
  if (nb.nbformat !== 4) throw new Error(`${file}: field "nbformat" must be 4, got ${JSON.stringify(nb.nbformat)}`);
  if (typeof nb.nbformat_minor !== 'number') throw new Error(`${file}: field "nbformat_minor" must be a number`);
  if (nb.metadata === null || typeof nb.metadata !== 'object') throw new Error(`${file}: field "metadata" must be an object`);
  if (!Array.isArray(nb.cells)) throw new Error(`${file}: field "cells" must be an array`);
  nb.cells.forEach((c, i) => {
    if (c === null || typeof c !== 'object') throw new Error(`${file}: cells[${i}] must be an object`);
    if (typeof c.cell_type !== 'string') throw new Error(`${file}: cells[${i}].cell_type must be a string`);
    if (typeof c.source !== 'string' && !Array.isArray(c.source)) {
      throw new Error(`${file}: cells[${i}].source must be a string or a list of strings`);
    }
  });
  return nb as INotebookContent;
}

/**
 * Write `data` to `file` atomically (temp file in the same folder, then rename), so a reader
 * never sees half a file. Hand-written: three lines do not justify a dependency.
 */
export function writeFileAtomic(file: string, data: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

/** Jupyter's own layout (1-space indent, trailing newline), so diffs against Jupyter stay small. */
export function writeNotebook(file: string, nb: INotebookContent): void {
  writeFileAtomic(file, JSON.stringify(nb, null, 1) + '\n');
}
