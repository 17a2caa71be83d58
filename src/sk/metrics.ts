/** sklearn.metrics' accuracy_score and confusion_matrix. */

function sameLength(a: ArrayLike<number>, b: ArrayLike<number>, who: string): void {
  if (a.length !== b.length) throw new Error(`${who}: yTrue has ${a.length} labels, yPred ${b.length}; expected the same number`);
  if (a.length === 0) throw new Error(`${who}: no labels given`);
}

/** Fraction of equal labels. */
export function accuracyScore(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  sameLength(yTrue, yPred, 'accuracyScore');
  let ok = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) ok++;
  return ok / yTrue.length;
}

/**
 * Counts C[i][j] of samples of true class labels[i] predicted as labels[j]; labels default to
 * the sorted union of both arrays.
 */
export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, labels?: number[]): number[][] {
  sameLength(yTrue, yPred, 'confusionMatrix');
  const ls = labels ?? [...new Set([...Array.from(yTrue), ...Array.from(yPred)])].sort((a, b) => a - b);
  const index = new Map(ls.map((l, i) => [l, i]));
  const C = ls.map(() => new Array<number>(ls.length).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    const a = index.get(yTrue[i]);
    const b = index.get(yPred[i]);
    if (a !== undefined && b !== undefined) C[a][b]++;
  }
  return C;
}
