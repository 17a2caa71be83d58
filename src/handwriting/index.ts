/** A user's own handwriting: pictures → MNIST-style tiles, segmentation, recognition, drawing pad. */
export { readImage, greyImage, greyToPng, rgbToPng } from './image';
export type { GreyImage } from './image';
export { inkMap } from './ink';
export type { InkMap, InkOptions } from './ink';
export { toMnist, toDigits32, toDigits8x8, resize } from './tile';
export type { Box } from './tile';
export { segment } from './segment';
export type { Segment, SegmentOptions } from './segment';
export { recognize, annotate } from './recognize';
export type { Recognition } from './recognize';
export { loadModel, saveModel, predictTiles, inputLayout } from './model';
export { pad, padHtml, exportForPad } from './pad';
export type { PadOptions, PadLayer, PadSpec } from './pad';
