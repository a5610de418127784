import { Matrix } from '@scratchnet/linalg';
import { parseLabelCell, parseNumberCell, checkNumber } from './cells.js';
import { DataError } from './errors.js';
import { invalidJson, readLiteral, readObject } from './json.js';
import { MinMaxScaler } from './min-max-scaler.js';
import type { HandleUnknown } from './one-hot-encoder.js';
import { argmaxRows, OneHotEncoder } from './one-hot-encoder.js';
import type { EncodedColumn, QuestionDefinition } from './questions.js';
import { getQuestion, validateQuestion } from './questions.js';
import { getColumnSpec, normalizeHeader } from './schema.js';
import type { Parts, Split, SplitOptions } from './split.js';
import { trainValTestSplit } from './split.js';
import type { CellValue, ListenerTable } from './table.js';
import { StandardScaler } from './standard-scaler.js';

/** The encoder of one column: a one-hot encoder for categories, a scaler for numbers. */
export type ColumnEncoder = OneHotEncoder | StandardScaler | MinMaxScaler;

/** A fitted column of a pipeline and where its encoded columns sit in the matrix. */
export interface FittedColumn {
  readonly column: string;
  readonly encoding: EncodedColumn['encoding'];
  readonly encoder: ColumnEncoder;
  /** First matrix column it fills. */
  readonly offset: number;
  /** Number of matrix columns it fills. */
  readonly width: number;
}

/** Options of `QuestionPipeline.fit`. */
export interface FitOptions {
  /**
   * The rows whose values become the one-hot encoders' categories (default: the training rows).
   * Every row of a file makes the categories the same whichever rows a seed puts in training: a
   * category only in the validation or test rows is then a column the network never sees set in
   * training, rather than an error. Only the names of the categories are taken from these rows.
   */
  readonly categoryRows?: ArrayLike<number>;
}

/** Options of the pipeline's encode methods. */
export interface EncodeOptions {
  /**
   * A category of an input column not seen in training: `error` (default) throws a `DataError`
   * (`UNKNOWN_CATEGORY`); `ignore` leaves that column's one-hot block all zero.
   */
  readonly handleUnknown?: HandleUnknown;
}

/** The plain-JSON form of a fitted `QuestionPipeline`, as a saved model carries it. */
export interface QuestionPipelineJSON {
  readonly format: 'scratchnet.question-pipeline';
  readonly version: 1;
  readonly question: QuestionDefinition;
  /** One encoder per input of the question, in order. */
  readonly inputs: readonly unknown[];
  readonly target: unknown;
}

const FORMAT = 'scratchnet.question-pipeline';

/**
 * A question's encoders, fitted on the training rows only and then applied to any rows: the
 * validation and test parts, a new file, or hand-written records. It builds the input matrix
 * (encoded columns side by side, in the question's order) and the target matrix (one-hot classes,
 * or the scaled target), and turns the network's outputs back into class names or real units.
 * `toJSON` / `fromJSON` let a saved model carry it.
 */
export class QuestionPipeline {
  /** The question it answers. */
  readonly question: QuestionDefinition;
  /** The fitted input columns, in matrix order. */
  readonly inputs: readonly FittedColumn[];
  /** The fitted target column. */
  readonly target: FittedColumn;
  /** One name per input matrix column: `country=Japan`, `age`. */
  readonly inputNames: readonly string[];
  /** One name per output column: the classes, or the target column's key. */
  readonly targetNames: readonly string[];

  private constructor(
    question: QuestionDefinition,
    encoders: ColumnEncoder[],
    target: ColumnEncoder,
  ) {
    this.question = question;
    let offset = 0;
    this.inputs = Object.freeze(
      question.inputs.map((input, i) => {
        const fitted = describeFitted(input, encoders[i]!, offset);
        offset += fitted.width;
        return fitted;
      }),
    );
    this.target = describeFitted(question.target, target, 0);
    this.inputNames = Object.freeze(this.inputs.flatMap((f) => featureNames(f)));
    this.targetNames = Object.freeze(
      target instanceof OneHotEncoder ? [...target.categories] : [question.target.column],
    );
  }

  /**
   * Fits every encoder of `question` on the rows `trainRows` of `table` (and on no other row, so
   * nothing of the validation or test part leaks into training). With `options.categoryRows`, the
   * one-hot encoders take their categories from those rows instead (the scalers still see only
   * `trainRows`).
   */
  static fit(
    question: QuestionDefinition | string,
    table: ListenerTable,
    trainRows: ArrayLike<number>,
    options: FitOptions = {},
  ): QuestionPipeline {
    const definition =
      typeof question === 'string' ? getQuestion(question) : validateQuestion(question);
    if (trainRows.length === 0) throw new RangeError('QuestionPipeline.fit: no training rows');
    const categoryRows = options.categoryRows ?? trainRows;
    const fitOne = (c: EncodedColumn): ColumnEncoder => {
      if (c.encoding === 'one-hot') {
        return new OneHotEncoder({ name: c.column }).fit(
          categoriesAt(table, c.column, categoryRows),
        );
      }
      const values = numbersAt(table, c.column, trainRows);
      return c.encoding === 'standard'
        ? new StandardScaler({ name: c.column }).fit(values)
        : new MinMaxScaler({ name: c.column }).fit(values);
    };
    return new QuestionPipeline(
      definition,
      definition.inputs.map(fitOne),
      fitOne(definition.target),
    );
  }

  /** Width of the input matrix. */
  get inputSize(): number {
    return this.inputNames.length;
  }

  /** Width of the output (target) matrix. */
  get outputSize(): number {
    return this.targetNames.length;
  }

  /** The input matrix for `rows` of `table` (default: every row, in order). */
  encodeInputs(
    table: ListenerTable,
    rows?: ArrayLike<number>,
    options: EncodeOptions = {},
  ): Matrix {
    const selected = rows ?? allRows(table.rows);
    const out = new Matrix(selected.length, this.inputSize);
    for (const fitted of this.inputs)
      writeColumn(fitted, table, selected, out, options.handleUnknown ?? 'error');
    return out;
  }

  /**
   * The input matrix for hand-written records, keyed by column key or header:
   * `[{ country: 'Japan', streaming_platform: 'Spotify' }]`. Values are checked like a file's
   * cells (numbers may be given as numbers or as text).
   */
  encodeInputRecords(
    records: readonly Readonly<Record<string, CellValue>>[],
    options: EncodeOptions = {},
  ): Matrix {
    const out = new Matrix(records.length, this.inputSize);
    const ignore = options.handleUnknown === 'ignore';
    records.forEach((record, i) => {
      const byKey = new Map(Object.entries(record).map(([k, v]) => [normalizeHeader(k), v]));
      for (const fitted of this.inputs) {
        const spec = getColumnSpec(fitted.column);
        const raw = byKey.get(fitted.column);
        const where = { file: '<records>', line: i + 1 };
        if (raw === undefined) {
          throw new DataError('MISSING_COLUMN', `record ${i + 1} has no ${fitted.column}`, {
            expected: `records with ${this.inputs.map((f) => f.column).join(', ')}`,
          });
        }
        const at = i * out.cols + fitted.offset;
        const encoder = fitted.encoder;
        if (encoder instanceof OneHotEncoder) {
          const label = parseLabelCell(spec, String(raw), where);
          const j = encoder.indexOf(label);
          if (j >= 0) out.data[at + j] = 1;
          else if (!ignore) throw encoder.unknown(label, `record ${i + 1}`);
        } else {
          const x =
            typeof raw === 'number'
              ? checkNumber(spec, raw, where)
              : parseNumberCell(spec, raw, where);
          out.data[at] = encoder.transformValue(x);
        }
      }
    });
    return out;
  }

  /**
   * The target matrix for `rows` of `table`: one-hot classes (a class not seen in training is a
   * `DataError`), or the scaled target as an m×1 matrix.
   */
  encodeTarget(table: ListenerTable, rows?: ArrayLike<number>): Matrix {
    const selected = rows ?? allRows(table.rows);
    const out = new Matrix(selected.length, this.outputSize);
    writeColumn(this.target, table, selected, out, 'error');
    return out;
  }

  /** Class codes (indices into `targetNames`) of `rows`; classification only. */
  targetLabels(table: ListenerTable, rows?: ArrayLike<number>): Int32Array {
    const encoder = this.#classEncoder('targetLabels');
    const selected = rows ?? allRows(table.rows);
    const lookup = dictionaryLookup(encoder, table, this.target.column);
    const { codes } = table.codes(this.target.column);
    const out = new Int32Array(selected.length);
    for (let i = 0; i < selected.length; i++) {
      const r = checkedRow(selected[i]!, table);
      const j = lookup[codes[r]!]!;
      if (j < 0)
        throw encoder.unknown(
          table.codes(this.target.column).dictionary[codes[r]!]!,
          rowLabel(table, r),
        );
      out[i] = j;
    }
    return out;
  }

  /**
   * Turns network outputs back into answers: class names (argmax of each row) for a
   * classification question, target values in real units (e.g. minutes) for a regression one.
   */
  decodeTarget(predictions: Matrix): string[] | Float64Array {
    return this.question.kind === 'classification'
      ? this.decodeClasses(predictions)
      : this.decodeValues(predictions);
  }

  /** Class name of each row's largest output; classification only. */
  decodeClasses(predictions: Matrix): string[] {
    return this.#classEncoder('decodeClasses').inverseTransform(predictions);
  }

  /** Class index of each row's largest output; classification only. */
  predictedLabels(predictions: Matrix): Int32Array {
    const encoder = this.#classEncoder('predictedLabels');
    if (predictions.cols !== encoder.size) {
      throw new RangeError(
        `predictedLabels: expected ${encoder.size} columns, got ${predictions.cols}`,
      );
    }
    return argmaxRows(predictions);
  }

  /** Predicted values (m×1) back in the target's units; regression only. */
  decodeValues(predictions: Matrix): Float64Array {
    const encoder = this.target.encoder;
    if (encoder instanceof OneHotEncoder) {
      throw new TypeError(
        `decodeValues: question ${this.question.id} is a classification question`,
      );
    }
    if (predictions.cols !== 1) {
      throw new RangeError(`decodeValues: expected 1 column, got ${predictions.cols}`);
    }
    return encoder.inverseTransform(predictions.data);
  }

  /** The plain-JSON form. */
  toJSON(): QuestionPipelineJSON {
    return {
      format: FORMAT,
      version: 1,
      question: this.question,
      inputs: this.inputs.map((f) => f.encoder.toJSON()),
      target: this.target.encoder.toJSON(),
    };
  }

  /**
   * Rebuilds a pipeline from `toJSON()`'s output (parsed JSON). Everything is checked; a
   * `DataError` (`INVALID_JSON` or `INVALID_QUESTION`) names the first thing that is wrong by its
   * path, e.g. `pipeline.inputs[0].categories[3]`.
   */
  static fromJSON(json: unknown): QuestionPipeline {
    const path = 'pipeline';
    const object = readObject(json, path);
    readLiteral(object, 'format', FORMAT, path);
    if (object.version !== 1) throw invalidJson(`${path}.version`, object.version, '1');
    const question = validateQuestion(object.question, `${path}.question`);
    const saved = object.inputs;
    if (!Array.isArray(saved) || saved.length !== question.inputs.length) {
      throw invalidJson(`${path}.inputs`, saved, `an array of ${question.inputs.length} encoders`);
    }
    const inputs = question.inputs.map((c, i) =>
      encoderFromJSON(c, saved[i], `${path}.inputs[${i}]`),
    );
    const target = encoderFromJSON(question.target, object.target, `${path}.target`);
    return new QuestionPipeline(question, inputs, target);
  }

  #classEncoder(method: string): OneHotEncoder {
    const encoder = this.target.encoder;
    if (!(encoder instanceof OneHotEncoder)) {
      throw new TypeError(`${method}: question ${this.question.id} is a regression question`);
    }
    return encoder;
  }
}

/** The three parts of a prepared question: their row indices and matrices. */
export interface PreparedPart {
  /** Row indices into the table. */
  readonly rows: Int32Array;
  /** Inputs, one row per listener. */
  readonly x: Matrix;
  /** Targets: one-hot classes, or the scaled target (m×1). */
  readonly y: Matrix;
  /** Class codes (classification questions only). */
  readonly labels?: Int32Array;
}

/** What `prepareQuestion` gives back. */
export interface PreparedQuestion extends Parts<PreparedPart> {
  readonly question: QuestionDefinition;
  readonly pipeline: QuestionPipeline;
  readonly split: Split;
}

/** Options of `prepareQuestion`. */
export interface PrepareOptions {
  /** Seed of the split. */
  readonly seed?: number;
  /** Train / validation / test fractions, default [0.6, 0.2, 0.2]. */
  readonly fractions?: SplitOptions['fractions'];
  /** Split each class in the same proportions (classification questions only). */
  readonly stratify?: boolean;
  /**
   * Where the one-hot encoders' categories come from: `train` (default) the training rows, `all`
   * every row of the table (see `FitOptions.categoryRows`).
   */
  readonly categoriesFrom?: 'train' | 'all';
}

/**
 * Everything a training run needs for one question: a seeded split of the table's rows, the
 * pipeline fitted on the training part, and each part's matrices.
 *
 * ```ts
 * const p = prepareQuestion('genre-by-country', table, { seed: 42 });
 * p.train.x.rows;  // 3000 (of 5000)
 * p.train.x.cols;  // 10 countries
 * p.train.y.cols;  // 10 genres
 * ```
 */
export function prepareQuestion(
  question: QuestionDefinition | string,
  table: ListenerTable,
  options: PrepareOptions = {},
): PreparedQuestion {
  const definition =
    typeof question === 'string' ? getQuestion(question) : validateQuestion(question);
  let stratify: Int32Array | undefined;
  if (options.stratify === true) {
    if (definition.kind !== 'classification') {
      throw new RangeError(
        `prepareQuestion: stratify needs a classification question, ${definition.id} is a regression`,
      );
    }
    // Grouping by the table's own codes only decides which rows go where; nothing is fitted on it.
    stratify = table.codes(definition.target.column).codes;
  }
  const split = trainValTestSplit(table.rows, {
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.fractions === undefined ? {} : { fractions: options.fractions }),
    ...(stratify === undefined ? {} : { stratify }),
  });
  const pipeline = QuestionPipeline.fit(
    definition,
    table,
    split.train,
    options.categoriesFrom === 'all' ? { categoryRows: allRows(table.rows) } : {},
  );
  const part = (rows: Int32Array): PreparedPart => ({
    rows,
    x: pipeline.encodeInputs(table, rows),
    y: pipeline.encodeTarget(table, rows),
    ...(definition.kind === 'classification' ? { labels: pipeline.targetLabels(table, rows) } : {}),
  });
  return {
    question: definition,
    pipeline,
    split,
    train: part(split.train),
    validation: part(split.validation),
    test: part(split.test),
  };
}

function describeFitted(c: EncodedColumn, encoder: ColumnEncoder, offset: number): FittedColumn {
  const width = encoder instanceof OneHotEncoder ? encoder.size : 1;
  return Object.freeze({ column: c.column, encoding: c.encoding, encoder, offset, width });
}

function featureNames(f: FittedColumn): string[] {
  return f.encoder instanceof OneHotEncoder ? f.encoder.featureNames() : [f.column];
}

function encoderFromJSON(c: EncodedColumn, json: unknown, path: string): ColumnEncoder {
  switch (c.encoding) {
    case 'one-hot':
      return OneHotEncoder.fromJSON(json, path);
    case 'standard': {
      const scaler = StandardScaler.fromJSON(json, path);
      return checkWidthOne(scaler.mean.length, path, scaler);
    }
    case 'min-max': {
      const scaler = MinMaxScaler.fromJSON(json, path);
      return checkWidthOne(scaler.dataMin.length, path, scaler);
    }
  }
}

function checkWidthOne<T>(width: number, path: string, encoder: T): T {
  if (width !== 1) throw invalidJson(`${path}`, `${width} columns`, 'a scaler of one column');
  return encoder;
}

function allRows(n: number): Int32Array {
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return rows;
}

function checkedRow(r: number, table: ListenerTable): number {
  if (!Number.isInteger(r) || r < 0 || r >= table.rows) {
    throw new RangeError(`row ${r} is outside 0..${table.rows - 1} of ${table.source}`);
  }
  return r;
}

function rowLabel(table: ListenerTable, r: number): string {
  return `row ${r + 1} of ${table.source}`;
}

function categoriesAt(table: ListenerTable, column: string, rows: ArrayLike<number>): string[] {
  const { codes, dictionary } = table.codes(column);
  const seen = new Uint8Array(dictionary.length);
  for (let i = 0; i < rows.length; i++) seen[codes[checkedRow(rows[i]!, table)]!] = 1;
  return dictionary.filter((_, code) => seen[code] === 1);
}

function numbersAt(table: ListenerTable, column: string, rows: ArrayLike<number>): Float64Array {
  const values = table.numbers(column);
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = values[checkedRow(rows[i]!, table)]!;
  return out;
}

/** For each code of the table's dictionary, the encoder's column (−1: unseen in training). */
function dictionaryLookup(
  encoder: OneHotEncoder,
  table: ListenerTable,
  column: string,
): Int32Array {
  const { dictionary } = table.codes(column);
  return Int32Array.from(dictionary, (value) => encoder.indexOf(value));
}

/** Writes one fitted column's encoding of `rows` into `out`. */
function writeColumn(
  fitted: FittedColumn,
  table: ListenerTable,
  rows: ArrayLike<number>,
  out: Matrix,
  handleUnknown: HandleUnknown,
): void {
  const { encoder, offset } = fitted;
  const { cols, data } = out;
  if (encoder instanceof OneHotEncoder) {
    const lookup = dictionaryLookup(encoder, table, fitted.column);
    const { codes, dictionary } = table.codes(fitted.column);
    for (let i = 0; i < rows.length; i++) {
      const r = checkedRow(rows[i]!, table);
      const j = lookup[codes[r]!]!;
      if (j >= 0) data[i * cols + offset + j] = 1;
      else if (handleUnknown === 'error')
        throw encoder.unknown(dictionary[codes[r]!]!, rowLabel(table, r));
    }
  } else {
    const values = table.numbers(fitted.column);
    for (let i = 0; i < rows.length; i++) {
      data[i * cols + offset] = encoder.transformValue(values[checkedRow(rows[i]!, table)]!);
    }
  }
}
