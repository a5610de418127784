import { Matrix } from '@scratchnet/linalg';
import { DataError, quoteValue } from './errors.js';
import { compareCodeUnits, readEncoderJSON } from './json.js';

/** What to do with a category the encoder was not fitted on. */
export type HandleUnknown = 'error' | 'ignore';

/** Options of `OneHotEncoder.transform`. */
export interface OneHotTransformOptions {
  /** `error` (default): throw a `DataError` (`UNKNOWN_CATEGORY`); `ignore`: an all-zero row. */
  readonly handleUnknown?: HandleUnknown;
}

/** The plain-JSON form of a fitted `OneHotEncoder`. */
export interface OneHotEncoderJSON {
  readonly type: 'one-hot';
  /** The column it encodes, used in feature names and messages. */
  readonly name?: string;
  /** Sorted categories; category `categories[j]` sets column j. */
  readonly categories: readonly string[];
}

/**
 * One-hot encoding of a category column: one 0/1 column per category seen when fitting, in
 * sorted (UTF-16 code unit) order so the column order is the same on every machine.
 *
 * ```ts
 * const enc = new OneHotEncoder({ name: 'country' }).fit(['UK', 'Japan', 'UK']);
 * enc.categories;                        // ['Japan', 'UK']
 * enc.transform(['UK']).toArrays();      // [[0, 1]]
 * ```
 */
export class OneHotEncoder {
  /** The column it encodes (for feature names and messages), if given. */
  readonly name: string | undefined;
  #categories: readonly string[] | undefined;
  #index = new Map<string, number>();

  constructor(options: { name?: string } = {}) {
    this.name = options.name;
  }

  /** Whether `fit` (or `fromJSON`) has given it categories. */
  get fitted(): boolean {
    return this.#categories !== undefined;
  }

  /** The categories, sorted; category `categories[j]` sets column j. */
  get categories(): readonly string[] {
    return this.#fitted();
  }

  /** Number of output columns. */
  get size(): number {
    return this.#fitted().length;
  }

  /** Learns the distinct values of `values`, sorted. Returns `this`. */
  fit(values: Iterable<string>): this {
    const distinct = new Set<string>();
    for (const value of values) distinct.add(value);
    if (distinct.size === 0) throw new RangeError(`${this.#label()}: cannot fit on no values`);
    this.#setCategories([...distinct].sort(compareCodeUnits));
    return this;
  }

  /** Column of `value`, or -1 when it was not seen in fitting. */
  indexOf(value: string): number {
    this.#fitted();
    return this.#index.get(value) ?? -1;
  }

  /** One row per value, with a 1 in the value's column. */
  transform(values: readonly string[], options: OneHotTransformOptions = {}): Matrix {
    const out = new Matrix(values.length, this.size);
    this.transformInto(values, out, 0, options);
    return out;
  }

  /**
   * Writes the encoding of `values[i]` into row i of `out`, columns `offset … offset + size − 1`
   * (which must hold zeros), so several encoders can fill one input matrix without copies.
   */
  transformInto(
    values: readonly string[],
    out: Matrix,
    offset: number,
    options: OneHotTransformOptions = {},
  ): void {
    const size = this.size;
    if (out.rows !== values.length || offset < 0 || offset + size > out.cols) {
      throw new RangeError(
        `${this.#label()}: cannot write ${values.length}×${size} at column ${offset} of a ${out.rows}×${out.cols} matrix`,
      );
    }
    const ignore = options.handleUnknown === 'ignore';
    const cols = out.cols;
    const data = out.data;
    for (let i = 0; i < values.length; i++) {
      const j = this.#index.get(values[i]!);
      if (j !== undefined) data[i * cols + offset + j] = 1;
      else if (!ignore) throw this.unknown(values[i]!, `value ${i + 1}`);
    }
  }

  /**
   * The category of each row: the column with the largest value (the first one on ties), so it
   * decodes one-hot rows and probability rows alike.
   */
  inverseTransform(m: Matrix): string[] {
    const categories = this.#fitted();
    if (m.cols !== categories.length) {
      throw new RangeError(
        `${this.#label()}: expected ${categories.length} columns, got ${m.cols}`,
      );
    }
    return Array.from(argmaxRows(m), (j) => categories[j]!);
  }

  /** Feature names `name=category` (or just the category when the encoder has no name). */
  featureNames(): string[] {
    return this.#fitted().map((c) => (this.name === undefined ? c : `${this.name}=${c}`));
  }

  /** The `UNKNOWN_CATEGORY` error for `value`; `where` says which row. */
  unknown(value: string, where: string): DataError {
    const categories = this.#fitted();
    const shown = categories.length > 12 ? [...categories.slice(0, 12), '…'] : categories;
    return new DataError(
      'UNKNOWN_CATEGORY',
      `unknown category ${quoteValue(value)}${this.name === undefined ? '' : ` in ${this.name}`} (${where})`,
      { expected: `one of the categories seen in training: ${shown.join(', ')}` },
    );
  }

  /** The plain-JSON form. */
  toJSON(): OneHotEncoderJSON {
    return {
      type: 'one-hot',
      ...(this.name === undefined ? {} : { name: this.name }),
      categories: [...this.#fitted()],
    };
  }

  /** Rebuilds an encoder from `toJSON()`'s output; an `INVALID_JSON` `DataError` names what is wrong. */
  static fromJSON(json: unknown, path = 'oneHotEncoder'): OneHotEncoder {
    const { name, values: categories } = readEncoderJSON(
      json,
      path,
      'one-hot',
      'categories',
      'category',
    );
    const encoder = new OneHotEncoder(name === undefined ? {} : { name });
    encoder.#setCategories(categories.slice());
    return encoder;
  }

  #setCategories(categories: string[]): void {
    this.#categories = Object.freeze(categories);
    this.#index = new Map(categories.map((c, j) => [c, j]));
  }

  #fitted(): readonly string[] {
    if (this.#categories === undefined) throw new Error(`${this.#label()}: call fit() first`);
    return this.#categories;
  }

  #label(): string {
    return this.name === undefined ? 'OneHotEncoder' : `OneHotEncoder(${this.name})`;
  }
}

/** Index of the largest value of each row (first on ties). */
export function argmaxRows(m: Matrix): Int32Array {
  const out = new Int32Array(m.rows);
  const { cols, data } = m;
  for (let i = 0; i < m.rows; i++) {
    let best = 0;
    let bestValue = data[i * cols]!;
    for (let j = 1; j < cols; j++) {
      const v = data[i * cols + j]!;
      if (v > bestValue) {
        bestValue = v;
        best = j;
      }
    }
    out[i] = best;
  }
  return out;
}
