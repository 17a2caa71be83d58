/**
 * KNeighborsClassifier (euclidean, uniform vote): the document's "simplified nearest neighbour"
 * recogniser. Brute force over float64 rows, which for a few thousand 64-pixel digits takes
 * milliseconds; ties in the vote go to the smallest class label, as sklearn's argmax does.
 */
import { toMatrix, toLabels, type Matrix, type MatrixLike } from './matrix';

export class KNeighborsClassifier {
  readonly nNeighbors: number;
  classes: number[] = [];
  private X: Matrix | null = null;
  private y: Int32Array = new Int32Array(0);

  /** `nNeighbors` (sklearn's n_neighbors), default 5. */
  constructor(options: { nNeighbors?: number; n_neighbors?: number } = {}) {
    const k = options.nNeighbors ?? options.n_neighbors ?? 5;
    if (!Number.isInteger(k) || k < 1) throw new Error(`KNeighborsClassifier: nNeighbors must be a positive integer, got ${JSON.stringify(k)}`);
    this.nNeighbors = k;
  }

  fit(X: MatrixLike, y: ArrayLike<number>): this {
    const M = toMatrix(X, 'KNeighborsClassifier.fit');
    const labels = toLabels(y, M.rows, 'KNeighborsClassifier.fit');
    if (M.rows < this.nNeighbors) {
      throw new Error(`KNeighborsClassifier.fit: nNeighbors=${this.nNeighbors} but only ${M.rows} training samples`);
    }
    this.classes = [...new Set(labels)].sort((a, b) => a - b);
    const index = new Map(this.classes.map((c, i) => [c, i]));
    this.y = Int32Array.from(labels, (v) => index.get(v)!);
    this.X = M;
    return this;
  }

  /** Indices of the k nearest training rows of each query row, nearest first (kneighbors). */
  kneighbors(X: MatrixLike): Int32Array[] {
    const T = this.fitted('kneighbors');
    const Q = toMatrix(X, 'KNeighborsClassifier.kneighbors');
    if (Q.cols !== T.cols) throw new Error(`KNeighborsClassifier: X has ${Q.cols} features, but the classifier was fitted with ${T.cols}`);
    const k = this.nNeighbors;
    const out: Int32Array[] = [];
    const bestD = new Float64Array(k);
    const bestI = new Int32Array(k);
    for (let q = 0; q < Q.rows; q++) {
      bestD.fill(Infinity);
      bestI.fill(-1);
      const qo = q * Q.cols;
      for (let t = 0; t < T.rows; t++) {
        const to = t * T.cols;
        let d = 0;
        for (let j = 0; j < T.cols; j++) {
          const e = Q.data[qo + j] - T.data[to + j];
          d += e * e;
        }
        if (d >= bestD[k - 1]) continue;
        // Insertion into the sorted k-best list (k is small).
        let p = k - 1;
        while (p > 0 && bestD[p - 1] > d) {
          bestD[p] = bestD[p - 1];
          bestI[p] = bestI[p - 1];
          p--;
        }
        bestD[p] = d;
        bestI[p] = t;
      }
      out.push(bestI.slice());
    }
    return out;
  }

  predict(X: MatrixLike): number[] {
    const nc = this.classes.length;
    const votes = new Int32Array(nc);
    return this.kneighbors(X).map((nb) => {
      votes.fill(0);
      for (const t of nb) votes[this.y[t]]++;
      let best = 0;
      for (let c = 1; c < nc; c++) if (votes[c] > votes[best]) best = c;
      return this.classes[best];
    });
  }

  score(X: MatrixLike, y: ArrayLike<number>): number {
    const pred = this.predict(X);
    const truth = toLabels(y, pred.length, 'KNeighborsClassifier.score');
    return pred.filter((p, i) => p === truth[i]).length / pred.length;
  }

  private fitted(what: string): Matrix {
    if (!this.X) throw new Error(`KNeighborsClassifier.${what}: not fitted yet; call fit(X, y) first`);
    return this.X;
  }
}
