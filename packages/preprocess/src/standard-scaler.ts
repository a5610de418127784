import type { Matrix } from '@scratchnet/linalg';
import type { ScalerInput } from './columns.js';
import { asColumns, checkFinite, checkWidth, mapColumns } from './columns.js';
import { invalidJson, readLiteral, readNumberArray, readObject, readString } from './json.js';

/** The plain-JSON form of a fitted `StandardScaler`. */
export interface StandardScalerJSON {
  readonly type: 'standard';
  readonly name?: string;
  readonly mean: readonly number[];
  readonly scale: readonly number[];
}

/**
 * Standardises each column: `(x − mean) / scale`, where `scale` is the population standard
 * deviation (divided by n, as scikit-learn), and 1 for a constant column (or one whose deviation
 * is below 10 · `Number.EPSILON`, as scikit-learn) so it maps to 0 instead of dividing by zero.
 * Fit it on the training rows only.
 *
 * ```ts
 * const s = new StandardScaler().fit(Float64Array.of(1, 2, 3));
 * s.mean[0];                               // 2
 * s.scale[0];                              // 0.816496580927726 (√(2/3))
 * s.transform(Float64Array.of(3));        // Float64Array [1.2247448713915892]
 * ```
 */
export class StandardScaler {
  /** The column it scales, for messages, if given. */
  readonly name: string | undefined;
  #mean: Float64Array | undefined;
  #scale: Float64Array | undefined;

  constructor(options: { name?: string } = {}) {
    this.name = options.name;
  }

  /** Whether it has been fitted. */
  get fitted(): boolean {
    return this.#mean !== undefined;
  }

  /** Mean of each column over the fitting rows. */
  get mean(): Float64Array {
    return this.#fitted()[0];
  }

  /** Population standard deviation of each column (1 for a constant column). */
  get scale(): Float64Array {
    return this.#fitted()[1];
  }

  /**
   * Learns each column's mean and standard deviation. Returns `this`. Both are finite for any
   * finite data, up to ±`Number.MAX_VALUE` (a standard deviation is at most half the range), and
   * a mean of −0 is kept as 0, so the JSON form reloads to the same bits.
   */
  fit(input: ScalerInput): this {
    const columns = asColumns(input);
    checkFinite(columns, this.#label());
    const { data, rows, cols } = columns;
    const mean = new Float64Array(cols);
    const scale = new Float64Array(cols);
    for (let j = 0; j < cols; j++) {
      const first = data[j]!;
      let constant = true;
      let largest = 0;
      for (let i = 0; i < rows; i++) {
        const x = data[i * cols + j]!;
        if (x !== first) constant = false;
        largest = Math.max(largest, Math.abs(x));
      }
      if (constant) {
        // Exactly the value, so the column transforms to exact zeros.
        mean[j] = first + 0; // -0 would not survive JSON
        scale[j] = 1;
        continue;
      }
      // Sums of values near ±MAX_VALUE, or of their squares, overflow: work in units of a power of
      // two near the largest magnitude. Dividing by a power of two is exact, so ordinary data
      // gives the same bits as without the unit; subnormal data gains the bits squaring would lose.
      const unit = 2 ** Math.min(1023, Math.max(-1074, Math.floor(Math.log2(largest))));
      let sum = 0;
      for (let i = 0; i < rows; i++) sum += data[i * cols + j]! / unit;
      let m = sum / rows;
      // Two-pass with a correction term: accurate even when the mean is large against the spread.
      let dev = 0;
      let sq = 0;
      for (let i = 0; i < rows; i++) {
        const d = data[i * cols + j]! / unit - m;
        dev += d;
        sq += d * d;
      }
      m += dev / rows;
      const variance = Math.max(0, (sq - (dev * dev) / rows) / rows);
      // At most half the range, so at most MAX_VALUE: a product past it is rounding.
      const std = Math.min(Math.sqrt(variance) * unit, Number.MAX_VALUE);
      mean[j] = m * unit + 0; // -0 would not survive JSON
      // As scikit-learn: a deviation below 10 ulp of 1 is rounding noise, not spread.
      scale[j] = std < 10 * Number.EPSILON ? 1 : std;
    }
    this.#mean = mean;
    this.#scale = scale;
    return this;
  }

  /** `(x − mean) / scale`, column by column. */
  transform(input: Matrix): Matrix;
  transform(input: ArrayLike<number>): Float64Array;
  transform(input: ScalerInput): Matrix | Float64Array {
    const [mean, scale] = this.#fitted();
    checkWidth(asColumns(input), mean.length, this.#label());
    return mapColumns(input, (x, j) => (x - mean[j]!) / scale[j]!);
  }

  /** `x · scale + mean`, column by column: back to the original units. */
  inverseTransform(input: Matrix): Matrix;
  inverseTransform(input: ArrayLike<number>): Float64Array;
  inverseTransform(input: ScalerInput): Matrix | Float64Array {
    const [mean, scale] = this.#fitted();
    checkWidth(asColumns(input), mean.length, this.#label());
    return mapColumns(input, (z, j) => z * scale[j]! + mean[j]!);
  }

  /** One value of column `column`, standardised. */
  transformValue(x: number, column = 0): number {
    const [mean, scale] = this.#fitted();
    return (x - mean[column]!) / scale[column]!;
  }

  /** One standardised value of column `column`, back in original units. */
  inverseTransformValue(z: number, column = 0): number {
    const [mean, scale] = this.#fitted();
    return z * scale[column]! + mean[column]!;
  }

  /** The plain-JSON form: `fromJSON(JSON.parse(JSON.stringify(s)))` has the same bits as `s`. */
  toJSON(): StandardScalerJSON {
    const [mean, scale] = this.#fitted();
    return {
      type: 'standard',
      ...(this.name === undefined ? {} : { name: this.name }),
      mean: Array.from(mean),
      scale: Array.from(scale),
    };
  }

  /** Rebuilds a scaler from `toJSON()`'s output; an `INVALID_JSON` `DataError` names what is wrong. */
  static fromJSON(json: unknown, path = 'standardScaler'): StandardScaler {
    const object = readObject(json, path);
    readLiteral(object, 'type', 'standard', path);
    const name = object.name === undefined ? undefined : readString(object, 'name', path);
    const mean = readNumberArray(object.mean, `${path}.mean`);
    if (mean.length === 0) throw invalidJson(`${path}.mean`, object.mean, 'at least one column');
    const scale = readNumberArray(object.scale, `${path}.scale`, mean.length);
    scale.forEach((s, j) => {
      if (!(s > 0)) throw invalidJson(`${path}.scale[${j}]`, s, 'a positive number');
    });
    const scaler = new StandardScaler(name === undefined ? {} : { name });
    scaler.#mean = mean;
    scaler.#scale = scale;
    return scaler;
  }

  #fitted(): [Float64Array, Float64Array] {
    if (this.#mean === undefined || this.#scale === undefined) {
      throw new Error(`${this.#label()}: call fit() first`);
    }
    return [this.#mean, this.#scale];
  }

  #label(): string {
    return this.name === undefined ? 'StandardScaler' : `StandardScaler(${this.name})`;
  }
}
