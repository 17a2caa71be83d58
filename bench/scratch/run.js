#!/usr/bin/env node
// One epoch of document 001's per-sample 1024-16-16-10 net: digitlab (TypeScript) against a
// faithful numpy port of the document's listing (net001.py, run with Debian's /usr/bin/python3)
// on the same 1934 text digits, measured in one run and reported as a ratio.
//   node bench/scratch/run.js [--epochs N] [--rounds N] [--json]
// Needs the built library (npm run build). The ratio uses CPU time per epoch (process.cpuUsage
// and time.process_time), which other processes on a shared machine do not inflate; the
// wall-clock ratio is printed too.
'use strict';
const path = require('path');

function arg(name, dflt) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

const { benchTextDigitEpoch } = require(path.join(__dirname, '..', '..', 'dist', 'nn'));
const r = benchTextDigitEpoch({ epochs: arg('epochs', 3), rounds: arg('rounds', 2) });
if (process.argv.includes('--json')) {
  console.log(JSON.stringify(r));
} else {
  const med = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  const ms = (s) => `${(1000 * s).toFixed(1)} ms`;
  console.log(`one epoch, ${r.samples} samples, per-sample SGD (1024-16-16-10, lr 0.01)`);
  console.table([
    { implementation: 'digitlab lab.nn (TypeScript)', cpuPerEpoch: ms(med(r.tsEpochCpuSeconds)), wallPerEpoch: ms(med(r.tsEpochSeconds)) },
    { implementation: `numpy ${r.numpyVersion} port (${r.python})`, cpuPerEpoch: ms(med(r.numpyEpochCpuSeconds)), wallPerEpoch: ms(med(r.numpyEpochSeconds)) },
  ]);
  console.log(`speed-up (CPU time): ${r.speedup.toFixed(2)}x   (wall clock: ${r.wallSpeedup.toFixed(2)}x)   target: >= 5x`);
}
