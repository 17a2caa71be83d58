/**
 * A small table shown as Markdown (with a text fallback): every notebook ends with one, the
 * document's figures beside this run's. Outside a kernel it returns the Markdown.
 */
import { displayData } from './display';

export type Row = Record<string, string | number>;

function cell(v: string | number): string {
  const s = typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(4)) : v;
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The rows as a Markdown table; columns are the keys of the first row (then any new ones). */
export function markdownTable(rows: readonly Row[]): string {
  if (rows.length === 0) throw new Error('table: no rows');
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return [
    `| ${cols.join(' | ')} |`,
    `| ${cols.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${cols.map((c) => cell(r[c] ?? '')).join(' | ')} |`),
  ].join('\n');
}

/** Show rows as a table in the notebook; returns the Markdown. */
export function table(rows: readonly Row[]): string {
  const md = markdownTable(rows);
  const text = rows.map((r) => Object.entries(r).map(([k, v]) => `${k}: ${cell(v)}`).join(', ')).join('\n');
  displayData({ 'text/markdown': md, 'text/plain': text });
  return md;
}
