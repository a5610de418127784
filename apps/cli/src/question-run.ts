/**
 * One question from data to answer: split, fit the encoders on the training rows, train the
 * network with early stopping, then score it on the test rows beside the baselines and build the
 * answer table from all rows.
 */
import type { Dataset, EpochRecord, History, TrainingEngine } from '@scratchnet/nn';
import {
  computeLoss,
  fitAsync,
  groupRows,
  identicalRows,
  Network,
  referenceEngine,
} from '@scratchnet/nn';
import { twoLayerEngine } from '@scratchnet/nn-wasm';
import type { ListenerTable, PreparedQuestion, QuestionDefinition } from '@scratchnet/preprocess';
import { csvLineOf, getColumnSpec, prepareQuestion } from '@scratchnet/preprocess';
import type { Answer, Model } from './answers.js';
import {
  AGE_BANDS,
  ageBandIndex,
  ageBandLabel,
  classDisplayOrder,
  finiteOutputs,
} from './answers.js';
import type { Assessment, ChiSquareInputs } from './assess.js';
import { assessClassification, assessRegression, procedureTest } from './assess.js';
import type { StoredBaselines } from './baselines.js';
import { fitClassBaselines, fitRegressionBaselines, inputKey } from './baselines.js';
import { CliError, UsageError } from './errors.js';
import { grouped } from './format.js';
import type {
  Hyperparameters,
  ProcedureTest,
  QuestionResult,
  Repetition,
  SeedSpread,
  TrainingFacts,
} from './results.js';
import { trainingsOf } from './procedure.js';
import { answerFor, questionWords } from './question-settings.js';
import type { Progress } from './progress.js';
import { silentProgress } from './progress.js';
import { sourceText } from './source-text.js';

/** The input key of each row (rows with equal keys get equal network inputs). */
export function rowKeys(
  table: ListenerTable,
  question: QuestionDefinition,
  rows?: ArrayLike<number>,
): string[] {
  const columns = question.inputs.map((input) => input.column);
  const values = columns.map((column) => table.column(column));
  const count = rows?.length ?? table.rows;
  return Array.from({ length: count }, (_, i) => {
    const row = rows === undefined ? i : rows[i]!;
    return inputKey(values.map((column) => column[row]!));
  });
}

/**
 * The chi-square inputs of a classification question over all rows: the input as categories (a
 * number such as age goes into its age band, so cells are not too thin), crossed with the target.
 */
export function chiSquareInputs(
  table: ListenerTable,
  question: QuestionDefinition,
): ChiSquareInputs | undefined {
  if (question.kind !== 'classification') return undefined;
  const words = questionWords(question);
  const targetCodes = table.codes(question.target.column).codes;
  if (question.inputs.length === 1) {
    const input = question.inputs[0]!;
    if (input.encoding === 'one-hot') {
      return {
        table: `${words.inputName} × ${words.targetName}`,
        inputCodes: table.codes(input.column).codes,
        targetCodes,
      };
    }
    if (input.column === 'age') {
      const ages = table.numbers('age');
      return {
        table: `age band (${AGE_BANDS.length} bands) × ${words.targetName}`,
        inputCodes: Int32Array.from(ages, (age) => ageBandIndex(age)),
        targetCodes,
      };
    }
  }
  const dictionary = new Map<string, number>();
  const inputCodes = Int32Array.from(rowKeys(table, question), (key) => {
    const code = dictionary.get(key) ?? dictionary.size;
    dictionary.set(key, code);
    return code;
  });
  return { table: `${words.inputName} × ${words.targetName}`, inputCodes, targetCodes };
}

/*
 * Checks of a file's rows made before any work, so a file that cannot be trained on or scored
 * fails at once with a line in words, the same whatever the seed, instead of after training with
 * a metrics function's message.
 *
 * The rule for rare categories: every category of a question's one-hot columns (inputs and
 * target) needs at least MIN_CATEGORY_ROWS rows of the file. A value in fewer rows is most likely
 * a typo ("Japna"); it is refused, naming it and its line. Every category with enough rows becomes
 * a category of the model whichever rows the seed puts in training.
 */

/** The fewest rows of a file a category of a question's one-hot columns must have. */
export const MIN_CATEGORY_ROWS = 5;

/** A value in a message, cut short: a cell may be long. */
function quoted(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

/** `file:line` of a table's row, when the table was read from a file that is still there. */
function rowLocation(table: ListenerTable, row: number): string {
  try {
    // Only on the error path: the record after the header, as the editor numbers its line.
    return `${table.source}:${csvLineOf(sourceText(table.source), row + 1)}`;
  } catch {
    return `${table.source}: row ${row + 1}`;
  }
}

/**
 * Refuses a category of the question's one-hot columns with fewer than
 * {@link MIN_CATEGORY_ROWS} rows, naming the first such value, its line and its count.
 */
export function checkCategoryCounts(question: QuestionDefinition, table: ListenerTable): void {
  const columns = [...question.inputs, question.target].filter((c) => c.encoding === 'one-hot');
  for (const { column } of columns) {
    const { codes, dictionary } = table.codes(column);
    const counts = new Int32Array(dictionary.length);
    const firstRow = new Int32Array(dictionary.length).fill(-1);
    codes.forEach((code, row) => {
      counts[code]! += 1;
      if (firstRow[code] === -1) firstRow[code] = row;
    });
    const rare = dictionary
      .map((value, code) => ({ value, count: counts[code]!, row: firstRow[code]! }))
      .filter((category) => category.count > 0 && category.count < MIN_CATEGORY_ROWS)
      .sort((a, b) => a.row - b.row);
    const first = rare[0];
    if (first === undefined) continue;
    const header = getColumnSpec(column).header;
    const more = rare.length - 1;
    const others =
      more === 0 ? '' : ` (and ${more} more rare ${header} ${more === 1 ? 'value' : 'values'})`;
    throw new CliError(
      `${rowLocation(table, first.row)}: ${header} ${quoted(first.value)} is in ${first.count} ${first.count === 1 ? 'row' : 'rows'} only${others}, ` +
        `expected at least ${MIN_CATEGORY_ROWS} rows of each category (a typo? fix it or remove its rows)`,
      'rare-category',
    );
  }
}

/**
 * Refuses a file the question's scores cannot be computed on: fewer than 2 rows, or for a
 * classification question one class only, or one input group only (the chi-square test of
 * independence needs two of each).
 */
export function checkScorable(question: QuestionDefinition, table: ListenerTable): void {
  if (table.rows < 2) {
    throw new CliError(
      `${table.source}: ${table.rows} ${table.rows === 1 ? 'row is' : 'rows are'} too few to score ${question.id}; give at least 2`,
      'too-few-rows',
    );
  }
  const chi = chiSquareInputs(table, question);
  if (chi === undefined) return;
  const words = questionWords(question);
  const same = (what: string, value: string) =>
    new CliError(
      `${table.source}: every row has the same ${what} (${value}); ${question.id} needs at least 2 different values of ${what} to compare`,
      'too-few-rows',
    );
  if (new Set(chi.targetCodes).size < 2) {
    throw same(words.targetName, table.value(question.target.column, 0) as string);
  }
  if (new Set(chi.inputCodes).size < 2) {
    const input = question.inputs[0]!;
    if (question.inputs.length === 1 && input.encoding !== 'one-hot') {
      throw same('age band', ageBandLabel(AGE_BANDS[chi.inputCodes[0]!]!));
    }
    throw same(words.inputName, question.inputs.map((c) => table.value(c.column, 0)).join(', '));
  }
}

/** What repeating the training added to a question (see procedure.ts). */
export interface Repeated {
  repetition: Repetition;
  /** Test scores of single networks: `scores[split][seed]`, the main split first. */
  scores: number[][];
  /** Test scores of the trainings on shuffled targets. */
  permutationScores: number[];
  /** Wall-clock seconds of all the trainings. */
  seconds: number;
}

/**
 * A trained question: the model (with an ensemble when trained from several seeds), how the
 * training with `--seed` went, and the split it was trained on.
 */
export interface TrainedQuestion extends Model {
  prepared: PreparedQuestion;
  history: History;
  seconds: number;
  hyperparameters: Hyperparameters;
  baselines: StoredBaselines;
  /** The rows training saw (see {@link FittedNetwork}). */
  rows: FittedNetwork['rows'];
  repeated?: Repeated;
}

/** The fewest rows a question is trained on: fewer cannot fill a 60/20/20 split usefully. */
export const MIN_ROWS = 10;

/**
 * Splits the rows and fits the encoders on the training part, turning the failures of a file too
 * small for the split into one clear line. Deterministic: the same table and seed give the same
 * split and encoders (a training worker and the main thread rely on it).
 */
export function prepareForTraining(
  question: QuestionDefinition,
  table: ListenerTable,
  seed: number,
): PreparedQuestion {
  if (table.rows < MIN_ROWS) {
    throw new CliError(
      `${table.source}: ${table.rows} ${table.rows === 1 ? 'row is' : 'rows are'} too few to split 60/20/20 and train; give at least ${MIN_ROWS}`,
      'too-few-rows',
    );
  }
  checkScorable(question, table);
  checkCategoryCounts(question, table);
  // Categories from every row: which categories the model has does not depend on the seed.
  return prepareQuestion(question, table, { seed, categoriesFrom: 'all' });
}

/** Mean, sample standard deviation and range of single networks' test scores. */
export function seedSpread(scores: number[][]): SeedSpread {
  const all = scores.flat();
  const mean = all.reduce((sum, value) => sum + value, 0) / all.length;
  const squares = all.reduce((sum, value) => sum + (value - mean) ** 2, 0);
  return {
    networks: all.length,
    mean,
    sd: all.length > 1 ? Math.sqrt(squares / (all.length - 1)) : 0,
    min: Math.min(...all),
    max: Math.max(...all),
    scores,
  };
}

/** A trained network and how its training went. */
export interface FittedNetwork {
  network: Network;
  history: History;
  /** Wall-clock seconds in `fit`. */
  seconds: number;
  /** The rows training saw: fewer than the split's when identical rows were grouped. */
  rows: { train: number; validation: number };
}

/**
 * The engine that trains a question: float64 on the WebAssembly two-layer engine where it runs
 * (the reference's bits, faster), else on nn's reference engine (deeper networks, no SIMD, rows
 * beyond its memory); float32 on the two-layer engine only, whose refusal — asked before any
 * work — is a usage error naming the flag, since changing `--dtype` is the fix.
 */
export function trainingEngine(
  network: Network,
  train: Dataset,
  validation: Dataset,
  hyperparameters: Hyperparameters,
): TrainingEngine {
  const batchSize =
    hyperparameters.batchSize === 'full'
      ? train.x.rows
      : Math.min(hyperparameters.batchSize, train.x.rows);
  // Float64 on the plain-SIMD build everywhere: relaxed SIMD (Node 22, browsers) fuses each
  // multiply-add, which changes the last bits, and a seed must give the same answer on every engine.
  const dtype = hyperparameters.dtype ?? 'f64';
  const fast = twoLayerEngine(dtype === 'f64' ? { dtype, variant: 'simd' } : { dtype });
  const refusal = fast.unsupported(network, train, validation, batchSize);
  if (refusal === undefined) return fast;
  if (hyperparameters.dtype === 'f32') {
    throw new UsageError(
      `--dtype f32: the float32 engine ${refusal}; use --dtype f64`,
      'dtype-unsupported',
    );
  }
  return referenceEngine;
}

/** What a page watching the training adds: every epoch's record, and a stop button's signal. */
export interface FitWatch {
  onEpoch?: (record: EpochRecord) => void;
  signal?: AbortSignal;
}

/**
 * Training sees each distinct input row once, weighted by how many rows it stands for, when that
 * at least halves the rows and training is full-batch: the losses, gradients and scores are
 * those of all the rows (nn's `groupIdenticalRows`; equal to rounding), in a fraction of the
 * time. Mini-batches would be a different algorithm on grouped rows, so they get every row.
 */
export const GROUPING_PAYS = 0.5;

/** Groups found and datasets grouped already: a split's rows are grouped once however often it trains. */
const groupsCache = new WeakMap<Dataset['x'], Int32Array>();
const groupedCache = new WeakMap<Dataset, Dataset>();

/** `rows` grouped for training as {@link GROUPING_PAYS} says, or `rows` themselves. */
export function rowsForTraining(
  rows: Dataset,
  task: PreparedQuestion['question']['kind'],
  hyperparameters: Hyperparameters,
): Dataset {
  const full = hyperparameters.batchSize === 'full' || hyperparameters.batchSize >= rows.x.rows;
  if (!full) return rows;
  const cached = groupedCache.get(rows);
  if (cached !== undefined) return cached;
  // Shuffled targets come with the same inputs: their groups are the ones already found.
  const groupOf = groupsCache.get(rows.x) ?? identicalRows(rows.x);
  groupsCache.set(rows.x, groupOf);
  const groups = groupOf.reduce((most, g) => Math.max(most, g + 1), 0);
  if (groups > rows.x.rows * GROUPING_PAYS) return rows;
  // The spread only matters to squared error; nn refuses it with the other losses.
  const grouped = groupRows(rows, groupOf, { spread: task === 'regression' });
  groupedCache.set(rows, grouped);
  return grouped;
}

/**
 * Creates the question's network from `hyperparameters.seed` and trains it on `train` with early
 * stopping on `validation` (the split's own rows, or its training rows with shuffled targets),
 * on grouped rows where that pays (see {@link rowsForTraining}).
 */
export async function fitNetwork(
  prepared: PreparedQuestion,
  train: Dataset,
  validation: Dataset,
  hyperparameters: Hyperparameters,
  progress: Progress = silentProgress,
  watch: FitWatch = {},
): Promise<FittedNetwork> {
  const { pipeline } = prepared;
  const task = prepared.question.kind;
  const network = Network.create({
    inputSize: pipeline.inputSize,
    hidden: hyperparameters.hidden,
    outputSize: pipeline.outputSize,
    task,
    seed: hyperparameters.seed,
  });
  const trainRows = rowsForTraining(train, task, hyperparameters);
  const validationRows = rowsForTraining(validation, task, hyperparameters);
  const engine = trainingEngine(network, trainRows, validationRows, hyperparameters);
  const started = performance.now();
  const history = await fitAsync(network, trainRows, validationRows, {
    epochs: hyperparameters.epochs,
    learningRate: hyperparameters.learningRate,
    patience: hyperparameters.patience,
    optimizer: hyperparameters.optimizer as 'sgd' | 'momentum' | 'adam',
    ...(hyperparameters.batchSize === 'full' ? {} : { batchSize: hyperparameters.batchSize }),
    seed: hyperparameters.seed,
    engine,
    ...(watch.signal === undefined ? {} : { signal: watch.signal }),
    onEpoch: (record) => {
      progress.update(record.epoch, record.validationLoss);
      watch.onEpoch?.(record);
    },
  });
  return {
    network,
    history,
    seconds: (performance.now() - started) / 1000,
    rows: { train: trainRows.x.rows, validation: validationRows.x.rows },
  };
}

/** Creates the question's network and trains it with early stopping on the validation rows. */
export function fitQuestion(
  prepared: PreparedQuestion,
  hyperparameters: Hyperparameters,
  progress: Progress,
  watch: FitWatch = {},
): Promise<FittedNetwork> {
  return fitNetwork(
    prepared,
    prepared.train,
    prepared.validation,
    hyperparameters,
    progress,
    watch,
  );
}

/** The networks of a repeated training, as the main thread keeps them. */
export interface RepeatedRuns extends Omit<Repeated, 'repetition'> {
  /** The main split's networks, one per seed, `--seed`'s first. */
  members: FittedNetwork[];
}

/**
 * A trained network — or the networks of a repeated training, the first being `--seed`'s — with
 * its split, encoders and the baselines fitted on its training rows.
 */
export function completeTraining(
  table: ListenerTable,
  prepared: PreparedQuestion,
  fitted: FittedNetwork | (RepeatedRuns & { repetition: Repetition }),
  hyperparameters: Hyperparameters,
): TrainedQuestion {
  const { pipeline, question } = prepared;
  const trainKeys = rowKeys(table, question, prepared.split.train);
  const baselines =
    question.kind === 'classification'
      ? fitClassBaselines(trainKeys, prepared.train.labels!, pipeline.outputSize)
      : fitRegressionBaselines(trainKeys, pipeline.decodeValues(prepared.train.y));
  if (!('members' in fitted)) return { ...fitted, pipeline, prepared, hyperparameters, baselines };
  const { members, repetition, scores, permutationScores, seconds } = fitted;
  const first = members[0]!;
  return {
    ...first,
    ...(members.length > 1 ? { ensemble: members.map((member) => member.network) } : {}),
    pipeline,
    prepared,
    hyperparameters,
    baselines,
    repeated: { repetition, scores, permutationScores, seconds },
  };
}

/** `row 3 of data.csv` for the table's row index 2. */
function rowName(table: ListenerTable, row: number): string {
  return `row ${row + 1} of ${table.source}`;
}

/** Scores a model on some rows of a table (the test rows, or all rows of a new file). */
export function assessModel(
  model: Model,
  baselines: StoredBaselines,
  table: ListenerTable,
  rows: Int32Array | undefined,
  options: { seed: number; chiSquareOnAllRows: boolean; procedure?: ProcedureTest },
): Assessment {
  const { network, pipeline } = model;
  const question = pipeline.question;
  const x = pipeline.encodeInputs(table, rows);
  const y = pipeline.encodeTarget(table, rows);
  const outputs = finiteOutputs(model, x, (i) => rowName(table, rows === undefined ? i : rows[i]!));
  const loss = computeLoss(network.loss, outputs, y);
  const keys = rowKeys(table, question, rows);
  const { phrasing, answerRows } = questionWords(question);
  const judged = {
    phrasing,
    answerRows,
    ...(options.procedure === undefined ? {} : { procedure: options.procedure }),
    seed: options.seed,
  };
  if (baselines.task === 'classification') {
    const chi = options.chiSquareOnAllRows ? chiSquareInputs(table, question) : undefined;
    return assessClassification({
      labels: pipeline.targetLabels(table, rows),
      predictions: pipeline.predictedLabels(outputs),
      keys,
      classes: pipeline.outputSize,
      loss,
      baselines,
      ...(chi === undefined ? {} : { chiSquare: chi }),
      ...judged,
    });
  }
  return assessRegression({
    targets: pipeline.decodeValues(y),
    predictions: pipeline.decodeValues(outputs),
    keys,
    loss,
    baselines,
    ...judged,
  });
}

/** The parts a {@link QuestionResult} is made of. */
export interface ResultParts {
  model: Model;
  assessment: Assessment;
  answer: Answer;
  split: QuestionResult['split'];
  scoredOn: string;
  hyperparameters: Hyperparameters;
  repetition?: Repetition;
  seeds?: SeedSpread;
  training: TrainingFacts;
}

/** The confusion matrix with its classes in the order the answer table shows them. */
function displayedConfusion(labels: readonly string[], counts: number[][]) {
  const order = classDisplayOrder(labels);
  return {
    labels: order.map((i) => labels[i]!),
    counts: order.map((r) => order.map((c) => counts[r]![c]!)),
  };
}

/** Assembles what the outputs show about a question. */
export function questionResult(parts: ResultParts): QuestionResult {
  const { model, assessment, answer } = parts;
  const { network, pipeline } = model;
  const question = pipeline.question;
  const words = questionWords(question);
  return {
    id: question.id,
    title: question.title,
    task: question.kind,
    inputName: words.inputName,
    targetName: words.targetName,
    split: parts.split,
    scoredOn: parts.scoredOn,
    network: {
      layers: [network.inputSize, ...network.architecture().map((layer) => layer.units)],
      parameters: network.parameterCount(),
    },
    hyperparameters: parts.hyperparameters,
    ...(parts.repetition === undefined ? {} : { repetition: parts.repetition }),
    training: parts.training,
    test: assessment.test,
    ...(parts.seeds === undefined ? {} : { seeds: parts.seeds }),
    baseline: assessment.baseline,
    baselines: assessment.baselines,
    significance: assessment.significance,
    ...(assessment.confusion === undefined
      ? {}
      : { confusion: displayedConfusion(pipeline.targetNames, assessment.confusion) }),
    answer: answer.rows,
    answerTable: answer.table,
    answerNote: answer.note,
    answerCharts: answer.charts,
  };
}

/** Everything the outputs show about a trained question, scored on its test rows. */
export function describeQuestion(trained: TrainedQuestion, table: ListenerTable): QuestionResult {
  const { prepared, history, repeated } = trained;
  const procedure =
    repeated === undefined || repeated.repetition.permutations === 0
      ? undefined
      : procedureTest(repeated.scores[0]![0]!, repeated.permutationScores);
  return questionResult({
    model: trained,
    assessment: assessModel(trained, trained.baselines, table, prepared.split.test, {
      seed: trained.hyperparameters.seed,
      chiSquareOnAllRows: true,
      ...(procedure === undefined ? {} : { procedure }),
    }),
    ...(repeated === undefined
      ? {}
      : { repetition: repeated.repetition, seeds: seedSpread(repeated.scores) }),
    answer: answerFor(trained, table),
    split: {
      train: prepared.split.train.length,
      validation: prepared.split.validation.length,
      test: prepared.split.test.length,
    },
    scoredOn: `${grouped(prepared.split.test.length)} test rows`,
    hyperparameters: trained.hyperparameters,
    training: {
      epochs: history.epochsRun,
      bestEpoch: history.bestEpoch,
      stoppedEarly: history.stoppedEarly,
      seconds: trained.seconds,
      rowsSeen: trained.rows,
      ...(repeated === undefined
        ? {}
        : { trainings: trainingsOf(repeated.repetition), totalSeconds: repeated.seconds }),
      history: history.epochs.map(({ epoch, trainLoss, validationLoss, validationMetric }) => ({
        epoch,
        trainLoss,
        validationLoss,
        validationMetric,
      })),
    },
  });
}
