/**
 * The IDX format of MNIST (and Fashion-MNIST, notMNIST-in-MNIST-format): a 4-byte magic
 * number 0x00 0x00 <type> <ndims>, then ndims big-endian uint32 sizes, then the data.
 * Only unsigned bytes (type 0x08) occur in these data sets; other types are rejected clearly.
 * (The npm packages that read IDX either download MNIST or return nested JS arrays, so this
 * 40-line reader is ours.)
 */
import { ImageSet } from './image-set';
import { readMaybeGzip } from './files';

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/** Parse IDX bytes; `file` names the source in errors. */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  if (bytes.length < 4) throw new Error(`${file}: ${bytes.length} bytes, too short for an IDX header`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new Error(`${file}: bad magic number 0x${[...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join('')}, expected 0x0000TTNN (IDX)`);
  }
  if (bytes[2] !== 0x08) throw new Error(`${file}: IDX data type 0x${bytes[2].toString(16)}, expected 0x08 (unsigned byte)`);
  const ndims = bytes[3];
  if (ndims < 1 || ndims > 4) throw new Error(`${file}: IDX header says ${ndims} dimensions, expected 1–4`);
  if (bytes.length < 4 + 4 * ndims) throw new Error(`${file}: truncated IDX header (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < ndims; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const offset = 4 + 4 * ndims;
  const need = dims.reduce((a, b) => a * b, 1);
  const have = bytes.length - offset;
  if (have < need) throw new Error(`${file}: truncated data: header [${dims}] needs ${need} bytes, file has ${have}`);
  if (have > need) throw new Error(`${file}: ${have - need} bytes of trailing data after [${dims}]`);
  return { dims, data: bytes.subarray(offset, offset + need) };
}

/** Read an IDX file, gzipped or not. */
export function readIdx(file: string): IdxArray {
  return parseIdx(readMaybeGzip(file), file);
}

export interface IdxPairOptions {
  name?: string;
  numClasses?: number;
  classNames?: string[];
}

/** An image file [n,h,w] and a label file [n] as one ImageSet, checked against each other. */
export function idx(imagesFile: string, labelsFile: string, options: IdxPairOptions = {}): ImageSet {
  const images = readIdx(imagesFile);
  const labels = readIdx(labelsFile);
  if (images.dims.length !== 3) throw new Error(`${imagesFile}: images must be 3-dimensional [n,h,w], header says [${images.dims}]`);
  if (labels.dims.length !== 1) throw new Error(`${labelsFile}: labels must be 1-dimensional [n], header says [${labels.dims}]`);
  if (images.dims[0] !== labels.dims[0]) {
    throw new Error(`${imagesFile} has ${images.dims[0]} images but ${labelsFile} has ${labels.dims[0]} labels`);
  }
  const numClasses = options.numClasses ?? 10;
  for (let i = 0; i < labels.data.length; i++) {
    if (labels.data[i] >= numClasses) {
      throw new Error(`${labelsFile}: label ${i} is ${labels.data[i]}, expected 0–${numClasses - 1}`);
    }
  }
  return new ImageSet({
    name: options.name ?? imagesFile,
    images: images.data,
    labels: labels.data,
    shape: [images.dims[0], images.dims[1], images.dims[2]],
    numClasses,
    maxValue: 255,
    classNames: options.classNames,
  });
}
