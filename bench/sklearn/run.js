#!/usr/bin/env node
// Our MLPClassifier vs scikit-learn's on the same five stratified 75/25 splits of the 8x8
// digits (needs the built dist/: `npx tsc -p .`). Writes bench/sklearn/results.json and
// prints the table.   node bench/sklearn/run.js [--seeds 0,1,2,3,4] [--activations relu,logistic]
//   [--sklearn-threads 1] [--out file.json]   (OPENBLAS_NUM_THREADS for sklearn; default OpenBLAS's choice)
'use strict';
const fs = require('fs');
const path = require('path');
const { compareWithSklearn, formatComparison } = require('../../dist/sk/compare');

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const seeds = arg('--seeds', '0,1,2,3,4').split(',').map(Number);
const activations = arg('--activations', 'relu,logistic').split(',');
const threads = arg('--sklearn-threads', '');
const result = compareWithSklearn({ seeds, activations, sklearnThreads: threads ? Number(threads) : undefined });
console.log(formatComparison(result));
const out = path.resolve(arg('--out', path.join(__dirname, 'results.json')));
fs.writeFileSync(out + '.tmp', JSON.stringify({ date: new Date().toISOString(), loadAverage: require('os').loadavg(), sklearnThreads: threads || 'default', ...result }, null, 1) + '\n');
fs.renameSync(out + '.tmp', out);
console.log(`\nwrote ${out}`);
