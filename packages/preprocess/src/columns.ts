import { Matrix } from '@scratchnet/linalg';

/** A matrix, or one column of values. */
export type ScalerInput = Matrix | ArrayLike<number>;

/** The values of a scaler input as row-major data with a shape; a vector is one column. */
export interface Columns {
  readonly data: ArrayLike<number>;
  readonly rows: number;
  readonly cols: number;
}

/** Views a matrix or a vector as columns. */
export function asColumns(input: ScalerInput): Columns {
  if (input instanceof Matrix) return input;
  return { data: input, rows: input.length, cols: 1 };
}

/** Applies `f(value, column)` to every element, giving the same kind of value it was given. */
export function mapColumns(input: Matrix, f: (value: number, column: number) => number): Matrix;
export function mapColumns(
  input: ArrayLike<number>,
  f: (value: number, column: number) => number,
): Float64Array;
export function mapColumns(
  input: ScalerInput,
  f: (value: number, column: number) => number,
): Matrix | Float64Array;
export function mapColumns(
  input: ScalerInput,
  f: (value: number, column: number) => number,
): Matrix | Float64Array {
  const { data, rows, cols } = asColumns(input);
  const out = new Float64Array(rows * cols);
  for (let i = 0, k = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++, k++) out[k] = f(data[k]!, j);
  }
  return input instanceof Matrix ? new Matrix(rows, cols, out) : out;
}

/** Throws a `RangeError` unless every value is finite (a scaler cannot be fitted on NaN). */
export function checkFinite(columns: Columns, who: string): void {
  const { data, rows, cols } = columns;
  if (rows === 0) throw new RangeError(`${who}: cannot fit on 0 rows`);
  for (let k = 0; k < rows * cols; k++) {
    if (!Number.isFinite(data[k]!)) {
      throw new RangeError(
        `${who}: value ${data[k]} at row ${Math.floor(k / cols)}, column ${k % cols} is not finite`,
      );
    }
  }
}

/** Throws a `RangeError` unless `columns` has `expected` columns. */
export function checkWidth(columns: Columns, expected: number, who: string): void {
  if (columns.cols !== expected) {
    throw new RangeError(`${who}: fitted on ${expected} columns, got ${columns.cols}`);
  }
}
