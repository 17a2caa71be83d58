/**
 * scikit-learn-style warnings (ConvergenceWarning and friends): printed once per event with
 * console.warn (stderr in a notebook) unless filtered, and kept on the estimator.
 */
let mode: 'default' | 'ignore' = 'default';

/** Like Python's `warnings.filterwarnings('ignore')` for this library's estimators. */
export function filterWarnings(action: 'default' | 'ignore'): void {
  if (action !== 'default' && action !== 'ignore') {
    throw new Error(`filterWarnings: action must be 'default' or 'ignore', got ${JSON.stringify(action)}`);
  }
  mode = action;
}

export function warn(category: string, message: string): void {
  if (mode === 'ignore') return;
  console.warn(`${category}: ${message}`);
}
