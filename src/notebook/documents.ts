/**
 * The figures the five source documents report (docs: /work/shared/docs/documents.md), keyed by
 * the notebook that reproduces them and the metric name that notebook reports. RESULTS.md puts
 * each beside this run's value.
 */
export interface DocumentFigure {
  /** The `lab.report` metric this figure corresponds to. */
  metric: string;
  /** Which document (file number) and what it measured. */
  source: string;
  what: string;
  /** The document's value as a fraction (null: the document gives no figure) and as it reads. */
  value: number | null;
  text: string;
}

/** Notebook base name (without .ipynb) → its document figures. */
export const DOCUMENT_FIGURES: Readonly<Record<string, readonly DocumentFigure[]>> = {
  '01-keras-mlp': [
    { metric: 'mlp64TestAccuracy', source: '000', what: 'MLP 784-64-10, test accuracy', value: 0.968, text: '96.8%' },
    { metric: 'mlp1000TestAccuracy', source: '003', what: 'MLP 784-1000-10, test accuracy', value: 0.97, text: '~97%' },
  ],
  '02-custom-training-loop': [
    { metric: 'testAccuracy', source: '002', what: 'MLP 784-128-256-10, GradientTape loop, test accuracy', value: null, text: 'no figure (expect ~95-97%)' },
  ],
  '03-lenet-cnn': [
    { metric: 'mnistTestAccuracy', source: '001', what: 'improved LeNet CNN, MNIST test accuracy', value: 0.992, text: '99.2%' },
    { metric: 'notmnistTestAccuracy', source: '001', what: 'same CNN on notMNIST letters, test accuracy', value: 0.96, text: '~96%' },
  ],
  '04-scratch-net': [
    { metric: 'digits32TrainAccuracy', source: '001', what: 'from-scratch 1024-16-16-10 on 32x32 text digits, training accuracy', value: 0.987, text: '98.7%' },
    { metric: 'twoLayerNetTestAccuracy', source: '004', what: 'TwoLayerNet 784-100-10 by backprop (batch 200, lr 0.1, 2000 steps), test accuracy', value: null, text: 'no final figure (the author trained by numerical gradients at H=10)' },
  ],
  '05-sklearn-digits': [
    { metric: 'mlpTestAccuracy', source: '001', what: 'sklearn MLPClassifier on 8x8 digits, test accuracy', value: 0.96, text: '~0.96' },
  ],
};
