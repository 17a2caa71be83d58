// %% [markdown]
// # A training loop written by hand (document 002)
//
// `model.fit` hides the loop that trains a network. Document 002 (TensorFlow 2) writes it out:
// a model as a **class** whose `call` runs three dense layers, a `tf.data` pipeline that
// shuffles and batches MNIST, a loss computed from logits, and 2000 steps that each record the
// forward pass on a `GradientTape`, take the gradients and apply them with SGD. It prints loss and
// accuracy every 100 steps, then the test accuracy and one test image with its prediction.
// The document reports no final figure; the same model and loop in PyTorch reach about 96%.
//
// Here is the same program in TypeScript with tfjs, then the ideas the document explains along
// the way (ReLU, dense layers, MLPs, losses, dropout, batch normalisation, convolutions), each
// with a small cell to run.

// %% tags=["parameters"]
import * as lab from 'digitlab';
import * as tf from '@tensorflow/tfjs';
lab.plot.init(); // embeds plotly.js once, in this cell's output

let quick = lab.notebook.quickMode(); // `npm run notebooks -- --quick`: same code, smaller budgets
// MNIST dataset parameters.
let numClasses = 10; // digits 0–9
let numFeatures = 784; // 28*28 pixels
// Training parameters.
let learningRate = 0.1;
let trainingSteps = quick ? 300 : 2000; // document: 2000
let batchSize = 256;
let displayStep = 100;
let shuffleBuffer = 5000; // document: shuffle(5000)
// Network parameters.
let nHidden1 = 128; // 1st layer number of neurons
let nHidden2 = 256; // 2nd layer number of neurons
let seed = 42;

// %%
const engine = await lab.engine.init(); // prints which backend runs and why
lab.seed(seed); // weight initialisation repeats; the pipeline has its own seed below

// %% [markdown]
// ## Data
//
// Pixels become float32, flattened to 784 values and divided by 255. The labels stay integers
// 0–9 (no one-hot): the loss below takes class indices ("sparse" labels).

// %%
const { train, test } = lab.data.mnist();
const xTrain = train.x({ flatten: true }); // [60000, 784] in [0, 1]
const yTrain = train.y(); // int32 [60000]
const xTest = test.x({ flatten: true });
const yTest = test.y();
console.log('x_train', xTrain.shape, xTrain.dtype, '| y_train', yTrain.shape, yTrain.dtype);

// %% [markdown]
// ### The input pipeline
//
// The document writes
// `tf.data.Dataset.from_tensor_slices((x_train, y_train)).repeat().shuffle(5000).batch(256).prefetch(1)`:
// cycle through the data forever, draw each sample at random from a buffer of 5000, group 256
// into a batch, and prepare the next batch while the current one trains.
//
// tfjs has the same `tf.data` chain. `lab.train.pipeline` builds it with a **seeded** shuffle
// (tfjs's `shuffle(bufferSize, seed)`; without a seed it would use the clock), and it streams sample
// indices through the chain and gathers each batch from the two big tensors in one step,
// instead of holding 60,000 little tensors. The same seed gives the same batches:

// %%
const pipelineOptions = { repeat: true, shuffle: shuffleBuffer, batch: batchSize, prefetch: 1, seed: seed };
const trainData = lab.train.pipeline(xTrain, yTrain, pipelineOptions);

const firstLabels = async () => {
  const it = await lab.train.pipeline(xTrain, yTrain, { ...pipelineOptions, prefetch: 0 }).iterator();
  const { value } = await it.next();
  const labels = Array.from(value.ys.dataSync()).slice(0, 12);
  tf.dispose([value.xs, value.ys]);
  return labels;
};
console.log('first labels of batch 1, pipeline A:', (await firstLabels()).join(' '));
console.log('first labels of batch 1, pipeline B:', (await firstLabels()).join(' '), '(same seed, same order)');

// %% [markdown]
// ## The model as a class
//
// The document subclasses `keras.Model`: three `Dense` layers as fields and a `call(x, is_training)`
// that chains them. The output layer has no activation: it returns **logits**, raw scores.
// Softmax (which turns scores into probabilities) is applied only when *not* training, because
// the training loss applies softmax itself, in a numerically safer combined form.
//
// tfjs layers are objects you can `apply` to a tensor, so a plain TypeScript class does the same
// job. Its `trainableVariables` are what the optimizer updates.

// %%
class NeuralNet {
  // First fully-connected hidden layer.
  readonly fc1 = tf.layers.dense({ units: nHidden1, activation: 'relu' });
  // Second fully-connected hidden layer.
  readonly fc2 = tf.layers.dense({ units: nHidden2, activation: 'relu' });
  // Output layer: logits, no activation.
  readonly out = tf.layers.dense({ units: numClasses });

  /** Forward pass: logits while training, probabilities otherwise. */
  call(x: tf.Tensor, isTraining = false): tf.Tensor2D {
    return tf.tidy(() => {
      let h = this.fc1.apply(x) as tf.Tensor;
      h = this.fc2.apply(h) as tf.Tensor;
      h = this.out.apply(h) as tf.Tensor;
      // The loss expects logits, so softmax only outside training.
      return (isTraining ? h : tf.softmax(h)) as tf.Tensor2D;
    });
  }

  /** The weights and biases of all three layers (6 variables). */
  get trainableVariables(): tf.Variable[] {
    return [this.fc1, this.fc2, this.out].flatMap((layer) => lab.train.trainableVariables(layer));
  }
}

const neuralNet = new NeuralNet();
// Keras builds a layer's weights on the first call, when the input size is known; so does tfjs.
tf.dispose(neuralNet.call(tf.zeros([1, numFeatures])));
console.log(neuralNet.trainableVariables.map((v) => `${v.name} [${v.shape}]`).join('\n'));

// %% [markdown]
// ## Loss and accuracy
//
// `sparse_softmax_cross_entropy_with_logits(labels, logits)` computes, per image,
// −log softmax(logits)[label], and the document averages it over the batch. tfjs has only the
// one-hot form (`tf.losses.softmaxCrossEntropy`); `lab.train.sparseSoftmaxCrossEntropy` one-hot
// encodes the integer labels and calls it. Accuracy is the share of images whose largest score
// is at the true label.

// %%
function crossEntropyLoss(x: tf.Tensor, y: tf.Tensor): tf.Scalar {
  return lab.train.sparseSoftmaxCrossEntropy(y, x); // mean over the batch
}

function accuracy(yPred: tf.Tensor, yTrue: tf.Tensor): number {
  return lab.train.accuracy(yPred, yTrue); // mean(argmax(yPred) == yTrue)
}

// Before any training the network guesses: loss ≈ ln 10 ≈ 2.30, accuracy ≈ 0.1.
tf.tidy(() => {
  const logits = neuralNet.call(xTest.slice(0, 1000), true);
  console.log('untrained: loss', crossEntropyLoss(logits, yTest.slice(0, 1000)).dataSync()[0].toFixed(4), 'accuracy', accuracy(logits, yTest.slice(0, 1000)).toFixed(4));
});

// %% [markdown]
// ## One optimisation step
//
// In TensorFlow, `with tf.GradientTape() as g:` records the forward pass and `g.gradient(loss,
// variables)` differentiates it. tfjs folds both into `tf.variableGrads(f, variables)`: it runs
// `f`, records it, and returns the loss and the gradient for each variable. `applyGradients`
// then does what the document's `optimizer.apply_gradients(zip(gradients, variables))` does;
// for SGD, w ← w − 0.1 · gradient.
//
// Everything the step makes (activations, gradients, the loss) is freed before it returns:
// tfjs tensors are not garbage-collected, so a loop that forgets one leaks memory every step.

// %%
const optimizer = tf.train.sgd(learningRate);
const trainableVariables = neuralNet.trainableVariables;

function runOptimization(x: tf.Tensor, y: tf.Tensor): void {
  // Forward pass and loss, recorded for differentiation (the GradientTape block).
  const { value, grads } = tf.variableGrads(() => {
    const pred = neuralNet.call(x, true);
    return crossEntropyLoss(pred, y);
  }, trainableVariables);
  // Update W and b following the gradients.
  optimizer.applyGradients(grads);
  // Free the loss and the gradients.
  value.dispose();
  tf.dispose(Object.values(grads));
}

// %% [markdown]
// ## Training: `for step, (batch_x, batch_y) in enumerate(train_data.take(training_steps), 1)`
//
// Every `displayStep` steps: recompute loss and accuracy on the current batch, print them, add
// them to the live curve, and count the live tensors (`tf.memory().numTensors`). A loop that
// frees everything it makes keeps that number flat.

// %%
// The curve's progress line counts its updates, one per printout: hence totalSteps in printouts.
const curve = lab.plot.liveCurve({
  title: `784-${nHidden1}-${nHidden2}-10, SGD ${learningRate}`,
  totalSteps: Math.floor(trainingSteps / displayStep),
});
const meter = lab.train.leakMeter();
const started = performance.now();
await lab.train.forEachBatch(trainData, trainingSteps, async (batch, step) => {
  // Run the optimization to update W and b values.
  runOptimization(batch.xs, batch.ys);
  if (step % displayStep === 0) {
    const pred = neuralNet.call(batch.xs, true);
    const lossT = crossEntropyLoss(pred, batch.ys);
    const loss = lossT.dataSync()[0];
    const acc = accuracy(pred, batch.ys);
    tf.dispose([pred, lossT]);
    console.log(`step: ${step}, loss: ${loss.toFixed(6)}, accuracy: ${acc.toFixed(6)}`);
    meter.sample(step);
    await curve.update({ step: step, loss: loss, acc: acc, samples: displayStep * batchSize });
  }
});
const trainSeconds = (performance.now() - started) / 1000;
curve.done();
const stepsPerSecond = trainingSteps / trainSeconds;
console.log(`${trainingSteps} steps in ${trainSeconds.toFixed(1)} s: ${stepsPerSecond.toFixed(1)} steps/s on ${engine.backend}`);

// %% [markdown]
// The live tensors at each printout, and the leak per step between the first and the last:

// %%
const tensorsLeakedPerStep = meter.leakedPerStep();
console.log('step       ', meter.samples.map((s) => String(s.step).padStart(5)).join(''));
console.log('numTensors ', meter.samples.map((s) => String(s.numTensors).padStart(5)).join(''));
console.log(`tensors leaked per step: ${tensorsLeakedPerStep}`);

// %% [markdown]
// ## Test accuracy
//
// The whole test set in one forward pass, not training, so `call` returns probabilities.

// %%
const testPred = neuralNet.call(xTest, false);
const testAccuracy = accuracy(testPred, yTest);
testPred.dispose();
console.log(`Test Accuracy: ${testAccuracy.toFixed(6)}`);

// %% [markdown]
// ## One test image and the model's answer
//
// The document shows the first test image and prints the model's prediction. The bars show all
// ten probabilities (the true class in green).

// %%
const nImages = 1;
const testImages = xTest.slice(0, nImages);
const predictions = neuralNet.call(testImages);
const predicted = Array.from(predictions.argMax(1).dataSync());
lab.plot.imageGrid(test.take(nImages), { predictions: predicted, scale: 6 });
for (let i = 0; i < nImages; i++) console.log(`Model prediction: ${predicted[i]}`);
lab.plot.probabilities(predictions.slice(0, 1).reshape([numClasses]), { label: test.labels[0] });
tf.dispose([testImages, predictions]);

// %%
lab.report({ testAccuracy: testAccuracy, stepsPerSecond: stepsPerSecond, tensorsLeakedPerStep: tensorsLeakedPerStep });
console.log(engine.line);

// %% [markdown]
// ## The ideas behind the program
//
// The second half of the document collects notes on the pieces used above. Here they are in
// short, each with a cell to run.
//
// ### ReLU
//
// The rectified linear unit passes positive inputs unchanged and turns negative ones into 0:
// relu(z) = max(0, z). It is cheap, and its slope is exactly 1 wherever it is active, so
// gradients do not shrink as they pass back through many layers. Sigmoid and tanh flatten out
// at both ends, where their slope, and so the gradient, is nearly 0 (the "vanishing gradient").
// Units whose input stays negative output 0 and learn nothing; leaky ReLU keeps a small slope
// there (0.01·z) to avoid such dead units.

// %%
const zs = Array.from({ length: 101 }, (_, i) => -5 + i / 10);
const z = tf.tensor1d(zs);
lab.plot.lines({
  title: 'activation functions',
  xLabel: 'z',
  series: [
    { name: 'relu', x: zs, y: tf.relu(z).dataSync() },
    { name: 'leaky relu (0.1 for show)', x: zs, y: tf.leakyRelu(z, 0.1).dataSync(), dash: 'dot' },
    { name: 'sigmoid', x: zs, y: tf.sigmoid(z).dataSync() },
    { name: 'tanh', x: zs, y: tf.tanh(z).dataSync() },
  ],
});
console.log('relu([-2, -1, 0, 1, 2]) =', Array.from(tf.relu(tf.tensor1d([-2, -1, 0, 1, 2])).dataSync()));
z.dispose();

// %% [markdown]
// ### Dense
//
// A dense (fully connected) layer computes `activation(dot(input, kernel) + bias)`: every output
// unit is a weighted sum of *all* inputs plus its own offset. The cell checks that a tfjs dense
// layer is exactly that formula.

// %%
tf.tidy(() => {
  const dense = tf.layers.dense({ units: 3, activation: 'relu' });
  const input = tf.tensor2d([[1, 2, 3, 4]]);
  const byLayer = dense.apply(input) as tf.Tensor;
  const [kernel, bias] = dense.getWeights(); // kernel [4, 3], bias [3]
  const byHand = tf.relu(tf.matMul(input, kernel).add(bias));
  console.log('layer   ', Array.from(byLayer.dataSync()).map((v) => v.toFixed(5)));
  console.log('by hand ', Array.from(byHand.dataSync()).map((v) => v.toFixed(5)));
});

// %% [markdown]
// ### Multi-layer perceptron
//
// Stacking dense layers gives a multi-layer perceptron, a *feed-forward* network: signals flow
// from input to output with no loops. A single layer (a perceptron) can only separate classes
// with a straight line (a hyperplane). Hidden layers help only because of their non-linear
// activation: two linear layers in a row are one linear layer, since x·W1·W2 = x·(W1·W2).

// %%
tf.tidy(() => {
  const x = tf.randomNormal([5, 4], 0, 1, 'float32', 1);
  const w1 = tf.randomNormal([4, 6], 0, 1, 'float32', 2);
  const w2 = tf.randomNormal([6, 3], 0, 1, 'float32', 3);
  const twoLinear = x.matMul(w1).matMul(w2);
  const oneLinear = x.matMul(w1.matMul(w2));
  const withRelu = tf.relu(x.matMul(w1)).matMul(w2);
  console.log('two linear layers vs one merged layer, largest difference:', twoLinear.sub(oneLinear).abs().max().dataSync()[0].toExponential(1));
  console.log('with a relu between them, largest difference:             ', withRelu.sub(oneLinear).abs().max().dataSync()[0].toFixed(3));
});

// %% [markdown]
// ### Loss functions
//
// A loss turns "how wrong is the network" into one number to minimise. Mean squared error
// averages (prediction − target)² and suits continuous outputs. For classes, cross-entropy
// −log p(true class) is the usual choice: it grows without bound as the network becomes
// confidently wrong, so the gradient stays strong exactly where the network is most wrong,
// while squared error on probabilities is at most 1 per class and gives weak gradients there.

// %%
tf.tidy(() => {
  const target = tf.tensor2d([[0, 0, 1]]); // true class 2
  const rows = [
    ['confident and right', [0.05, 0.05, 0.9]],
    ['unsure', [0.3, 0.3, 0.4]],
    ['confident and wrong', [0.9, 0.09, 0.01]],
  ] as const;
  console.table(
    rows.map(([what, p]) => {
      const probs = tf.tensor2d([[...p]]);
      return {
        prediction: what,
        'p(true class)': p[2],
        'squared error': tf.losses.meanSquaredError(target, probs).dataSync()[0].toFixed(3),
        'cross-entropy': (-Math.log(p[2])).toFixed(3),
      };
    }),
  );
});

// %% [markdown]
// ### Dropout
//
// Dropout switches off a random share of units at every training step (rate 0.5: half of them),
// so no unit can rely on a particular other one: the network behaves like an average of many
// thinner networks, which reduces overfitting. The kept units are scaled by 1/(1 − rate) so the
// expected sum is unchanged; at test time dropout does nothing.

// %%
tf.tidy(() => {
  const dropout = tf.layers.dropout({ rate: 0.5, seed: seed });
  const ones = tf.ones([2, 10]);
  console.log('training:\n' + ((dropout.apply(ones, { training: true }) as tf.Tensor).arraySync() as number[][]).map((r) => r.join(' ')).join('\n'));
  console.log('inference:\n' + ((dropout.apply(ones, { training: false }) as tf.Tensor).arraySync() as number[][]).map((r) => r.join(' ')).join('\n'));
});

// %% [markdown]
// ### Batch normalisation
//
// Batch normalisation rescales each feature, over the current batch, to mean 0 and standard
// deviation 1, then applies a learned scale (γ) and shift (β). Layers then see inputs on a steady
// scale whatever the layers before them do, which allows larger learning rates and faster
// training. At test time it uses running averages of the batch statistics instead.

// %%
tf.tidy(() => {
  const features = tf.randomNormal([256, 3], 0, 1, 'float32', 7).mul([1, 10, 100]).add([5, -20, 300]);
  const bn = tf.layers.batchNormalization();
  const normed = bn.apply(features, { training: true }) as tf.Tensor;
  const stats = (t: tf.Tensor) => {
    const { mean, variance } = tf.moments(t, 0);
    return `mean ${Array.from(mean.dataSync()).map((v) => v.toFixed(2)).join(', ')} | std ${Array.from(variance.sqrt().dataSync()).map((v) => v.toFixed(2)).join(', ')}`;
  };
  console.log('before:', stats(features));
  console.log('after: ', stats(normed));
});

// %% [markdown]
// ### Convolution, padding, stride and pooling (for the CNN notebook)
//
// A convolution slides a small filter over the image, so each output looks at a neighbourhood
// rather than at every pixel. Without padding ('valid') a 3×3 filter shrinks a 6×6 image to 4×4;
// zero padding ('same') keeps 6×6 and lets the borders count as much as the centre. The stride
// is the filter's step: 2 halves the size. Max pooling keeps the largest value of each 2×2
// block: fewer numbers, and small shifts of the input change little.

// %%
tf.tidy(() => {
  const image = tf.range(0, 36).reshape([1, 6, 6, 1]) as tf.Tensor4D;
  const filter = tf.ones([3, 3, 1, 1]) as tf.Tensor4D;
  console.table([
    { operation: "conv 3×3, stride 1, 'valid'", output: tf.conv2d(image, filter, 1, 'valid').shape.slice(1, 3).join('×') },
    { operation: "conv 3×3, stride 1, 'same'", output: tf.conv2d(image, filter, 1, 'same').shape.slice(1, 3).join('×') },
    { operation: "conv 3×3, stride 2, 'same'", output: tf.conv2d(image, filter, 2, 'same').shape.slice(1, 3).join('×') },
    { operation: 'max pool 2×2, stride 2', output: tf.maxPool(image, 2, 2, 'valid').shape.slice(1, 3).join('×') },
  ]);
});

// %%
// Free the data and the model's variables (the notebook can be re-run from the top).
tf.dispose([xTrain, yTrain, xTest, yTest, ...trainableVariables]);
optimizer.dispose();
console.log('tensors still alive:', tf.memory().numTensors);
