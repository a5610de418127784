import type { Matrix } from '@scratchnet/linalg';
import type { ScalerInput } from './columns.js';
import { asColumns, checkFinite, checkWidth, mapColumns } from './columns.js';
import { invalidJson, readLiteral, readNumberArray, readObject, readString } from './json.js';

/** The plain-JSON form of a fitted `MinMaxScaler`. */
export interface MinMaxScalerJSON {
  readonly type: 'min-max';
  readonly name?: string;
  readonly min: readonly number[];
  readonly max: readonly number[];
  readonly featureRange: readonly [number, number];
}

/**
 * Maps each column linearly so its fitted minimum and maximum land on `featureRange` (default
 * [0, 1]); a constant column (or one spread less than 10 · `Number.EPSILON`) maps to the range's
 * low end. Fit it on the training rows only; later
 * values outside the fitted range map outside `featureRange` (they are not clipped).
 *
 * ```ts
 * const s = new MinMaxScaler().fit(Float64Array.of(10, 20, 30));
 * s.transform(Float64Array.of(15, 30));  // Float64Array [0.25, 1]
 * ```
 */
export class MinMaxScaler {
  /** The column it scales, for messages, if given. */
  readonly name: string | undefined;
  /** Where the fitted minimum and maximum land. */
  readonly featureRange: readonly [number, number];
  #min: Float64Array | undefined;
  #max: Float64Array | undefined;
  #scale: Float64Array | undefined;

  constructor(options: { name?: string; featureRange?: readonly [number, number] } = {}) {
    this.name = options.name;
    const [lo, hi] = options.featureRange ?? [0, 1];
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(lo < hi)) {
      throw new RangeError(
        `MinMaxScaler: featureRange must be [lo, hi] with lo < hi, got [${lo}, ${hi}]`,
      );
    }
    this.featureRange = Object.freeze([lo, hi] as [number, number]);
  }

  /** Whether it has been fitted. */
  get fitted(): boolean {
    return this.#min !== undefined;
  }

  /** Smallest value of each column over the fitting rows. */
  get dataMin(): Float64Array {
    return this.#fitted()[0];
  }

  /** Largest value of each column over the fitting rows. */
  get dataMax(): Float64Array {
    return this.#fitted()[1];
  }

  /**
   * Learns each column's minimum and maximum. Returns `this`. A minimum or maximum of −0 is kept
   * as 0, so the JSON form reloads to the same bits; a column whose range overflows (e.g. from
   * −1e308 to 1e308) is refused with a `RangeError`.
   */
  fit(input: ScalerInput): this {
    const columns = asColumns(input);
    checkFinite(columns, this.#label());
    const { data, rows, cols } = columns;
    const min = new Float64Array(cols).fill(Infinity);
    const max = new Float64Array(cols).fill(-Infinity);
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const x = data[i * cols + j]!;
        if (x < min[j]!) min[j] = x;
        if (x > max[j]!) max[j] = x;
      }
    }
    for (let j = 0; j < cols; j++) {
      // -0 would come back from JSON as 0.
      min[j]! += 0;
      max[j]! += 0;
      // The scale is (hi − lo) / (max − min): an infinite width would map every value to lo.
      if (!Number.isFinite(max[j]! - min[j]!)) {
        throw new RangeError(
          `${this.#label()}: column ${j} spans ${min[j]} to ${max[j]}, a range wider than the largest number; rescale it first`,
        );
      }
    }
    this.#setFitted(min, max);
    return this;
  }

  /** `lo + (x − min) · (hi − lo) / (max − min)`, column by column. */
  transform(input: Matrix): Matrix;
  transform(input: ArrayLike<number>): Float64Array;
  transform(input: ScalerInput): Matrix | Float64Array {
    const [min] = this.#fitted();
    checkWidth(asColumns(input), min.length, this.#label());
    const scale = this.#scales();
    const lo = this.featureRange[0];
    return mapColumns(input, (x, j) => lo + (x - min[j]!) * scale[j]!);
  }

  /** Back to the original units. */
  inverseTransform(input: Matrix): Matrix;
  inverseTransform(input: ArrayLike<number>): Float64Array;
  inverseTransform(input: ScalerInput): Matrix | Float64Array {
    const [min] = this.#fitted();
    checkWidth(asColumns(input), min.length, this.#label());
    const scale = this.#scales();
    const lo = this.featureRange[0];
    return mapColumns(input, (y, j) => (y - lo) / scale[j]! + min[j]!);
  }

  /** One value of column `column`, scaled. */
  transformValue(x: number, column = 0): number {
    const [min] = this.#fitted();
    return this.featureRange[0] + (x - min[column]!) * this.#scales()[column]!;
  }

  /** One scaled value of column `column`, back in original units. */
  inverseTransformValue(y: number, column = 0): number {
    const [min] = this.#fitted();
    return (y - this.featureRange[0]) / this.#scales()[column]! + min[column]!;
  }

  /** The plain-JSON form: `fromJSON(JSON.parse(JSON.stringify(s)))` has the same bits as `s`. */
  toJSON(): MinMaxScalerJSON {
    const [min, max] = this.#fitted();
    return {
      type: 'min-max',
      ...(this.name === undefined ? {} : { name: this.name }),
      min: Array.from(min),
      max: Array.from(max),
      featureRange: [this.featureRange[0], this.featureRange[1]],
    };
  }

  /** Rebuilds a scaler from `toJSON()`'s output; an `INVALID_JSON` `DataError` names what is wrong. */
  static fromJSON(json: unknown, path = 'minMaxScaler'): MinMaxScaler {
    const object = readObject(json, path);
    readLiteral(object, 'type', 'min-max', path);
    const name = object.name === undefined ? undefined : readString(object, 'name', path);
    const min = readNumberArray(object.min, `${path}.min`);
    if (min.length === 0) throw invalidJson(`${path}.min`, object.min, 'at least one column');
    const max = readNumberArray(object.max, `${path}.max`, min.length);
    max.forEach((m, j) => {
      if (m < min[j]!)
        throw invalidJson(`${path}.max[${j}]`, m, `a number ≥ min[${j}] = ${min[j]}`);
      if (!Number.isFinite(m - min[j]!))
        throw invalidJson(`${path}.max[${j}]`, m, `a finite range from min[${j}] = ${min[j]}`);
    });
    const range = readNumberArray(object.featureRange, `${path}.featureRange`, 2);
    if (!(range[0]! < range[1]!)) {
      throw invalidJson(`${path}.featureRange`, object.featureRange, '[lo, hi] with lo < hi');
    }
    const scaler = new MinMaxScaler({
      ...(name === undefined ? {} : { name }),
      featureRange: [range[0]!, range[1]!],
    });
    scaler.#setFitted(min, max);
    return scaler;
  }

  /**
   * Keeps `(hi − lo) / (max − min)` per column. A constant column's width, or one below 10 ulp of
   * 1 (as scikit-learn), is taken as 1: dividing by a subnormal width would give Infinity.
   */
  #setFitted(min: Float64Array, max: Float64Array): void {
    const width = this.featureRange[1] - this.featureRange[0];
    this.#min = min;
    this.#max = max;
    this.#scale = min.map((lo, j) => {
      const range = max[j]! - lo;
      return width / (range < 10 * Number.EPSILON ? 1 : range);
    });
  }

  #scales(): Float64Array {
    this.#fitted();
    return this.#scale!;
  }

  #fitted(): [Float64Array, Float64Array] {
    if (this.#min === undefined || this.#max === undefined) {
      throw new Error(`${this.#label()}: call fit() first`);
    }
    return [this.#min, this.#max];
  }

  #label(): string {
    return this.name === undefined ? 'MinMaxScaler' : `MinMaxScaler(${this.name})`;
  }
}
