/**
 * Numerical differentiation (document 004): the central difference (f(x+h) − f(x−h)) / 2h, and
 * the gradient of a scalar function of an array of any shape, nudging one element at a time in
 * place and restoring it (no copies of x: cheap, but not safe to share x while it runs).
 */
import { alloc, dtypeOf, forEachOffset, fromData, type NdArray } from './array';

/** Default step: small enough for accuracy, large enough that float64 rounding stays small. */
export const DIFF_H = 1e-4;

/** df/dx at x by the central difference. */
export function numericalDiff(f: (x: number) => number, x: number, h = DIFF_H): number {
  return (f(x + h) - f(x - h)) / (2 * h);
}

/**
 * ∂f/∂x for every element of x (any shape, strided views too). `f` is called 2·x.size times;
 * it receives x (perturbed) and usually ignores it, reading the weights through a closure as the
 * document's `loss(W)` does. x is exactly restored afterwards.
 */
export function numericalGradient(f: (x: NdArray) => number, x: NdArray, h = DIFF_H): NdArray {
  const g = alloc(x.size, dtypeOf(x));
  forEachOffset(x, (o, i) => {
    g[i] = centralDifference(f, x, o, h);
  });
  return fromData(g, x.shape);
}

/** (f(x + h·e) − f(x − h·e)) / 2h for the element at data offset `o`, which is restored after. */
function centralDifference(f: (x: NdArray) => number, x: NdArray, o: number, h: number): number {
  const d = x.data;
  const orig = d[o];
  d[o] = orig + h;
  const f1 = f(x);
  d[o] = orig - h;
  const f0 = f(x);
  d[o] = orig;
  return (f1 - f0) / (2 * h);
}

/** The partial derivative for one element only (flat row-major index), for spot checks. */
export function numericalPartial(f: (x: NdArray) => number, x: NdArray, index: number, h = DIFF_H): number {
  let offset = x.offset;
  let rest = index;
  for (let dim = x.dimension - 1; dim >= 0; dim--) {
    offset += (rest % x.shape[dim]) * x.stride[dim];
    rest = Math.floor(rest / x.shape[dim]);
  }
  return centralDifference(f, x, offset, h);
}
