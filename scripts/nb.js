#!/usr/bin/env node
// Converts a percent-format notebook source into an .ipynb (nbformat 4, no outputs).
//   node scripts/nb.js notebooks/src/01-keras-mlp.ts notebooks/01-keras-mlp.ipynb
// Cells start at lines `// %%` (code), `// %% [markdown]` (markdown: lines prefixed with `// `),
// optionally followed by ` tags=["parameters"]`. Used to author notebooks as readable text.
'use strict';
const fs = require('fs');

function parse(src) {
  const cells = [];
  let cur = null;
  for (const line of src.split('\n')) {
    const m = /^\/\/ %%(?:\s*\[(markdown)\])?(?:\s*tags=(\[.*\]))?\s*$/.exec(line);
    if (m) {
      if (cur) cells.push(cur);
      cur = { kind: m[1] ? 'markdown' : 'code', tags: m[2] ? JSON.parse(m[2]) : [], lines: [] };
      continue;
    }
    if (!cur) continue;
    cur.lines.push(cur.kind === 'markdown' ? line.replace(/^\/\/ ?/, '') : line);
  }
  if (cur) cells.push(cur);
  return cells.map((c) => {
    while (c.lines.length && c.lines[c.lines.length - 1].trim() === '') c.lines.pop();
    while (c.lines.length && c.lines[0].trim() === '') c.lines.shift();
    const source = c.lines.map((l, i) => (i < c.lines.length - 1 ? l + '\n' : l));
    const metadata = c.tags.length ? { tags: c.tags } : {};
    return c.kind === 'markdown'
      ? { cell_type: 'markdown', metadata, source }
      : { cell_type: 'code', execution_count: null, metadata, outputs: [], source };
  });
}

function toNotebook(src) {
  return {
    cells: parse(src),
    metadata: {
      kernelspec: { name: 'tslab', display_name: 'TypeScript (digitlab)', language: 'typescript' },
      language_info: { name: 'typescript', file_extension: '.ts', mimetype: 'text/typescript', version: '5.0' },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

if (require.main === module) {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) {
    console.error('usage: node scripts/nb.js SOURCE.ts OUT.ipynb');
    process.exit(2);
  }
  const nb = toNotebook(fs.readFileSync(input, 'utf8'));
  nb.cells.forEach((c, i) => { c.id = `cell-${String(i).padStart(2, '0')}`; });
  fs.writeFileSync(output + '.tmp', JSON.stringify(nb, null, 1) + '\n');
  fs.renameSync(output + '.tmp', output);
}
module.exports = { parse, toNotebook };
