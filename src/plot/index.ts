/**
 * lab.plot: pictures inline in tslab notebooks. Plotly figures (embedded offline, once per
 * notebook), PNG image grids, live training curves, confusion matrices and model summaries.
 * Inside a kernel each call displays and returns undefined; elsewhere it returns the figure
 * (plotly JSON) or PNG bytes, so everything is testable in plain node.
 */
export { init, show, plotlyVersion } from './plotly';
export type { Figure, Trace, Layout } from './figure';
export { lines, linesFigure, probabilities, probabilitiesFigure, confusionMatrix, confusion } from './charts';
export type { Series, LinesOptions, ProbabilitiesOptions, ConfusionOptions, ConfusionResult, ClassStats } from './charts';
export { history, historyFigure, liveCurve, fitCallback, FitCallback, TrainingMonitor } from './curves';
export type { TrainingHistory, HistoryInput, CurvePoint, LiveCurve, LiveCurveOptions, CurveFigureOptions } from './curves';
export { imageGrid, renderGrid, misclassified, filters, featureMaps } from './images';
export type {
  ImagesInput,
  ImageSetLike,
  PixelArray,
  GridOptions,
  ValueRange,
  Predictor,
  MisclassifiedOptions,
  MisclassifiedResult,
  KernelInput,
  FilterOptions,
  FeatureMapOptions,
} from './images';
export type { Colormap } from './raster';
export { summary, summarize } from './summary';
export type { Summarizable, SummaryRow, ModelSummary } from './summary';
