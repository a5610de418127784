/**
 * @scratchnet/preprocess — from a listener CSV file to the float64 matrices scratchnet trains on:
 * the schema, a reader with located errors, encoders and scalers, a seeded split, the three
 * questions as data, and a seeded generator of synthetic listeners.
 *
 * This entry runs anywhere (a page, a worker, Node.js). Node.js gets `./node.js` instead (the
 * `node` export condition): the same, plus the file reader and writers.
 */
export { DataError, formatDataErrorMessage } from './errors.js';
export { csvLineOf } from './lines.js';
export type { DataErrorCode, DataErrorDetails } from './errors.js';
export {
  LISTENER_SCHEMA,
  LISTENER_COLUMN_KEYS,
  normalizeHeader,
  findColumnSpec,
  getColumnSpec,
} from './schema.js';
export type { ColumnKind, ColumnSpec } from './schema.js';
export { ListenerTable } from './table.js';
export type { CategoryCodes, CellValue } from './table.js';
export { parseListenersCsv } from './read.js';
export type { ReadListenersOptions, ParseListenersOptions, ReadProgress } from './read.js';
export {
  QUESTIONS,
  QUESTION_IDS,
  getQuestion,
  questionColumns,
  columnsForQuestions,
} from './questions.js';
export type { QuestionId, QuestionDefinition, EncodedColumn, Encoding } from './questions.js';
export { validateQuestion } from './questions.js';
export { OneHotEncoder } from './one-hot-encoder.js';
export type {
  HandleUnknown,
  OneHotEncoderJSON,
  OneHotTransformOptions,
} from './one-hot-encoder.js';
export { LabelEncoder } from './label-encoder.js';
export type { LabelEncoderJSON } from './label-encoder.js';
export { StandardScaler } from './standard-scaler.js';
export type { StandardScalerJSON } from './standard-scaler.js';
export { MinMaxScaler } from './min-max-scaler.js';
export type { MinMaxScalerJSON } from './min-max-scaler.js';
export type { ScalerInput } from './columns.js';
export {
  DEFAULT_SEED,
  DEFAULT_FRACTIONS,
  trainValTestSplit,
  splitSizes,
  takeRows,
  splitMatrix,
} from './split.js';
export type { Split, SplitOptions, Parts } from './split.js';
export { QuestionPipeline, prepareQuestion } from './pipeline.js';
export type {
  ColumnEncoder,
  EncodeOptions,
  FitOptions,
  FittedColumn,
  PreparedPart,
  PreparedQuestion,
  PrepareOptions,
  QuestionPipelineJSON,
} from './pipeline.js';
export { generateListeners, plantedEffects } from './synthetic.js';
export type {
  AgeBand,
  EffectsPlan,
  GenerateListenersOptions,
  PlantedEffects,
} from './synthetic.js';
export { formatCsvField, formatListenersCsv } from './write.js';
