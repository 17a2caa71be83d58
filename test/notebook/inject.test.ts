/** Parameter overrides: the injected cell and the errors for overrides that cannot apply. */
import type { ICodeCell, INotebookContent } from '@jupyterlab/nbformat';
import { describe, expect, it } from 'vitest';
import { declaredParameters, injectParameters, parseParameterArg } from '../../src/notebook/inject';

function notebook(paramSource: string, minor = 5): INotebookContent {
  const code = (id: string, source: string, tags: string[] = []): ICodeCell => ({
    cell_type: 'code', id, execution_count: null, metadata: tags.length ? { tags } : {}, outputs: [], source,
  });
  return {
    nbformat: 4, nbformat_minor: minor, metadata: {},
    cells: [{ cell_type: 'markdown', id: 'm', metadata: {}, source: '# t' }, code('p', paramSource, ['parameters']), code('c', 'train();')],
  };
}

describe('parameters', () => {
  it('reads -p values as JSON when they parse, else as strings', () => {
    expect(parseParameterArg('epochs=2')).toEqual(['epochs', 2]);
    expect(parseParameterArg('sizes=[64,32]')).toEqual(['sizes', [64, 32]]);
    expect(parseParameterArg('flag=true')).toEqual(['flag', true]);
    expect(parseParameterArg('optimizer=adam')).toEqual(['optimizer', 'adam']);
    expect(parseParameterArg('note=a=b')).toEqual(['note', 'a=b']);
    expect(() => parseParameterArg('2x=1')).toThrow(/expected NAME=VALUE/);
    expect(() => parseParameterArg('epochs')).toThrow(/expected NAME=VALUE/);
  });

  it('finds the names a parameters cell declares', () => {
    const d = declaredParameters("import * as lab from 'digitlab';\nlet quick = lab.notebook.quickMode();\nlet epochs = quick ? 1 : 5; // comment\nconst seed = 42;\n");
    expect([...d.entries()]).toEqual([['quick', 'let'], ['epochs', 'let'], ['seed', 'const']]);
  });

  it('injects a tagged cell right after the parameters cell, replacing an earlier injection', () => {
    const nb = injectParameters(notebook('let epochs = 5;\nlet name = "a";'), { epochs: 1, name: 'b"c' }, 'x.ipynb');
    expect(nb.cells.map((c) => c.id)).toEqual(['m', 'p', 'injected-parameters', 'c']);
    const inj = nb.cells[2] as ICodeCell;
    expect(inj.metadata.tags).toEqual(['injected-parameters']);
    expect((inj.source as string[]).join('')).toBe('// Parameters injected by the digitlab runner\nepochs = 1;\nname = "b\\"c";\nvoid 0;');
    const again = injectParameters(nb, { epochs: 3 }, 'x.ipynb');
    expect(again.cells.map((c) => c.id)).toEqual(['m', 'p', 'injected-parameters', 'c']);
    expect((again.cells[2].source as string[]).join('')).toContain('epochs = 3;');
    expect(injectParameters(nb, {}, 'x.ipynb').cells.map((c) => c.id)).toEqual(['m', 'p', 'c']);
    expect(injectParameters(notebook('let epochs = 5;', 4), { epochs: 1 }, 'x.ipynb').cells[2].id).toBeUndefined();
  });

  it('names the notebook and the parameter when an override cannot apply', () => {
    expect(() => injectParameters(notebook('let epochs = 5;'), { epoch: 1 }, 'x.ipynb')).toThrow(
      'x.ipynb: parameter "epoch" is not declared in the parameters cell (it declares: epochs)',
    );
    expect(() => injectParameters(notebook('const seed = 1;'), { seed: 2 }, 'x.ipynb')).toThrow(/"seed" is declared const/);
    const noParams = notebook('let a = 1;');
    noParams.cells[1].metadata = {};
    expect(() => injectParameters(noParams, { a: 2 }, 'y.ipynb')).toThrow('y.ipynb: no code cell tagged "parameters"');
  });
});
