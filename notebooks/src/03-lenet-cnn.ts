// %% [markdown]
// # A LeNet-style CNN that reads handwritten digits (document 001)
//
// Document 001 builds a small "recognition system": it explains LeNet-5, trains an improved
// LeNet on MNIST with TensorFlow (about **99.2%** on the test set), looks at the mistakes,
// wraps the trained network in a GUI that reads a digit drawn by hand, and finally trains the
// very same network, unchanged, on the notMNIST letters A–J (about **96%**).
// This notebook walks the same path in TypeScript with tfjs.
//
// The first cell holds every hyperparameter of the document. Edit one and re-run the cells below.

// %% tags=["parameters"]
import * as lab from 'digitlab';
import * as tf from '@tensorflow/tfjs';
lab.plot.init(); // embeds plotly.js once, in this cell's output

let quick = lab.notebook.quickMode(); // `npm run notebooks -- --quick`: same code, smaller budgets
let iterations = quick ? 300 : 10000; // optimisation steps on MNIST (document: 10,000)
let batchSize = 50; // images per step (document: 50)
let learningRate = 1e-4; // Adam's step size (document: 1e-4)
let dropoutRate = 0.5; // the document keeps half the units while training (keep_prob 0.5)
let printEvery = 100; // report training accuracy every 100 steps, as the document does
let testBatchSize = 256; // the document evaluates the test set 256 images at a time
let notmnistIterations = quick ? 300 : 2000; // the same network on 8,000 letters: 12.5 passes (the document: ~8 passes over 60,000)
let seed = 1;

// %%
const engine = await lab.engine.init();
lab.seed(seed);

// %% [markdown]
// ## LeNet-5, layer by layer
//
// LeNet-5 (LeCun et al., 1998) takes a 32×32 image. **C1** convolves it with six 5×5 filters into
// six 28×28 feature maps; **S2** halves each map by pooling 2×2 blocks; **C3** convolves again into
// sixteen 10×10 maps; **S4** pools them to 5×5; **C5** has 120 units each looking at all sixteen
// 5×5 maps (a convolution that covers its whole input, so in effect fully connected);
// **F6** has 84 units; the output layer has ten.
//
// We build it as a tfjs model and compare each layer's parameter count with the document's.

// %%
function buildLeNet5(): tf.Sequential {
  return tf.sequential({
    name: 'lenet5',
    layers: [
      tf.layers.conv2d({ name: 'C1', inputShape: [32, 32, 1], filters: 6, kernelSize: 5, activation: 'tanh' }),
      tf.layers.averagePooling2d({ name: 'S2', poolSize: 2 }),
      tf.layers.conv2d({ name: 'C3', filters: 16, kernelSize: 5, activation: 'tanh' }),
      tf.layers.averagePooling2d({ name: 'S4', poolSize: 2 }),
      tf.layers.conv2d({ name: 'C5', filters: 120, kernelSize: 5, activation: 'tanh' }),
      tf.layers.flatten({ name: 'flatten' }),
      tf.layers.dense({ name: 'F6', units: 84, activation: 'tanh' }),
      tf.layers.dense({ name: 'output', units: 10, activation: 'softmax' }),
    ],
  });
}
const lenet5 = buildLeNet5();
lab.plot.summary(lenet5);

// %%
// The document's counts, and the connection table of C3 that gives 1516.
const c3Table = { '3 of S2': 6, '4 of S2 (contiguous)': 6, '4 of S2 (not contiguous)': 3, 'all 6 of S2': 1 };
const c3Partial = 6 * (3 * 25 + 1) + 9 * (4 * 25 + 1) + 1 * (6 * 25 + 1);
const lenetCounts = ['C1', 'C3', 'C5', 'F6'].map((name) => ({
  layer: name,
  ours: lenet5.getLayer(name).countParams(),
  document: { C1: 156, C3: 1516, C5: 48120, F6: 10164 }[name]!,
}));
console.table(lenetCounts);
console.log('C3 connection table (maps of C3 → how many S2 maps each reads):', c3Table, '→', c3Partial, 'parameters');

// %% [markdown]
// C1, C5 and F6 match. C3 does not, and should not: our C3 connects every one of its sixteen maps
// to all six maps of S2, giving 16 × (6·25 + 1) = 2416 parameters. LeNet-5 broke that symmetry on
// purpose with a sparse connection table (six maps read three S2 maps, nine read four, one reads
// all six), which cost fewer connections on 1998 hardware and forced the maps to learn different
// features: 6·(3·25+1) + 9·(4·25+1) + 1·(6·25+1) = 1516. Modern frameworks use full connections
// and let random initialisation break the symmetry. (S2 and S4 in the original also had a
// trainable coefficient and bias per map, 12 and 32 parameters; plain average pooling has none.)

// %% [markdown]
// ## The document's network: an "improved LeNet"
//
// The author's TensorFlow network works on 28×28 MNIST images directly:
// convolution 5×5×32 (SAME padding, ReLU) → max-pool 2×2 → convolution 5×5×64 (SAME, ReLU) →
// max-pool 2×2 → fully connected 7·7·64 → 1024 (ReLU) → dropout (keep 0.5 while training) →
// fully connected 1024 → 10 → softmax. Weights start from a truncated normal with standard
// deviation 0.05 and biases at 0.1. Adam with a learning rate of 1e-4 trains it on batches of 50.

// %%
const { train, test } = lab.data.mnist();
console.log(`training images ${train.shape}, test images ${test.shape}`);
lab.plot.imageGrid(train.take(16), { cols: 8 });

// %%
function buildNet(numClasses = 10): tf.Sequential {
  const w = () => tf.initializers.truncatedNormal({ stddev: 0.05 });
  const b = () => tf.initializers.constant({ value: 0.1 });
  return tf.sequential({
    name: 'improved_lenet',
    layers: [
      tf.layers.conv2d({ name: 'conv1', inputShape: [28, 28, 1], filters: 32, kernelSize: 5, padding: 'same', activation: 'relu', kernelInitializer: w(), biasInitializer: b() }),
      tf.layers.maxPooling2d({ name: 'pool1', poolSize: 2, padding: 'same' }),
      tf.layers.conv2d({ name: 'conv2', filters: 64, kernelSize: 5, padding: 'same', activation: 'relu', kernelInitializer: w(), biasInitializer: b() }),
      tf.layers.maxPooling2d({ name: 'pool2', poolSize: 2, padding: 'same' }),
      tf.layers.flatten({ name: 'flatten' }),
      tf.layers.dense({ name: 'fc1', units: 1024, activation: 'relu', kernelInitializer: w(), biasInitializer: b() }),
      tf.layers.dropout({ name: 'dropout', rate: dropoutRate }),
      // The document initialises this layer's biases with new_weights too (truncated normal).
      tf.layers.dense({ name: 'fc2', units: numClasses, activation: 'softmax', kernelInitializer: w(), biasInitializer: w() }),
    ],
  });
}
lab.seed(seed);
const net = buildNet();
net.compile({ optimizer: tf.train.adam(learningRate), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
lab.plot.summary(net);

// %% [markdown]
// ## Training: 10,000 steps of 50 images
//
// Each step takes the next 50 images of a shuffled pass over the training set (TensorFlow's
// `next_batch`), runs one Adam update with dropout on, and every 100 steps measures the accuracy
// on that batch with dropout off, as the document prints it. The curve below redraws as it trains.

// %%
interface TrainResult { seconds: number; images: number; log: { step: number; acc: number; loss: number }[] }

async function trainNet(model: tf.Sequential, data: lab.data.ImageSet, steps: number, title: string): Promise<TrainResult> {
  const curve = lab.plot.liveCurve({ title, totalSteps: steps, batchSize: batchSize, xLabel: 'iteration' });
  const stream = lab.data.endlessBatches(data.length, batchSize, seed);
  const log: TrainResult['log'] = [];
  const start = performance.now();
  for (let i = 0; i < steps; i++) {
    const { x, y } = data.batch(stream.next().value!, { channels: true });
    const [loss] = (await model.trainOnBatch(x, y)) as number[];
    if (i % printEvery === 0 || i === steps - 1) {
      // Training accuracy on this batch with dropout off (predict runs in inference mode).
      const acc = tf.tidy(() => (model.predict(x) as tf.Tensor).argMax(1).equal(y.argMax(1)).mean().dataSync()[0]);
      log.push({ step: i + 1, acc, loss });
      await curve.update({ step: i + 1, loss, acc });
      console.log(`Optimization Iteration: ${String(i + 1).padStart(6)}, Training Accuracy: ${(acc * 100).toFixed(1).padStart(5)}%`);
    }
    tf.dispose([x, y]);
  }
  const seconds = (performance.now() - start) / 1000;
  curve.done();
  console.log(`Time usage: ${seconds.toFixed(1)} s (${((seconds * 1000) / (steps * batchSize)).toFixed(2)} ms per image)`);
  return { seconds, images: steps * batchSize, log };
}

const mnistRun = await trainNet(net, train, iterations, 'improved LeNet on MNIST');

// %% [markdown]
// ## Test accuracy, 256 images at a time

// %%
// The document feeds the test set 256 images at a time and compares argmax with the labels.
function predictClasses(model: tf.LayersModel, data: lab.data.ImageSet): Int32Array {
  const x = data.x({ channels: true });
  const pred = lab.train.predictClasses(model, x, testBatchSize);
  x.dispose();
  return pred;
}

const mnistPred = predictClasses(net, test);
const mnistCorrect = mnistPred.reduce((n, p, i) => n + (p === test.labels[i] ? 1 : 0), 0);
const mnistTestAccuracy = mnistCorrect / test.length;
console.log(`Accuracy on Test-Set: ${(mnistTestAccuracy * 100).toFixed(1)}% (${mnistCorrect}/${test.length})`);

// %% [markdown]
// ## Where it goes wrong
// The misclassified test digits (true label, then the network's guess), and the confusion matrix:
// row = true digit, column = predicted digit.

// %%
const wrong = Array.from(mnistPred.keys()).filter((i) => mnistPred[i] !== test.labels[i]);
const wrongSet = test.subset(wrong.slice(0, 32));
lab.plot.imageGrid(wrongSet, { labels: wrongSet.labels, predictions: wrong.slice(0, 32).map((i) => mnistPred[i]), cols: 8 });

// %%
lab.plot.confusionMatrix(test.labels, mnistPred, { classNames: test.classNames });

// %% [markdown]
// ## What the first layer learned
// The 32 filters of `conv1`, and what they make of one test digit.

// %%
lab.plot.filters(net.getLayer('conv1'));

// %%
const firstDigit = test.take(1).x({ channels: true });
lab.plot.featureMaps(net, 'conv1', firstDigit);
firstDigit.dispose();

// %% [markdown]
// ## The recognition system
// The document saves the trained parameters and wraps them in a GUI. Here the model is saved in
// tfjs's format (model.json + weights) and as a Keras `.h5` under `out/models/`, loaded back
// into a fresh variable, and used to read digits: a strip of handwriting, and a drawing pad
// that runs the saved weights in the page itself.

// %%
const modelDir = lab.outPath('models', 'lenet-mnist');
await net.save(lab.io.fileHandler(modelDir));
await lab.io.saveKerasH5(net, lab.outPath('models', 'lenet-mnist.h5'));
const reloaded = await tf.loadLayersModel(lab.io.fileHandler(modelDir));
const samePredictions = predictClasses(reloaded, test.take(512)).every((p, i) => p === mnistPred[i]);
console.log(`saved to ${modelDir} and reloaded: predictions identical on 512 test images: ${samePredictions}`);

// %%
// A strip of five test digits written dark on a light, uneven page (as a phone photo would be),
// read by the recognition system: segment into digits, MNIST-style preprocessing, predict each.
function makeStrip(digits: lab.data.ImageSet): lab.handwriting.GreyImage {
  const W = 44 * digits.length + 24, H = 64;
  const page = lab.handwriting.greyImage(W, H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) page.data[y * W + x] = 238 - (40 * x) / W - (10 * y) / H;
  for (let k = 0; k < digits.length; k++) {
    const img = digits.image(k);
    const ox = 12 + 44 * k + (k % 2) * 6, oy = 14 + (k % 3) * 6; // uneven spacing and baseline
    for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) {
      const i = (oy + y) * W + ox + x;
      page.data[i] = Math.min(page.data[i], 255 - img[y * 28 + x] * 0.85);
    }
  }
  return page;
}
const stripDigits = test.take(5);
const reading = lab.handwriting.recognize(reloaded, makeStrip(stripDigits));
console.log(`read "${reading.digits}"; the truth is "${Array.from(stripDigits.labels).join('')}"`);
lab.notebook.displayData({ 'image/png': Buffer.from(reading.picture).toString('base64'), 'text/plain': `<strip read as ${reading.digits}>` });

// %%
// Draw a digit: the page preprocesses it like MNIST and runs the saved network itself,
// with no round trip to the kernel (it keeps working in an HTML export).
lab.handwriting.pad(reloaded);

// %% [markdown]
// ## notMNIST: the same network on letters A–J
// The document's last experiment: no code changes, only the data. The shipped sample has 10,000
// letters; a seeded, stratified split keeps 8,000 for training and 2,000 for testing.

// %%
const letters = lab.data.notMnist({ seed: seed });
lab.plot.imageGrid(letters.train.take(16), { labels: letters.train.labels.subarray(0, 16), classNames: letters.train.classNames, cols: 8 });
lab.seed(seed);
const letterNet = buildNet(10);
letterNet.compile({ optimizer: tf.train.adam(learningRate), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
const letterRun = await trainNet(letterNet, letters.train, notmnistIterations, 'the same network on notMNIST');

// %%
const letterPred = predictClasses(letterNet, letters.test);
const notmnistTestAccuracy = letterPred.reduce((n, p, i) => n + (p === letters.test.labels[i] ? 1 : 0), 0) / letters.test.length;
console.log(`notMNIST test accuracy: ${(notmnistTestAccuracy * 100).toFixed(1)}%`);
const letterSample = letters.test.take(24);
lab.plot.imageGrid(letterSample, { labels: letterSample.labels, predictions: letterPred.subarray(0, 24), classNames: letters.test.classNames, cols: 8 });
await letterNet.save(lab.io.fileHandler(lab.outPath('models', 'lenet-notmnist')));

// %% [markdown]
// ## The document's figures beside ours

// %%
const secondsPer1000Images = (1000 * (mnistRun.seconds + letterRun.seconds)) / (mnistRun.images + letterRun.images);
lab.notebook.table([
  { experiment: 'improved LeNet, MNIST test accuracy', document: '99.2%', ours: `${(mnistTestAccuracy * 100).toFixed(2)}%`, budget: `${iterations} iterations × ${batchSize}` },
  { experiment: 'same network, notMNIST test accuracy', document: '~96%', ours: `${(notmnistTestAccuracy * 100).toFixed(2)}%`, budget: `${notmnistIterations} iterations × ${batchSize}` },
  { experiment: 'training time per 1000 images', document: '—', ours: `${secondsPer1000Images.toFixed(2)} s`, budget: engine.line },
]);
lab.report({ mnistTestAccuracy: mnistTestAccuracy, notmnistTestAccuracy: notmnistTestAccuracy, secondsPer1000Images: secondsPer1000Images });
