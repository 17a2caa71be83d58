// %% [markdown]
// # scikit-learn's MLPClassifier on the 8x8 digits (document 001, part 5)
//
// Besides its TensorFlow CNN, document 001 shows the shortest route to a digit recogniser:
// scikit-learn's `load_digits()` (1797 images of 8x8 pixels, each pixel 0–16) and an
// `MLPClassifier` with its defaults — **one hidden layer of 100 units, ReLU** — and invites the
// reader to change `hidden_layer_sizes` and `activation` and watch the result. With the
// defaults it scores **about 96%** on a held-out quarter of the data. The same document also
// lists a "simplified nearest-neighbour" recogniser, which we run beside it.
//
// `lab.sk` re-implements the estimator with scikit-learn's parameter names and semantics (Adam,
// batch 200, L2 alpha 1e-4, Glorot-uniform init, stop when the training loss stops improving by
// tol=1e-4 for 10 epochs, a ConvergenceWarning at max_iter). `bench/sklearn/` runs the real
// scikit-learn on the same splits for comparison.

// %% tags=["parameters"]
// (tslab note: cells below spell out `{ name: name }`; tslab does not rewrite shorthand
// properties that refer to variables of other cells.)
import * as lab from 'digitlab';
lab.plot.init(); // embeds plotly.js once, in this cell's output

let quick = lab.notebook.quickMode(); // `npm run notebooks -- --quick`: fewer sweep settings
let hiddenLayerSizes = [100]; // sklearn default (document: "100 hidden neurons by default")
let activation: lab.sk.Activation = 'relu'; // sklearn default (document: relu)
let maxIter = 200; // sklearn default
let testSize = 0.25; // sklearn train_test_split's default
let seed = 0; // random_state of the split and of the network
let nNeighbors = 5; // k of the nearest-neighbour recogniser (sklearn default)
let sweepSizes: number[][] = quick ? [[10], [100]] : [[10], [50], [100], [200], [100, 50]];
let sweepActivations: lab.sk.Activation[] = quick ? ['relu', 'logistic'] : ['relu', 'logistic', 'tanh', 'identity'];

// %% [markdown]
// ## The data
//
// `lab.data.digits8x8()` holds the same 1797 images in the same order as `load_digits()`.
// Like `digits.data`, `X` keeps the raw 0–16 values (one row of 64 pixels per image).

// %%
lab.seed(seed);
const digits = lab.data.digits8x8();
const { X, y } = lab.sk.fromImageSet(digits);
console.log(`${digits.length} images of ${digits.shape[1]}x${digits.shape[2]}, values 0–${digits.maxValue}; per class:`, digits.classCounts().join(' '));
lab.plot.imageGrid(digits.take(36), { cols: 6, title: 'The first 36 digits' });

// %% [markdown]
// ## MLPClassifier with its defaults
//
// A stratified 75/25 split (`train_test_split(X, y, stratify=y, random_state=seed)`), then
// `MLPClassifier(random_state=seed).fit(X_train, y_train)`.

// %%
const split = lab.sk.trainTestSplit(X, y, { testSize: testSize, stratify: true, randomState: seed });
const mlp = new lab.sk.MLPClassifier({ hiddenLayerSizes: hiddenLayerSizes, activation: activation, maxIter: maxIter, randomState: seed });
mlp.fit(split.XTrain, split.yTrain);
const mlpPred = mlp.predict(split.XTest);
const mlpAccuracy = lab.sk.accuracyScore(split.yTest, mlpPred);
console.log(`${split.yTrain.length} training / ${split.yTest.length} test images`);
console.log(`fit: ${mlp.nIter} epochs in ${mlp.fitSeconds.toFixed(3)} s, final training loss ${mlp.loss.toFixed(4)}, ` +
  `${mlp.converged ? 'converged (tol reached)' : 'stopped at max_iter'}`);
console.log(`test accuracy: ${(100 * mlpAccuracy).toFixed(2)}%`);

// %% [markdown]
// ### Which digits get confused, and how they look

// %%
lab.plot.confusionMatrix(split.yTest, mlpPred, { title: `MLPClassifier, test accuracy ${(100 * mlpAccuracy).toFixed(1)}%` });

// %%
const wrong = mlpPred.map((p, i) => (p !== split.yTest[i] ? i : -1)).filter((i) => i >= 0);
console.log(`${wrong.length} misclassified test digits (caption: true→predicted)`);
lab.plot.imageGrid(digits.subset(wrong.map((i) => split.testIndex[i])), {
  predictions: wrong.map((i) => mlpPred[i]),
  cols: Math.min(10, Math.max(1, wrong.length)),
  title: 'Misclassified test digits',
});

// %% [markdown]
// ### The loss curve (`loss_curve_`)
//
// The training loss per epoch: mean log-loss plus the L2 term alpha/2/n·‖W‖². Training stops
// once it has not improved by tol for n_iter_no_change = 10 epochs in a row.

// %%
lab.plot.lines({
  series: [{ name: 'training loss', y: mlp.lossCurve }],
  title: 'MLPClassifier loss curve',
  xLabel: 'epoch',
  yLabel: 'loss',
  logY: true,
});

// %% [markdown]
// ## Changing `hidden_layer_sizes` and `activation`
//
// The document's suggestion: try other sizes and activation functions. Each setting is fitted
// on the same split with the same random_state.

// %%
interface SweepRow { sizes: string; activation: string; accuracy: number; epochs: number; seconds: number }
const sweep: SweepRow[] = [];
lab.sk.filterWarnings('ignore'); // the identity/logistic nets may hit max_iter; the table shows epochs
for (const act of sweepActivations) {
  for (const sizes of sweepSizes) {
    const m = new lab.sk.MLPClassifier({ hiddenLayerSizes: sizes, activation: act, maxIter: maxIter, randomState: seed });
    m.fit(split.XTrain, split.yTrain);
    sweep.push({ sizes: `(${sizes.join(', ')})`, activation: act, accuracy: m.score(split.XTest, split.yTest), epochs: m.nIter, seconds: m.fitSeconds });
  }
}
lab.sk.filterWarnings('default');
lab.notebook.displayData({
  'text/markdown': ['| hidden_layer_sizes | activation | test accuracy | epochs | fit (s) |', '| --- | --- | --- | --- | --- |',
    ...sweep.map((r) => `| ${r.sizes} | ${r.activation} | ${(100 * r.accuracy).toFixed(2)}% | ${r.epochs} | ${r.seconds.toFixed(2)} |`)].join('\n'),
  'text/plain': sweep.map((r) => `${r.sizes} ${r.activation}: ${(100 * r.accuracy).toFixed(2)}% (${r.epochs} epochs)`).join('\n'),
});
lab.plot.lines({
  series: sweepActivations.map((act) => ({
    name: act,
    x: sweepSizes.map((_, i) => i),
    y: sweep.filter((r) => r.activation === act).map((r) => r.accuracy),
    mode: 'lines+markers' as const,
  })),
  title: `Test accuracy by hidden layers (x: ${sweepSizes.map((s, i) => `${i} = (${s.join(', ')})`).join(', ')})`,
  xLabel: 'hidden_layer_sizes setting',
  yLabel: 'test accuracy',
});

// %% [markdown]
// ## The nearest-neighbour recogniser
//
// No training at all: a test digit takes the majority label of its k closest training digits
// (euclidean distance over the 64 pixels).

// %%
const knn = new lab.sk.KNeighborsClassifier({ nNeighbors: nNeighbors }).fit(split.XTrain, split.yTrain);
const knnAccuracy = knn.score(split.XTest, split.yTest);
console.log(`k-nearest neighbours (k = ${nNeighbors}): test accuracy ${(100 * knnAccuracy).toFixed(2)}%`);

// %% [markdown]
// ## Summary
//
// `node bench/sklearn/run.js` fits scikit-learn's own MLPClassifier on the same split indices
// (seeds 0–4) and saves its scores in `bench/sklearn/results.json`; when that file is there, the
// table shows scikit-learn's score on this notebook's split (seed 0–4 only) too.

// %%
import * as fs from 'fs';
interface BenchRow { activation: string; seed: number; sklearnAccuracy: number }
const benchFile = '../bench/sklearn/results.json';
const sklearnRow = fs.existsSync(benchFile) && testSize === 0.25 && activation === 'relu' && String(hiddenLayerSizes) === '100'
  ? (JSON.parse(fs.readFileSync(benchFile, 'utf8')).rows as BenchRow[]).find((r) => r.activation === 'relu' && r.seed === seed)
  : undefined;
lab.notebook.displayData({
  'text/markdown': [
    '| recogniser | document | scikit-learn, same split | this notebook |',
    '| --- | --- | --- | --- |',
    `| MLPClassifier defaults (100 relu) | about 96% (scikit-learn) | ${sklearnRow ? (100 * sklearnRow.sklearnAccuracy).toFixed(2) + '%' : '–'} | ${(100 * mlpAccuracy).toFixed(2)}% |`,
    `| nearest neighbours (k = ${nNeighbors}) | listed, no figure | – | ${(100 * knnAccuracy).toFixed(2)}% |`,
  ].join('\n'),
  'text/plain': `MLP ${(100 * mlpAccuracy).toFixed(2)}% (document ~96%), kNN ${(100 * knnAccuracy).toFixed(2)}%`,
});
const figures = lab.report({ mlpTestAccuracy: mlpAccuracy, knnTestAccuracy: knnAccuracy, fitSeconds: mlp.fitSeconds });
