import { DataError, quoteValue } from './errors.js';
import { compareCodeUnits, readEncoderJSON } from './json.js';

/** The plain-JSON form of a fitted `LabelEncoder`. */
export interface LabelEncoderJSON {
  readonly type: 'label';
  readonly name?: string;
  /** Sorted classes; class `classes[k]` has code k. */
  readonly classes: readonly string[];
}

/**
 * Class labels to integer codes 0 … k−1, classes sorted (UTF-16 code unit order), as the metrics
 * and the network's argmax use them.
 *
 * ```ts
 * const enc = new LabelEncoder().fit(['Night', 'Morning', 'Night']);
 * enc.classes;                            // ['Morning', 'Night']
 * enc.transform(['Night', 'Morning']);   // Int32Array [1, 0]
 * ```
 */
export class LabelEncoder {
  /** The column it encodes, for messages, if given. */
  readonly name: string | undefined;
  #classes: readonly string[] | undefined;
  #index = new Map<string, number>();

  constructor(options: { name?: string } = {}) {
    this.name = options.name;
  }

  /** Whether it has classes. */
  get fitted(): boolean {
    return this.#classes !== undefined;
  }

  /** Sorted classes; `classes[k]` has code k. */
  get classes(): readonly string[] {
    return this.#fitted();
  }

  /** Learns the distinct values, sorted. Returns `this`. */
  fit(values: Iterable<string>): this {
    const distinct = new Set<string>();
    for (const value of values) distinct.add(value);
    if (distinct.size === 0) throw new RangeError(`${this.#label()}: cannot fit on no values`);
    this.#setClasses([...distinct].sort(compareCodeUnits));
    return this;
  }

  /** The code of each value; a `DataError` (`UNKNOWN_CATEGORY`) for a value not seen in fitting. */
  transform(values: readonly string[]): Int32Array {
    const classes = this.#fitted();
    const out = new Int32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const code = this.#index.get(values[i]!);
      if (code === undefined) {
        throw new DataError(
          'UNKNOWN_CATEGORY',
          `unknown class ${quoteValue(values[i]!)}${this.name === undefined ? '' : ` in ${this.name}`} (value ${i + 1})`,
          { expected: `one of ${classes.join(', ')}` },
        );
      }
      out[i] = code;
    }
    return out;
  }

  /** The class of each code; a `RangeError` for a code outside 0 … k−1. */
  inverseTransform(codes: ArrayLike<number>): string[] {
    const classes = this.#fitted();
    return Array.from(codes, (code, i) => {
      const label = Number.isInteger(code) ? classes[code] : undefined;
      if (label === undefined) {
        throw new RangeError(
          `${this.#label()}: code ${code} at ${i} is outside 0..${classes.length - 1}`,
        );
      }
      return label;
    });
  }

  /** The plain-JSON form. */
  toJSON(): LabelEncoderJSON {
    return {
      type: 'label',
      ...(this.name === undefined ? {} : { name: this.name }),
      classes: [...this.#fitted()],
    };
  }

  /** Rebuilds an encoder from `toJSON()`'s output; an `INVALID_JSON` `DataError` names what is wrong. */
  static fromJSON(json: unknown, path = 'labelEncoder'): LabelEncoder {
    const { name, values: classes } = readEncoderJSON(json, path, 'label', 'classes', 'class');
    const encoder = new LabelEncoder(name === undefined ? {} : { name });
    encoder.#setClasses(classes.slice());
    return encoder;
  }

  #setClasses(classes: string[]): void {
    this.#classes = Object.freeze(classes);
    this.#index = new Map(classes.map((c, k) => [c, k]));
  }

  #fitted(): readonly string[] {
    if (this.#classes === undefined) throw new Error(`${this.#label()}: call fit() first`);
    return this.#classes;
  }

  #label(): string {
    return this.name === undefined ? 'LabelEncoder' : `LabelEncoder(${this.name})`;
  }
}
