/** ImageSets (lab.data) as the [n, pixels] float matrices and label arrays the scratch nets take. */
import * as nd from '../nd';
import type { NdArray, DType } from '../nd';

/** The parts of an ImageSet this needs (so tests can pass plain objects). */
export interface ImageRows {
  images: Uint8Array;
  labels: Uint8Array;
  shape: readonly [number, number, number] | readonly number[];
  maxValue: number;
}

/** Pixels / maxValue as an [n, h*w] matrix (Float64 unless dtype says otherwise), plus labels. */
export function toMatrix(set: ImageRows, options: { dtype?: DType; scale?: boolean } = {}): { x: NdArray; labels: Uint8Array } {
  const [n, h, w] = set.shape;
  const k = options.scale === false ? 1 : 1 / set.maxValue;
  const x = nd.zeros([n, h * w], options.dtype);
  const d = x.data;
  for (let i = 0; i < d.length; i++) d[i] = set.images[i] * k;
  return { x, labels: set.labels };
}
