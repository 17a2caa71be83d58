/** Small training helpers the notebooks use: a seeded tf.data pipeline, losses, evaluation, leak and time meters. */
export { pipeline, forEachBatch } from './pipeline';
export type { PipelineOptions, Batch } from './pipeline';
export { sparseSoftmaxCrossEntropy, accuracy } from './losses';
export { predictClasses, evaluateAccuracy } from './evaluate';
export type { Predictor, PredictsBatches } from './evaluate';
export { gradientStep, trainableVariables } from './step';
export { leakMeter } from './leaks';
export type { LeakMeter, LeakSample } from './leaks';
export { epochTimer } from './timing';
export type { EpochTimer } from './timing';
