import { describe, it, expect } from 'vitest';
import { markdownTable, table } from '../../src/notebook/table';

describe('notebook tables', () => {
  it('renders rows as Markdown with escaped cells and rounded numbers', () => {
    const md = markdownTable([{ experiment: 'a|b', document: '99.2%', ours: 0.991234 }, { experiment: 'c', extra: 3 }]);
    expect(md.split('\n')).toEqual([
      '| experiment | document | ours | extra |',
      '| --- | --- | --- | --- |',
      '| a\\|b | 99.2% | 0.9912 |  |',
      '| c |  |  | 3 |',
    ]);
  });
  it('returns the Markdown outside a kernel and rejects an empty table', () => {
    expect(table([{ x: 1 }])).toBe('| x |\n| --- |\n| 1 |');
    expect(() => table([])).toThrow(/no rows/);
  });
});
