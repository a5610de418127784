/**
 * Model files: the network (nn's versioned JSON) plus what `train` attaches — the fitted encoders
 * of the question, the hyper-parameters, the baselines fitted on the training rows and the
 * training history. Loading checks everything and names the file in every error: a corrupt file,
 * a file of another format version, and a network whose shapes do not match its encoders are all
 * refused with one clear line (exit code 1).
 */
import { promises as fs } from 'node:fs';
import type { History, Network } from '@scratchnet/nn';
import { loadModel, ModelError, saveModel } from '@scratchnet/nn';
import type { QuestionDefinition } from '@scratchnet/preprocess';
import {
  DataError,
  getColumnSpec,
  QUESTION_IDS,
  QUESTIONS,
  QuestionPipeline,
  StandardScaler,
} from '@scratchnet/preprocess';
import type { Model } from './answers.js';
import type { StoredBaselines } from './baselines.js';
import { readStoredBaselines } from './baselines.js';
import { CliError } from './errors.js';
import type { DatasetInfo, EpochPoint, Hyperparameters } from './results.js';

/** What `train` records about a run, in the model file's `training` field. */
export interface TrainingRecord {
  /** The question id. */
  question: string;
  /** The scratchnet CLI version that trained it. */
  scratchnet: string;
  dataset: DatasetInfo;
  hyperparameters: Hyperparameters;
  split: { train: number; validation: number; test: number };
  epochs: number;
  bestEpoch: number;
  stoppedEarly: boolean;
  /** Wall-clock seconds training took. */
  seconds: number;
  /** Baselines fitted on the training rows, for `evaluate`. */
  baselines: StoredBaselines;
}

/** A model file read back. */
export interface LoadedModelFile extends Model {
  /** The file it was read from, for messages. */
  path: string;
  /** The `training` record, when the file has one from `scratchnet train`. */
  training?: Partial<TrainingRecord>;
  /** The baselines fitted on the training rows, when present and well-formed. */
  baselines?: StoredBaselines;
  /** Per-epoch history, when present. */
  history?: EpochPoint[];
}

/** The model file's text for a trained network. */
export function modelFileText(
  network: Network,
  pipeline: QuestionPipeline,
  training: TrainingRecord,
  history: History,
): string {
  const json = saveModel(network, {
    training,
    preprocessing: pipeline.toJSON(),
    history: history.epochs.map(({ epoch, trainLoss, validationLoss, validationMetric }) => ({
      epoch,
      trainLoss,
      validationLoss,
      validationMetric,
    })),
  });
  return `${JSON.stringify(json)}\n`;
}

/**
 * The largest model file read: about the longest string V8 makes, so a bigger file fails with a
 * line rather than an internal error. The largest network `train` makes (4,096 units a layer) fits
 * many times over.
 */
export const MAX_MODEL_BYTES = 512 * 1024 * 1024;

/**
 * The most training rows stored class counts may add up to: as many as `generate` writes. The
 * counts are expanded into one label per row when a model is scored.
 */
export const MAX_TRAINING_ROWS = 10_000_000;

async function readModelText(path: string): Promise<string> {
  let stat;
  try {
    stat = await fs.stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError(`${path}: no such model file`, 'model-not-found');
    throw new CliError(
      `${path}: cannot read the model file (${code ?? 'error'})`,
      'model-unreadable',
    );
  }
  if (stat.isDirectory())
    throw new CliError(`${path}: is a folder, not a model file`, 'model-not-a-file');
  // Reading a FIFO or a device would wait for a writer, or read forever.
  if (!stat.isFile())
    throw new CliError(`${path}: not a regular file, expected a model file`, 'model-not-a-file');
  if (stat.size === 0) throw new CliError(`${path}: the model file is empty`, 'model-empty');
  if (stat.size > MAX_MODEL_BYTES) {
    throw new CliError(
      `${path}: the model file is ${stat.size} bytes, expected at most ${MAX_MODEL_BYTES} (512 MiB)`,
      'model-too-large',
    );
  }
  try {
    return await fs.readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      `${path}: cannot read the model file (${code ?? 'error'})`,
      'model-unreadable',
    );
  }
}

function isHistory(value: unknown): value is EpochPoint[] {
  return (
    Array.isArray(value) &&
    value.every(
      (point) =>
        typeof point === 'object' &&
        point !== null &&
        ['epoch', 'trainLoss', 'validationLoss', 'validationMetric'].every(
          (key) => typeof (point as Record<string, unknown>)[key] === 'number',
        ),
    )
  );
}

/** A question's columns in words, e.g. `country (one-hot) → top_genre (one-hot)`. */
function questionShape(question: QuestionDefinition): string {
  const column = ({ column, encoding }: { column: string; encoding: string }) =>
    `${column} (${encoding})`;
  return `${question.kind}: ${question.inputs.map(column).join(', ')} → ${column(question.target)}`;
}

/**
 * Checks that the question saved with the encoders is one of the three, as the CLI defines it:
 * the answer tables and the sentences are chosen by the question's id, so a model whose id and
 * columns disagree would be read with the wrong columns.
 */
function checkKnownQuestion(path: string, saved: QuestionDefinition): void {
  const known = QUESTIONS.find((question) => question.id === saved.id);
  if (known === undefined) {
    throw new CliError(
      `${path}: the model answers question ${JSON.stringify(saved.id)}, expected one of ${QUESTION_IDS.join(', ')}`,
      'model-unknown-question',
    );
  }
  if (questionShape(saved) !== questionShape(known)) {
    throw new CliError(
      `${path}: the encoders are for ${questionShape(saved)} but question ${known.id} is ${questionShape(known)}`,
      'model-shape-mismatch',
    );
  }
}

/**
 * The training record with its hyper-parameters' `dtype` filled in: a file saved before `--dtype`
 * existed has none and was trained in float64. The field is additive (a reader that ignores it
 * loses nothing), so the format version stays 1. A value other than `f64` or `f32` is refused.
 */
function withDtype(path: string, training: Partial<TrainingRecord>): Partial<TrainingRecord> {
  const saved: unknown = training.hyperparameters;
  if (typeof saved !== 'object' || saved === null) return training;
  const dtype = (saved as { dtype?: unknown }).dtype;
  if (dtype === undefined) {
    return { ...training, hyperparameters: { ...(saved as Hyperparameters), dtype: 'f64' } };
  }
  if (dtype !== 'f64' && dtype !== 'f32') {
    throw new CliError(
      `${path}: training.hyperparameters.dtype is ${JSON.stringify(dtype)}, expected "f64" or "f32"`,
      'model-bad-training',
    );
  }
  return training;
}

/**
 * Checks `training.split` when present (it is shown, and `train` counts the class baselines on its
 * training rows) and returns its training rows.
 */
function checkSplit(path: string, split: unknown): number | undefined {
  if (split === undefined) return undefined;
  const parts = ['train', 'validation', 'test'] as const;
  const record = (typeof split === 'object' && split !== null ? split : {}) as Record<
    string,
    unknown
  >;
  for (const part of parts) {
    const rows = record[part];
    if (
      typeof rows !== 'number' ||
      !Number.isInteger(rows) ||
      rows < 0 ||
      rows > MAX_TRAINING_ROWS
    ) {
      throw new CliError(
        `${path}: training.split.${part} is ${JSON.stringify(rows) ?? 'missing'}, expected a whole number of rows from 0 to ${MAX_TRAINING_ROWS}`,
        'model-bad-training',
      );
    }
  }
  return record.train as number;
}

/**
 * The smallest scale a scaler may have, as a share of its column's range. A scaler fitted on
 * whole numbers (ages, minutes) of up to ten million rows has a spread of at least 1/√10⁷, or a
 * scale of 1 when the column is constant; a crafted scale of 5e-324 turns an age into Infinity.
 */
const MIN_SCALE_SHARE = 1e-9;

/**
 * Checks each scaler against its column's range: a scaler fitted on values inside the range has
 * its mean inside it and a scale no larger than it (a scale of 1e308 would make every age the same
 * input, and as a target's scale would print minutes of 1e308).
 */
function checkScalers(path: string, pipeline: QuestionPipeline): void {
  const fitted = [
    ...pipeline.inputs.map((input, i) => ({ at: `inputs[${i}]`, input })),
    { at: 'target', input: pipeline.target },
  ];
  for (const { at, input } of fitted) {
    const scaler = input.encoder;
    if (!(scaler instanceof StandardScaler)) continue;
    const spec = getColumnSpec(input.column);
    const low = spec.min ?? -Number.MAX_VALUE;
    const high = spec.max ?? Number.MAX_VALUE;
    const width = high - low;
    const [mean, scale] = [scaler.mean[0]!, scaler.scale[0]!];
    const where = `${path}: encoders: pipeline.${at}`;
    if (!(mean >= low && mean <= high)) {
      throw new CliError(
        `${where}.mean[0] is ${mean}, expected a number from ${low} to ${high} (${spec.header})`,
        'model-bad-encoders',
      );
    }
    const smallest = width * MIN_SCALE_SHARE;
    if (!(scale >= smallest && scale <= width)) {
      throw new CliError(
        `${where}.scale[0] is ${scale}, expected a number from ${smallest.toPrecision(2)} to ${width} (the range of ${spec.header})`,
        'model-bad-encoders',
      );
    }
  }
}

/** Reads and checks a model file. */
export async function loadModelFile(path: string): Promise<LoadedModelFile> {
  const text = await readModelText(path);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliError(
      `${path}: not a model file: the text is not valid JSON (${(error as Error).message})`,
      'model-corrupt',
    );
  }
  let loaded;
  try {
    loaded = loadModel(value);
  } catch (error) {
    if (error instanceof ModelError)
      throw new CliError(`${path}: ${error.message}`, `model-${error.code.toLowerCase()}`);
    throw error;
  }
  if (loaded.preprocessing === undefined) {
    throw new CliError(
      `${path}: the model has no encoders (preprocessing); save it with scratchnet train`,
      'model-no-encoders',
    );
  }
  let pipeline: QuestionPipeline;
  try {
    pipeline = QuestionPipeline.fromJSON(loaded.preprocessing);
  } catch (error) {
    if (error instanceof DataError)
      throw new CliError(`${path}: encoders: ${error.message}`, 'model-bad-encoders');
    throw error;
  }
  const network = loaded.network;
  const question = pipeline.question;
  checkKnownQuestion(path, question);
  if (network.task !== question.kind) {
    throw new CliError(
      `${path}: the network is a ${network.task} network but question ${question.id} is a ${question.kind} question`,
      'model-shape-mismatch',
    );
  }
  if (network.inputSize !== pipeline.inputSize) {
    throw new CliError(
      `${path}: the network takes ${network.inputSize} inputs but its encoders make ${pipeline.inputSize} (${pipeline.inputNames.join(', ')})`,
      'model-shape-mismatch',
    );
  }
  if (network.outputSize !== pipeline.outputSize) {
    throw new CliError(
      `${path}: the network has ${network.outputSize} outputs but its encoders expect ${pipeline.outputSize} (${pipeline.targetNames.join(', ')})`,
      'model-shape-mismatch',
    );
  }
  const output = network.architecture().at(-1)!.activation;
  if (question.kind === 'classification' && output !== 'softmax') {
    throw new CliError(
      `${path}: the network's output activation is ${output}, expected softmax: question ${question.id} picks one of ${network.outputSize} classes per row`,
      'model-shape-mismatch',
    );
  }
  checkScalers(path, pipeline);
  const result: LoadedModelFile = { path, network, pipeline };
  if (typeof loaded.training === 'object' && loaded.training !== null) {
    result.training = withDtype(path, loaded.training as Partial<TrainingRecord>);
    const trainRows = checkSplit(path, result.training.split);
    if (result.training.baselines !== undefined) {
      const target = getColumnSpec(question.target.column);
      const baselines = readStoredBaselines(result.training.baselines, {
        classes: pipeline.outputSize,
        maxRows: MAX_TRAINING_ROWS,
        ...(trainRows === undefined ? {} : { trainRows }),
        range: [target.min ?? -Number.MAX_VALUE, target.max ?? Number.MAX_VALUE],
      });
      if (typeof baselines === 'string' || baselines.task !== question.kind) {
        throw new CliError(
          `${path}: training.baselines${typeof baselines === 'string' ? baselines : `.task is "${baselines.task}", expected "${question.kind}"`}`,
          'model-bad-training',
        );
      }
      result.baselines = baselines;
    }
  }
  if (isHistory(loaded.history)) result.history = loaded.history;
  return result;
}
