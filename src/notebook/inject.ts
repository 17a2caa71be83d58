/**
 * Parameter overrides, papermill style: the first code cell tagged `parameters` declares the
 * defaults with `let`; the runner adds a cell tagged `injected-parameters` right after it that
 * assigns the overrides (`epochs = 2;`). tslab lets a later cell assign a `let` from an earlier
 * one, and its type checker rejects a value of the wrong type with a readable error.
 */
import type { ICell, ICodeCell, INotebookContent, MultilineString } from '@jupyterlab/nbformat';

/** A JSON value: what `-p name=value` and `runNotebook({ parameters })` accept. */
export type ParameterValue = string | number | boolean | null | ParameterValue[] | { [k: string]: ParameterValue };
export type Parameters = Record<string, ParameterValue>;

export const PARAMETERS_TAG = 'parameters';
export const INJECTED_TAG = 'injected-parameters';

export function sourceText(source: MultilineString): string {
  return Array.isArray(source) ? source.join('') : source;
}

export function cellTags(cell: ICell): string[] {
  const tags = (cell.metadata as { tags?: unknown } | undefined)?.tags;
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [];
}

/** Names declared in a parameters cell, with whether each may be reassigned. */
export function declaredParameters(source: string): Map<string, 'let' | 'var' | 'const'> {
  const out = new Map<string, 'let' | 'var' | 'const'>();
  for (const m of source.matchAll(/^\s*(?:export\s+)?(let|var|const)\s+([A-Za-z_$][\w$]*)/gm)) {
    out.set(m[2], m[1] as 'let' | 'var' | 'const');
  }
  return out;
}

/**
 * `-p k=v` → [k, value]: v is read as JSON when it parses (`2`, `true`, `[64,32]`, `"x"`),
 * otherwise taken as a plain string (`-p optimizer=adam`).
 */
export function parseParameterArg(arg: string): [string, ParameterValue] {
  const eq = arg.indexOf('=');
  const name = eq < 0 ? '' : arg.slice(0, eq).trim();
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) {
    throw new Error(`-p ${arg}: expected NAME=VALUE with NAME a TypeScript identifier`);
  }
  const raw = arg.slice(eq + 1);
  try {
    return [name, JSON.parse(raw) as ParameterValue];
  } catch {
    return [name, raw];
  }
}

/**
 * A copy of `nb` with an injected-parameters cell after its parameters cell (replacing one that
 * an earlier run injected). Throws, naming the notebook, when there is no parameters cell or an
 * override names a parameter that cell does not declare with `let`/`var`.
 */
export function injectParameters(nb: INotebookContent, parameters: Parameters, notebookName: string): INotebookContent {
  const names = Object.keys(parameters);
  const cells = nb.cells.filter((c) => !cellTags(c).includes(INJECTED_TAG));
  if (names.length === 0) return { ...nb, cells };

  const at = cells.findIndex((c) => c.cell_type === 'code' && cellTags(c).includes(PARAMETERS_TAG));
  if (at < 0) {
    throw new Error(`${notebookName}: no code cell tagged "${PARAMETERS_TAG}", so parameters ${names.join(', ')} cannot be set`);
  }
  const declared = declaredParameters(sourceText(cells[at].source));
  for (const name of names) {
    const kind = declared.get(name);
    if (kind === undefined) {
      throw new Error(
        `${notebookName}: parameter "${name}" is not declared in the parameters cell (it declares: ${[...declared.keys()].join(', ') || 'nothing'})`,
      );
    }
    if (kind === 'const') {
      throw new Error(`${notebookName}: parameter "${name}" is declared const in the parameters cell; declare it with let`);
    }
  }
  // `void 0` last: tslab prints the value of a cell's last expression, and an assignment has one.
  const lines = ["// Parameters injected by the digitlab runner", ...names.map((n) => `${n} = ${JSON.stringify(parameters[n])};`), "void 0;"];
  const injected: ICodeCell = {
    cell_type: 'code',
    execution_count: null,
    metadata: { tags: [INJECTED_TAG] },
    outputs: [],
    source: lines.map((l, i) => (i < lines.length - 1 ? `${l}\n` : l)),
  };
  // Cell ids are required from nbformat 4.5 on and must be unique.
  if (nb.nbformat > 4 || nb.nbformat_minor >= 5) {
    const ids = new Set(cells.map((c) => c.id));
    let id = INJECTED_TAG;
    for (let i = 2; ids.has(id); i++) id = `${INJECTED_TAG}-${i}`;
    injected.id = id;
  }
  return { ...nb, cells: [...cells.slice(0, at + 1), injected, ...cells.slice(at + 1)] };
}
