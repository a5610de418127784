import { AliasError, ShapeError } from './errors.js';
import { Matrix } from './matrix.js';
import { overlaps } from './memory.js';

/**
 * Checks that `out` is `rows`×`cols`. Element-wise operations may write into an `out` that is one
 * of their inputs. Each operation picks `out ?? new Matrix(…)` itself rather than through a
 * helper's return value: V8 then keeps the exact type of `o.data` and runs the loop about twice
 * as fast (measured).
 */
function checkOutput(op: string, rows: number, cols: number, out: Matrix): void {
  if (out.rows !== rows || out.cols !== cols) {
    throw new ShapeError(`${op}: out is ${out.shape} but the result is ${rows}×${cols}`);
  }
}

/**
 * Throws an `AliasError` when `out` shares memory with `input` other than as the very same
 * elements: writing one element would then change another the loop has yet to read. Exactly
 * the same view (out = input) is fine for a loop that reads each element before writing it.
 */
function checkAlias(op: string, out: Matrix, input: Matrix, what: string): void {
  const o = out.data;
  const x = input.data;
  if (overlaps(o, x) && (o.byteOffset !== x.byteOffset || o.length !== x.length)) {
    throw new AliasError(`${op}: out overlaps ${what} without being it; pass a separate matrix`);
  }
}

/** Throws an `AliasError` when `out` shares any memory with `input`. */
function checkDisjoint(op: string, out: Matrix, input: Matrix, what: string): void {
  if (overlaps(out.data, input.data)) {
    throw new AliasError(`${op}: out shares memory with ${what}; pass a separate matrix`);
  }
}

function sameShape(op: string, verb: string, a: Matrix, b: Matrix): void {
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new ShapeError(`${op}: cannot ${verb} ${a.shape} and ${b.shape}`);
  }
}

/** The checks every two-operand element-wise operation makes: shapes agree, `out` fits, no overlap. */
function checkElementwise(op: string, verb: string, a: Matrix, b: Matrix, out: Matrix): void {
  sameShape(op, verb, a, b);
  checkOutput(op, a.rows, a.cols, out);
  checkAlias(op, out, a, 'a');
  checkAlias(op, out, b, 'b');
}

/** `a + b` element by element. `out` may be `a` or `b`, but not overlap either otherwise. */
export function add(a: Matrix, b: Matrix, out?: Matrix): Matrix {
  const o = out ?? new Matrix(a.rows, a.cols);
  checkElementwise('add', 'add', a, b, o);
  const x = a.data;
  const y = b.data;
  const z = o.data;
  for (let i = 0, len = z.length; i < len; i++) z[i] = x[i] + y[i];
  return o;
}

/** `a − b` element by element. `out` may be `a` or `b`, but not overlap either otherwise. */
export function subtract(a: Matrix, b: Matrix, out?: Matrix): Matrix {
  const o = out ?? new Matrix(a.rows, a.cols);
  checkElementwise('subtract', 'subtract', a, b, o);
  const x = a.data;
  const y = b.data;
  const z = o.data;
  for (let i = 0, len = z.length; i < len; i++) z[i] = x[i] - y[i];
  return o;
}

/**
 * `a ⊙ b`, the element-wise (Hadamard) product. `out` may be `a` or `b`, but not overlap either
 * otherwise.
 */
export function multiply(a: Matrix, b: Matrix, out?: Matrix): Matrix {
  const o = out ?? new Matrix(a.rows, a.cols);
  checkElementwise('multiply', 'multiply element-wise', a, b, o);
  const x = a.data;
  const y = b.data;
  const z = o.data;
  for (let i = 0, len = z.length; i < len; i++) z[i] = x[i] * y[i];
  return o;
}

/** `s · a`. `out` may be `a`, but not overlap it otherwise. */
export function scale(a: Matrix, s: number, out?: Matrix): Matrix {
  const o = out ?? new Matrix(a.rows, a.cols);
  checkOutput('scale', a.rows, a.cols, o);
  checkAlias('scale', o, a, 'a');
  const x = a.data;
  const z = o.data;
  for (let i = 0, len = z.length; i < len; i++) z[i] = s * x[i];
  return o;
}

/** `f` applied to every element of `a`. `out` may be `a`, but not overlap it otherwise. */
export function map(a: Matrix, f: (x: number) => number, out?: Matrix): Matrix {
  const o = out ?? new Matrix(a.rows, a.cols);
  checkOutput('map', a.rows, a.cols, o);
  checkAlias('map', o, a, 'a');
  const x = a.data;
  const z = o.data;
  for (let i = 0, len = z.length; i < len; i++) z[i] = f(x[i]);
  return o;
}

/**
 * `y ← y + α·x` in place (e.g. `axpy(-lr, dW, W)`); returns `y`. `x` may be `y`, but not overlap
 * it otherwise (`AliasError`).
 */
export function axpy(alpha: number, x: Matrix, y: Matrix): Matrix {
  sameShape('axpy', 'combine', x, y);
  checkAlias('axpy', y, x, 'x');
  const xd = x.data;
  const yd = y.data;
  for (let i = 0, len = yd.length; i < len; i++) yd[i] = yd[i] + alpha * xd[i];
  return y;
}

/**
 * Adds the 1×cols row vector `v` to every row of `a` (a bias). `out` may be `a`; it may not share
 * memory with `v` (`AliasError`: a row of the result would change `v` before later rows read it).
 */
export function addRowVector(a: Matrix, v: Matrix, out?: Matrix): Matrix {
  if (v.rows !== 1 || v.cols !== a.cols) {
    throw new ShapeError(`addRowVector: cannot add ${v.shape} to each row of ${a.shape}`);
  }
  const o = out ?? new Matrix(a.rows, a.cols);
  checkOutput('addRowVector', a.rows, a.cols, o);
  checkAlias('addRowVector', o, a, 'a');
  checkDisjoint('addRowVector', o, v, 'the row vector');
  const x = a.data;
  const r = v.data;
  const z = o.data;
  const cols = a.cols;
  for (let i = 0; i < a.rows; i++) {
    const base = i * cols;
    for (let j = 0; j < cols; j++) z[base + j] = x[base + j] + r[j];
  }
  return o;
}

/**
 * The sum of each column, as a 1×cols row vector (the bias gradient). `out` may not share memory
 * with `a` (`AliasError`).
 */
export function sumColumns(a: Matrix, out?: Matrix): Matrix {
  const o = out ?? new Matrix(1, a.cols);
  checkOutput('sumColumns', 1, a.cols, o);
  checkDisjoint('sumColumns', o, a, 'a');
  const x = a.data;
  const z = o.data;
  const cols = a.cols;
  z.fill(0);
  for (let i = 0; i < a.rows; i++) {
    const base = i * cols;
    for (let j = 0; j < cols; j++) z[j] = z[j] + x[base + j];
  }
  return o;
}

/**
 * The column index of the largest value in each row; ties go to the first index, a NaN counts as
 * larger than everything (the first NaN wins), and a row with no columns gives −1.
 */
export function argmaxRows(a: Matrix): Int32Array {
  const result = new Int32Array(a.rows);
  const x = a.data;
  const cols = a.cols;
  for (let i = 0; i < a.rows; i++) {
    const base = i * cols;
    let best = cols === 0 ? -1 : 0;
    let bestValue = cols === 0 ? 0 : x[base];
    if (bestValue === bestValue) {
      for (let j = 1; j < cols; j++) {
        const v = x[base + j];
        if (v !== v) {
          best = j;
          break;
        }
        if (v > bestValue) {
          best = j;
          bestValue = v;
        }
      }
    }
    result[i] = best;
  }
  return result;
}

/** The largest value in each row (NaN when the row holds a NaN, −Infinity for an empty row). */
export function maxRows(a: Matrix): Float64Array {
  const result = new Float64Array(a.rows);
  const x = a.data;
  const cols = a.cols;
  for (let i = 0; i < a.rows; i++) {
    const base = i * cols;
    let best = -Infinity;
    for (let j = 0; j < cols; j++) {
      const v = x[base + j];
      if (v > best || v !== v) best = v;
      if (v !== v) break;
    }
    result[i] = best;
  }
  return result;
}

/** The transpose `aᵀ`, materialised. `out` must not share memory with `a` (`AliasError`). */
export function transpose(a: Matrix, out?: Matrix): Matrix {
  const o = out ?? new Matrix(a.cols, a.rows);
  checkOutput('transpose', a.cols, a.rows, o);
  if (overlaps(o.data, a.data)) {
    throw new AliasError(`transpose: out shares memory with the input ${a.shape}`);
  }
  const x = a.data;
  const z = o.data;
  const rows = a.rows;
  const cols = a.cols;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) z[j * rows + i] = x[i * cols + j];
  }
  return o;
}
