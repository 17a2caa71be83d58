/**
 * digitlab: the helper library every notebook imports (`import * as lab from 'digitlab'`).
 * Each namespace is one folder of src/ with one job.
 */
import * as tf from '@tensorflow/tfjs';

export * as engine from './engine';
export { seed, rng } from './engine';
export { outPath, projectDir } from './paths';
export * as data from './data';
export * as plot from './plot';
export * as nd from './nd';
export * as nn from './nn';
export * as sk from './sk';
export * as train from './train';
export * as io from './io';
export * as handwriting from './handwriting';
export * as notebook from './notebook';
export { report } from './notebook';

/** The tfjs instance the library uses (the same one a notebook gets from '@tensorflow/tfjs'). */
export { tf };
