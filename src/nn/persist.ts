/**
 * Saving and loading the scratch networks, atomically: `.json` (architecture plus arrays as
 * {shape, data}) or `.npz` (one array per parameter, readable with np.load, plus the
 * architecture as UTF-8 JSON bytes in `__architecture__`).
 */
import { writeFileAtomicSync } from '../io/atomic';
import { saveNpz, loadNpz } from '../io/npz';
import { readJson } from '../io/read';
import type { NdArray } from '../nd';
import * as nd from '../nd';
import { Network, type LayerSpec, type LossName } from './network';
import type { DType } from '../nd';

export const FORMAT = 'digitlab.nn';
const ARCH = '__architecture__';

export interface Architecture {
  format: typeof FORMAT;
  version: 1;
  name: string;
  inputSize: number;
  layers: LayerSpec[];
  loss: LossName;
  dtype: DType;
  paramNames: [string, string][];
}

export interface SavedNetwork extends Architecture {
  params: Record<string, { shape: number[]; data: number[] }>;
}

export function architectureOf(net: Network): Architecture {
  const paramNames: [string, string][] = [];
  for (let i = 0; i < net.params.length; i += 2) paramNames.push([net.params[i].name, net.params[i + 1].name]);
  return { format: FORMAT, version: 1, name: net.name, inputSize: net.inputSize, layers: net.layers.map((l) => ({ ...l })), loss: net.loss, dtype: net.dtype, paramNames };
}

/** Architecture and weights as a JSON-ready object. */
export function toJSON(net: Network): SavedNetwork {
  const params: SavedNetwork['params'] = {};
  for (const p of net.params) params[p.name] = { shape: p.value.shape.slice(), data: nd.toArray(p.value) };
  return { ...architectureOf(net), params };
}

function checkArchitecture(o: unknown, where: string): Architecture {
  const a = o as Partial<Architecture>;
  if (!a || typeof a !== 'object') throw new Error(`${where}: expected a JSON object saved by lab.nn.save`);
  if (a.format !== FORMAT) throw new Error(`${where}: field "format" is ${JSON.stringify(a.format)}, expected "${FORMAT}"`);
  if (a.version !== 1) throw new Error(`${where}: field "version" is ${JSON.stringify(a.version)}, expected 1`);
  if (!Number.isInteger(a.inputSize)) throw new Error(`${where}: field "inputSize" is ${JSON.stringify(a.inputSize)}, expected an integer`);
  if (!Array.isArray(a.layers) || !a.layers.length) throw new Error(`${where}: field "layers" must be a non-empty array of {units, activation}`);
  if (a.loss !== 'mse' && a.loss !== 'crossEntropy') throw new Error(`${where}: field "loss" is ${JSON.stringify(a.loss)}, expected "mse" or "crossEntropy"`);
  if (a.dtype !== 'float64' && a.dtype !== 'float32') throw new Error(`${where}: field "dtype" is ${JSON.stringify(a.dtype)}, expected "float64" or "float32"`);
  if (!Array.isArray(a.paramNames) || a.paramNames.length !== a.layers.length) throw new Error(`${where}: field "paramNames" must hold one [weight, bias] pair per layer`);
  return a as Architecture;
}

/** A network from toJSON's object (`where` names the source in errors). */
export function fromJSON(o: unknown, where = 'network JSON'): Network {
  const a = checkArchitecture(o, where);
  let net: Network;
  try {
    net = new Network({ name: a.name, inputSize: a.inputSize, layers: a.layers, loss: a.loss, dtype: a.dtype, paramNames: a.paramNames, init: 'zeros' });
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message}`);
  }
  const params = (o as SavedNetwork).params;
  if (!params || typeof params !== 'object') throw new Error(`${where}: field "params" must map parameter names to {shape, data}`);
  for (const [k, v] of Object.entries(params)) {
    if (!v || !Array.isArray(v.shape) || !Array.isArray(v.data)) throw new Error(`${where}: params.${k} must be {shape: number[], data: number[]}`);
  }
  net.setWeights(params, where);
  return net;
}

/** Save architecture and weights to `file` (.json or .npz), atomically. */
export function save(net: Network, file: string): void {
  if (file.endsWith('.npz')) {
    const arrays: Record<string, NdArray | { data: Uint8Array; shape: number[] }> = {};
    for (const p of net.params) arrays[p.name] = p.value;
    const arch = new TextEncoder().encode(JSON.stringify(architectureOf(net)));
    arrays[ARCH] = { data: arch, shape: [arch.length] };
    saveNpz(file, arrays);
  } else if (file.endsWith('.json')) {
    writeFileAtomicSync(file, new TextEncoder().encode(JSON.stringify(toJSON(net))));
  } else {
    throw new Error(`${file}: unknown extension, expected .json or .npz`);
  }
}

/** Load a network saved by `save` (.json or .npz). */
export function load(file: string): Network {
  if (file.endsWith('.npz')) {
    const arrays = loadNpz(file);
    const archBytes = arrays[ARCH];
    if (!archBytes) throw new Error(`${file}: no "${ARCH}" entry (an .npz of weights only: build the network and call loadWeights)`);
    let arch: unknown;
    try {
      arch = JSON.parse(new TextDecoder().decode(archBytes.data as Uint8Array));
    } catch (e) {
      throw new Error(`${file}: entry "${ARCH}" is not JSON (${(e as Error).message})`);
    }
    const a = checkArchitecture(arch, `${file}:${ARCH}`);
    const net = new Network({ name: a.name, inputSize: a.inputSize, layers: a.layers, loss: a.loss, dtype: a.dtype, paramNames: a.paramNames, init: 'zeros' });
    net.setWeights(npzWeights(arrays), file);
    return net;
  }
  if (file.endsWith('.json')) return fromJSON(readJson(file), file);
  throw new Error(`${file}: unknown extension, expected .json or .npz`);
}

/** Load weights (from .json or .npz) into an existing network of the same shapes. */
export function loadWeights(net: Network, file: string): void {
  if (file.endsWith('.npz')) net.setWeights(npzWeights(loadNpz(file)), file);
  else if (file.endsWith('.json')) {
    const o = readJson(file) as Partial<SavedNetwork>;
    if (!o || typeof o.params !== 'object') throw new Error(`${file}: field "params" missing, expected {name: {shape, data}}`);
    net.setWeights(o.params, file);
  } else throw new Error(`${file}: unknown extension, expected .json or .npz`);
}

function npzWeights(arrays: ReturnType<typeof loadNpz>) {
  const out: Record<string, { shape: number[]; data: ArrayLike<number> }> = {};
  for (const [k, v] of Object.entries(arrays)) if (k !== ARCH) out[k] = { shape: v.shape, data: v.data as ArrayLike<number> };
  return out;
}

