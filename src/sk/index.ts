/** scikit-learn-shaped estimators: MLPClassifier, KNeighborsClassifier, splits and metrics. */
export { MLPClassifier } from './mlp';
export { MLP_DEFAULTS, resolveParams } from './params';
export type { MLPParams, MLPOptions, Activation, Solver, LearningRate } from './params';
export { KNeighborsClassifier } from './neighbors';
export { trainTestSplit, takeRows } from './split';
export type { TrainTestSplit, TrainTestSplitOptions } from './split';
export { accuracyScore, confusionMatrix } from './metrics';
export { fromImageSet, toMatrix } from './matrix';
export type { MatrixLike, FlatMatrix, Matrix } from './matrix';
export { filterWarnings } from './warnings';
export { compareWithSklearn, formatComparison } from './compare';
export type { CompareOptions, CompareRow, CompareSummary } from './compare';
export { benchmark } from './benchmark';
