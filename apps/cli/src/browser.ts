/**
 * `@scratchnet/cli/questions`: what a page needs to answer a question exactly as `scratchnet
 * questions` does — the same data checks, split, engine, training, scores and words — from
 * modules that import nothing Node-only (the web app's test proves it by bundling this file).
 */
export { sampleListeners, SAMPLE } from './sample.js';
export { giveSourceText } from './source-text.js';
export { DEFAULT_SEED, resolveHyperparameters } from './hyperparameters.js';
export type { TrainingFlags } from './hyperparameters.js';
export type { DtypeName, OptimizerName } from './flags.js';
export {
  completeTraining,
  describeQuestion,
  fitQuestion,
  prepareForTraining,
} from './question-run.js';
export {
  DEFAULT_REPETITION,
  MAX_PERMUTATIONS,
  MAX_SEEDS,
  repeatProcedure,
  trainingsOf,
} from './procedure.js';
export type { FittedNetwork, FitWatch, TrainedQuestion } from './question-run.js';
export {
  answerHeading,
  datasetLine,
  layersText,
  repetitionLine,
  trainingLine,
  trustBlock,
  trustTable,
} from './render.js';
export { renderTable } from './table.js';
export { lineChart } from './svg.js';
export { describeError } from './errors.js';
export { grouped } from './format.js';
export type { Progress } from './progress.js';
export type {
  AnswerTable,
  DatasetInfo,
  Hyperparameters,
  QuestionResult,
  Repetition,
} from './results.js';
