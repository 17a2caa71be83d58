/** Notebook support: parameters, reports, the display channel and the headless runner. */
export { quickMode } from './params';
export { report, reported, REPORT_MIME } from './report';
export type { Report } from './report';
export { inKernel, displayData, newDisplayHandle } from './display';
export type { MimeBundle, DisplayHandle } from './display';
export { runNotebook, NotebookRunError } from './run';
export type { RunOptions, NotebookRun, CellEvent, CellFailure } from './run';
export { parseParameterArg } from './inject';
export type { Parameters, ParameterValue } from './inject';
export { table, markdownTable } from './table';
export type { Row } from './table';
