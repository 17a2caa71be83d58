/** Data sets as ImageSets (typed arrays + shape, with tensor views) and the transforms the documents use. */
export { ImageSet } from './image-set';
export type { ImageSetInit, TrainTest, XOptions } from './image-set';
export { mnist, mnistDir, fashionMnist, FASHION_CLASSES } from './mnist';
export { notMnist, NOTMNIST_CLASSES } from './notmnist';
export type { NotMnistOptions } from './notmnist';
export { digits8x8, parseDigits8x8 } from './digits8x8';
export { digits32, parseTextDigit } from './digits32';
export { idx, readIdx, parseIdx } from './idx';
export type { IdxArray, IdxPairOptions } from './idx';
export { toCategorical, shuffledIndices, shuffleInPlace, batches, endlessBatches, stratifiedSplit } from './transforms';
export type { BatchOptions, SplitOptions } from './transforms';
export { dataDir } from './files';
export { mnistNpz, saveMnistNpz } from './npz-mnist';
