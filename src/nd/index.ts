/**
 * lab.nd: the numpy-like toolkit of the from-scratch documents, on `ndarray` (Float64 by
 * default, Float32 allowed): arrays, seeded random init, broadcasting arithmetic, matmul,
 * reductions, activations, losses, numerical derivatives.
 */
export {
  array, fromData, zeros, ones, full, zerosLike, linspace, copy, packed, reshape, toNested, toArray, dtypeOf, isPacked,
} from './array';
export type { NdArray, IntArray, FloatData, DType, Nested } from './array';
export { randn, rand, choice } from './random';
export type { RandomOptions } from './random';
export {
  matmul, dot, add, sub, mul, div, maximum, minimum, pow, binary, broadcastShapes, axpy, map, unary,
  exp, log, neg, abs, sqrt, square, sum, max, argmax, mean, take,
} from './ops';
export type { BinaryOp, UnaryOp, Operand } from './ops';
export {
  sigmoid1, relu1, softmaxRow, sigmoid, sigmoidGrad, relu, reluGrad, identity, identityGrad, softmax, softmaxNaive, softmaxGrad, activation, ACTIVATIONS,
} from './activations';
export type { ActivationName } from './activations';
export {
  meanSquaredError, meanSquaredErrorGrad, crossEntropyError, crossEntropyErrorGrad, oneHot, LOG_EPS,
} from './losses';
export { numericalDiff, numericalGradient, numericalPartial, DIFF_H } from './numerical';
