/**
 * `npm run predict -- --model out/models/<name> IMAGE…`: read the digits in each picture with a
 * saved tfjs model. Prints one line per image (digits and per-digit probabilities), or with
 * `--json` one JSON object per line: {"file", "digits", "probabilities"}. `--boxes DIR` also
 * writes each annotated picture there. Exit status 1 when any image could not be read.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { init } from '../engine';
import { readImage, loadModel, recognize } from '../handwriting';

const USAGE = 'usage: npm run predict -- --model DIR [--json] [--boxes OUTDIR] IMAGE...';

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { model: { type: 'string' }, json: { type: 'boolean' }, boxes: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (e) {
    console.error(`predict: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = args;
  if (values.help) { console.log(USAGE); return 0; }
  if (!values.model) { console.error(`predict: --model DIR is required (a folder with model.json)\n${USAGE}`); return 2; }
  if (positionals.length === 0) { console.error(`predict: no images given\n${USAGE}`); return 2; }
  await init({ quiet: true });
  const model = await loadModel(values.model);
  let failed = 0;
  for (const file of positionals) {
    try {
      const r = recognize(model, readImage(file), { name: file });
      const probs = r.probabilities.map((p) => p.map((v) => Number(v.toFixed(6))));
      if (values.json) {
        console.log(JSON.stringify({ file, digits: r.digits, probabilities: probs }));
      } else {
        const conf = r.probabilities.map((p, j) => `${r.digits[j]}:${Math.max(...p).toFixed(3)}`).join(' ');
        console.log(`${file}: ${r.digits}   (${conf})`);
        r.probabilities.forEach((p, j) => console.log(`  digit ${j + 1} [${p.map((v) => v.toFixed(3)).join(' ')}]`));
      }
      if (values.boxes) {
        fs.mkdirSync(values.boxes, { recursive: true });
        const out = path.join(values.boxes, `${path.parse(file).name}.boxes.png`);
        fs.writeFileSync(`${out}.tmp`, r.picture);
        fs.renameSync(`${out}.tmp`, out);
      }
    } catch (e) {
      failed++;
      const msg = (e as Error).message;
      if (values.json) console.log(JSON.stringify({ file, error: msg }));
      console.error(`predict: ${msg}`);
    }
  }
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e) => { console.error(`predict: ${(e as Error).message}`); process.exitCode = 1; },
);
