#!/usr/bin/env node
// Strips what execution adds to a notebook, so committed notebooks stay output-free and diffs
// readable: code-cell outputs and execution counts, per-cell execution timing, the cell the
// runner injects for parameters, and the runner's notebook metadata.
//   node scripts/strip-outputs.js [--check] [FILES…]     (default: notebooks/*.ipynb)
// --check changes nothing and exits 1 listing the notebooks that still carry outputs.
'use strict';
const fs = require('fs');
const path = require('path');

function strip(nb) {
  const cells = nb.cells.filter((c) => !((c.metadata && c.metadata.tags) || []).includes('injected-parameters'));
  for (const c of cells) {
    if (c.cell_type === 'code') {
      c.outputs = [];
      c.execution_count = null;
    }
    if (c.metadata) delete c.metadata.execution;
  }
  const metadata = { ...nb.metadata };
  delete metadata.digitlab;
  return { ...nb, metadata, cells };
}

function serialize(nb) {
  return JSON.stringify(nb, null, 1) + '\n';
}

function main(argv) {
  const check = argv.includes('--check');
  let files = argv.filter((a) => a !== '--check');
  if (files.length === 0) {
    const dir = path.join(__dirname, '..', 'notebooks');
    files = fs.readdirSync(dir).filter((f) => f.endsWith('.ipynb')).sort().map((f) => path.join(dir, f));
  }
  const dirty = [];
  for (const file of files) {
    let nb;
    try {
      nb = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      console.error(`${file}: not a readable JSON notebook (${e.message})`);
      return 2;
    }
    if (!Array.isArray(nb.cells)) {
      console.error(`${file}: field "cells" must be an array`);
      return 2;
    }
    const before = fs.readFileSync(file, 'utf8');
    const after = serialize(strip(nb));
    if (JSON.stringify(JSON.parse(before)) === JSON.stringify(JSON.parse(after))) continue;
    dirty.push(file);
    if (!check) {
      const tmp = `${file}.${process.pid}.tmp`; // atomic: write beside, then rename
      fs.writeFileSync(tmp, after);
      fs.renameSync(tmp, file);
    }
  }
  if (check && dirty.length) {
    console.error(`notebooks with outputs (run: node scripts/strip-outputs.js):\n  ${dirty.join('\n  ')}`);
    return 1;
  }
  if (!check) for (const f of dirty) console.log(`stripped ${f}`);
  return 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
module.exports = { strip };
