/**
 * Weights to and from disk, atomically: tfjs layers folders (model.json + weights.bin), Keras 2
 * HDF5 (.h5) and numpy (.npy / .npz).
 */
export { fileHandler, saveModel, loadModel, registerFileScheme, MODEL_JSON, WEIGHTS_BIN } from './tfjs-dir';
export type { FileHandler, SaveModelOptions } from './tfjs-dir';
export { saveKerasH5, loadKerasH5, loadKerasWeights, KERAS_LAYOUT_VERSION } from './keras-h5';
export type { SaveKerasOptions, LoadKerasOptions } from './keras-h5';
export { KERAS_LAYERS } from './keras-config';
export { saveNpz, loadNpz, saveNpy, loadNpy, encodeNpz, decodeNpz } from './npz';
export type { NpzArrays, SaveNpzOptions } from './npz';
export { encodeNpy, decodeNpy } from './npy';
export type { NpyArray, NpyDtype, NpyData } from './npy';
export { toTensor, toNdarray } from './arrays';
export type { ArrayInput, ShapedArray } from './arrays';
export { writeFileAtomic, writeFileAtomicSync, replaceDirAtomic } from './atomic';
