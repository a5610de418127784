/**
 * One question from data to answer: split, fit the encoders on the training rows, train the
 * network with early stopping, then score it on the test rows beside the baselines and build the
 * answer table from all rows.
 */
import type { History } from '@scratchnet/nn';
import { computeLoss, fitAsync, Network, TrainingError } from '@scratchnet/nn';
import type { ListenerTable, PreparedQuestion, QuestionDefinition } from '@scratchnet/preprocess';
import { DataError, prepareQuestion } from '@scratchnet/preprocess';
import type { Answer, Model } from './answers.js';
import { AGE_BANDS, ageBandIndex, answerFor, classDisplayOrder } from './answers.js';
import type { Assessment, ChiSquareInputs } from './assess.js';
import { assessClassification, assessRegression } from './assess.js';
import type { StoredBaselines } from './baselines.js';
import { fitClassBaselines, fitRegressionBaselines, inputKey } from './baselines.js';
import type { Context } from './context.js';
import { CliError, UsageError } from './errors.js';
import { grouped } from './format.js';
import type { Hyperparameters, QuestionResult, TrainingFacts } from './results.js';
import type { Phrasing } from './sentence.js';
import type { Progress } from './terminal.js';
import { progressBar, silentProgress } from './terminal.js';

/** How each question is said in words. */
const WORDS: Record<string, { phrasing: Phrasing; inputName: string; targetName: string }> = {
  'genre-by-country': {
    phrasing: { subject: 'country', verb: 'predicts', object: 'genre' },
    inputName: 'country',
    targetName: 'top genre',
  },
  'minutes-by-country-platform': {
    phrasing: { subject: 'country and platform', verb: 'predict', object: 'minutes streamed' },
    inputName: 'country and platform',
    targetName: 'minutes per day',
  },
  'listening-time-by-age': {
    phrasing: { subject: 'age', verb: 'predicts', object: 'listening time' },
    inputName: 'age',
    targetName: 'listening time',
  },
};

/** The words for a question (made from its column names when it is not one of the three). */
export function questionWords(question: QuestionDefinition) {
  const known = WORDS[question.id];
  if (known !== undefined) return known;
  const subject = question.inputs.map((input) => input.column.replace(/_/g, ' ')).join(' and ');
  const object = question.target.column.replace(/_/g, ' ');
  return {
    phrasing: { subject, verb: question.inputs.length > 1 ? 'predict' : 'predicts', object },
    inputName: subject,
    targetName: object,
  };
}

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

/** A trained question: the model, how training went, and the split it was trained on. */
export interface TrainedQuestion extends Model {
  prepared: PreparedQuestion;
  history: History;
  seconds: number;
  hyperparameters: Hyperparameters;
  baselines: StoredBaselines;
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
  let prepared: PreparedQuestion;
  try {
    prepared = prepareQuestion(question, table, { seed });
  } catch (error) {
    if (error instanceof DataError && error.code === 'UNKNOWN_CATEGORY') {
      throw new CliError(
        `${table.source}: too few rows for ${question.id}: ${error.problem} is only in the validation or test rows, ` +
          'not in the training rows the encoders were fitted on',
        'too-few-rows',
      );
    }
    throw error;
  }
  if (question.kind === 'classification' && prepared.pipeline.outputSize < 2) {
    throw new CliError(
      `${table.source}: too few rows for ${question.id}: the training rows hold one ${question.target.column} only (${prepared.pipeline.targetNames.join(', ')})`,
      'too-few-rows',
    );
  }
  return prepared;
}

/** A trained network and how its training went. */
export interface FittedNetwork {
  network: Network;
  history: History;
  /** Wall-clock seconds in `fit`. */
  seconds: number;
}

/**
 * nn's refusal of float32 training (a network it cannot train that way, or an engine without
 * WebAssembly SIMD) as a usage error naming the flag: changing `--dtype` is the fix.
 */
export function float32Refusal(error: unknown): UsageError | undefined {
  if (!(error instanceof TrainingError) || error.code !== 'INVALID_OPTIONS') return undefined;
  // nn words each such refusal as "dtype 'f32' <why>"; another invalid option is not about --dtype.
  const prefix = "dtype 'f32' ";
  if (!error.message.startsWith(prefix)) return undefined;
  return new UsageError(
    `--dtype f32 ${error.message.slice(prefix.length)}; use --dtype f64`,
    'dtype-unsupported',
  );
}

/** Creates the question's network and trains it with early stopping on the validation rows. */
export async function fitQuestion(
  prepared: PreparedQuestion,
  hyperparameters: Hyperparameters,
  progress: Progress,
): Promise<FittedNetwork> {
  const { pipeline } = prepared;
  const network = Network.create({
    inputSize: pipeline.inputSize,
    hidden: hyperparameters.hidden,
    outputSize: pipeline.outputSize,
    task: prepared.question.kind,
    seed: hyperparameters.seed,
  });
  const started = performance.now();
  let history: History;
  try {
    history = await fitAsync(network, prepared.train, prepared.validation, {
      epochs: hyperparameters.epochs,
      learningRate: hyperparameters.learningRate,
      patience: hyperparameters.patience,
      optimizer: hyperparameters.optimizer as 'sgd' | 'momentum' | 'adam',
      ...(hyperparameters.batchSize === 'full' ? {} : { batchSize: hyperparameters.batchSize }),
      seed: hyperparameters.seed,
      // Only a float32 run names the option, so float64 runs pass nn exactly what they always did.
      ...(hyperparameters.dtype === 'f32' ? { dtype: 'f32' as const } : {}),
      onEpoch: (record) => progress.update(record.epoch, record.validationLoss),
    });
  } catch (error) {
    const refusal = hyperparameters.dtype === 'f32' ? float32Refusal(error) : undefined;
    throw refusal ?? error;
  }
  return { network, history, seconds: (performance.now() - started) / 1000 };
}

/** A trained network with its split, encoders and the baselines fitted on its training rows. */
export function completeTraining(
  table: ListenerTable,
  prepared: PreparedQuestion,
  fitted: FittedNetwork,
  hyperparameters: Hyperparameters,
): TrainedQuestion {
  const { pipeline, question } = prepared;
  const trainKeys = rowKeys(table, question, prepared.split.train);
  const baselines =
    question.kind === 'classification'
      ? fitClassBaselines(trainKeys, prepared.train.labels!, pipeline.outputSize)
      : fitRegressionBaselines(trainKeys, pipeline.decodeValues(prepared.train.y));
  return { ...fitted, pipeline, prepared, hyperparameters, baselines };
}

/** Splits, encodes and trains one question (with a progress bar on a TTY). */
export async function trainQuestion(
  context: Context,
  question: QuestionDefinition,
  table: ListenerTable,
  hyperparameters: Hyperparameters,
): Promise<TrainedQuestion> {
  const prepared = prepareForTraining(question, table, hyperparameters.seed);
  const progress = context.progress
    ? progressBar(context.io, question.id, hyperparameters.epochs)
    : silentProgress;
  let fitted: FittedNetwork;
  try {
    fitted = await fitQuestion(prepared, hyperparameters, progress);
  } finally {
    progress.stop();
  }
  return completeTraining(table, prepared, fitted, hyperparameters);
}

/** Scores a model on some rows of a table (the test rows, or all rows of a new file). */
export function assessModel(
  model: Model,
  baselines: StoredBaselines,
  table: ListenerTable,
  rows: Int32Array | undefined,
  options: { seed: number; chiSquareOnAllRows: boolean },
): Assessment {
  const { network, pipeline } = model;
  const question = pipeline.question;
  const x = pipeline.encodeInputs(table, rows);
  const y = pipeline.encodeTarget(table, rows);
  const outputs = network.predict(x);
  const loss = computeLoss(network.loss, outputs, y);
  const keys = rowKeys(table, question, rows);
  const phrasing = questionWords(question).phrasing;
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
      phrasing,
      seed: options.seed,
    });
  }
  return assessRegression({
    targets: pipeline.decodeValues(y),
    predictions: pipeline.decodeValues(outputs),
    keys,
    loss,
    baselines,
    phrasing,
    seed: options.seed,
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
    training: parts.training,
    test: assessment.test,
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
  const { prepared, history } = trained;
  return questionResult({
    model: trained,
    assessment: assessModel(trained, trained.baselines, table, prepared.split.test, {
      seed: trained.hyperparameters.seed,
      chiSquareOnAllRows: true,
    }),
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
      history: history.epochs.map(({ epoch, trainLoss, validationLoss, validationMetric }) => ({
        epoch,
        trainLoss,
        validationLoss,
        validationMetric,
      })),
    },
  });
}
