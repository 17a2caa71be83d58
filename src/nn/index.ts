/**
 * lab.nn: networks written from scratch on lab.nd (documents 004 and 001): a layered
 * fully-connected net with backpropagation and SGD, document 004's TwoLayerNet, document 001's
 * 1024-16-16-10 text-digit net, gradient checking, save/load, and the speed benchmark.
 */
export { Network } from './network';
export type { NetworkOptions, LayerSpec, LossName, InitKind, InitSpec, Param, Gradients, Targets, EpochResult, FitOptions, SummaryRow } from './network';
export { TwoLayerNet } from './two-layer';
export type { TwoLayerNetOptions } from './two-layer';
export { textDigitNet, TEXT_DIGIT_LR } from './text-digit-net';
export type { TextDigitNetOptions } from './text-digit-net';
export { gradientCheck } from './gradcheck';
export type { GradCheckResult, GradCheckRow, GradCheckOptions } from './gradcheck';
export { toMatrix } from './data';
export type { ImageRows } from './data';
export { save, load, loadWeights, toJSON, fromJSON, architectureOf } from './persist';
export type { SavedNetwork, Architecture } from './persist';
export { benchTextDigitEpoch, benchmark } from './bench';
export type { ScratchBenchResult } from './bench';
