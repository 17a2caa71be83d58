/**
 * The `benchmark` entry `npm run bench` (src/cli/bench.ts) times: document 001's default
 * MLPClassifier on all 1797 8x8 digits for round(samples / 1797) epochs, then predictions for
 * `inferSamples` rows — the same work bench/torch_peer.py gives scikit-learn.
 */
import { digits8x8 } from '../data/digits8x8';
import { MLPClassifier } from './mlp';
import { fromImageSet } from './matrix';
import { takeRows } from './split';
import { filterWarnings } from './warnings';

export const benchmark = {
  what: 'doc 001: sklearn-style MLPClassifier (src/sk), 64-100-10 relu, adam, on the 8x8 digits',
  batchSize: 200,
  samples: 1797 * 50,
  async run(samples: number, inferSamples: number): Promise<{ trainSeconds: number; samplesTrained: number; inferSeconds: number; inferred: number }> {
    const { X, y } = fromImageSet(digits8x8());
    const n = y.length;
    const epochs = Math.max(1, Math.round(samples / n));
    filterWarnings('ignore'); // a fixed epoch count is the point, as on sklearn's side
    try {
      const model = new MLPClassifier({ hiddenLayerSizes: [100], maxIter: epochs, randomState: 0 });
      model.fit(X, y);
      const rows = takeRows(X, Array.from({ length: inferSamples }, (_, i) => i % n));
      const t0 = performance.now();
      model.predict(rows);
      return { trainSeconds: model.fitSeconds, samplesTrained: model.nIter * n, inferSeconds: (performance.now() - t0) / 1000, inferred: inferSamples };
    } finally {
      filterWarnings('default');
    }
  },
};
