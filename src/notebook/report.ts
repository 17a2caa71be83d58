/**
 * `lab.report({ testAccuracy })`: a notebook's headline figures. Inside a kernel they are sent as
 * a display_data output of MIME type REPORT_MIME (with a readable text/plain table); the runner
 * collects these from the executed notebook into out/notebooks/results.json. Outside a kernel the
 * figures are returned and kept in memory (`reported()`).
 */
import { displayData } from './display';

export const REPORT_MIME = 'application/vnd.digitlab.report+json';

/** Headline figures of a notebook: metric name → number. */
export type Report = Record<string, number>;

const collected: Report = {};

export function report(figures: Report): Report {
  for (const [k, v] of Object.entries(figures)) {
    if (typeof v !== 'number' || Number.isNaN(v)) {
      throw new Error(`report: figure "${k}" must be a number, got ${String(v)}`);
    }
    collected[k] = v;
  }
  const text = Object.entries(figures)
    .map(([k, v]) => `${k}: ${Number.isInteger(v) ? v : v.toPrecision(4)}`)
    .join('\n');
  displayData({ [REPORT_MIME]: { ...figures }, 'text/plain': text });
  return { ...figures };
}

/** Everything reported in this process so far. */
export function reported(): Report {
  return { ...collected };
}
