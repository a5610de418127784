import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AliasError, ShapeError } from './errors.js';
import { Matrix } from './matrix.js';
import {
  add,
  addRowVector,
  argmaxRows,
  axpy,
  map,
  maxRows,
  multiply,
  scale,
  subtract,
  sumColumns,
  transpose,
} from './ops.js';

const a = () =>
  Matrix.fromArrays([
    [1, -2, 3],
    [4, 5, -6],
  ]);
const b = () =>
  Matrix.fromArrays([
    [10, 20, 30],
    [40, 50, 60],
  ]);

/** A matrix with random shape up to 6×6 and random finite values. */
const matrixArb = fc
  .tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }))
  .chain(([r, c]) =>
    fc
      .array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), {
        minLength: r * c,
        maxLength: r * c,
      })
      .map((values) => Matrix.fromTypedArray(values, r, c)),
  );

describe('element-wise operations', () => {
  it('add, subtract, multiply and scale element by element', () => {
    expect(add(a(), b()).toArrays()).toEqual([
      [11, 18, 33],
      [44, 55, 54],
    ]);
    expect(subtract(a(), b()).toArrays()).toEqual([
      [-9, -22, -27],
      [-36, -45, -66],
    ]);
    expect(multiply(a(), b()).toArrays()).toEqual([
      [10, -40, 90],
      [160, 250, -360],
    ]);
    expect(scale(a(), 2).toArrays()).toEqual([
      [2, -4, 6],
      [8, 10, -12],
    ]);
    expect(map(a(), Math.abs).toArrays()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('write into out, which may be an input', () => {
    const x = a();
    const out = Matrix.filled(2, 3, Number.NaN);
    expect(add(x, b(), out)).toBe(out);
    expect(out.toArrays()).toEqual(add(a(), b()).toArrays());
    expect(multiply(x, x, x)).toBe(x);
    expect(x.toArrays()).toEqual([
      [1, 4, 9],
      [16, 25, 36],
    ]);
    expect(scale(x, 0.5, x).get(1, 2)).toBe(18);
    expect(map(x, (v) => v - 1, x).get(0, 0)).toBe(-0.5);
    const y = b();
    expect(subtract(a(), y, y).toArrays()).toEqual(subtract(a(), b()).toArrays());
  });

  it('name the operation and both shapes on a mismatch', () => {
    const wrong = Matrix.zeros(3, 2);
    expect(() => add(a(), wrong)).toThrow(new ShapeError('add: cannot add 2×3 and 3×2'));
    expect(() => subtract(a(), wrong)).toThrow('subtract: cannot subtract 2×3 and 3×2');
    expect(() => multiply(a(), wrong)).toThrow(
      'multiply: cannot multiply element-wise 2×3 and 3×2',
    );
    expect(() => scale(a(), 2, wrong)).toThrow('scale: out is 3×2 but the result is 2×3');
    expect(() => map(a(), Math.abs, wrong)).toThrow(ShapeError);
    expect(() => axpy(1, a(), wrong)).toThrow('axpy: cannot combine 2×3 and 3×2');
  });

  it('agree with their definitions on random matrices', () => {
    fc.assert(
      fc.property(matrixArb, fc.double({ min: -10, max: 10, noNaN: true }), (x, s) => {
        const sum = add(x, x);
        const scaled = scale(x, 2);
        expect(sum.toArrays()).toEqual(scaled.toArrays());
        const diff = subtract(x, x);
        for (const v of diff.data) expect(v).toBe(0);
        const y = x.clone();
        axpy(s, x, y);
        for (let i = 0; i < x.size; i++) expect(y.data[i]).toBe(x.data[i]! + s * x.data[i]!);
      }),
    );
  });

  it('axpy updates y in place and returns it', () => {
    const w = a();
    const dw = b();
    expect(axpy(-0.1, dw, w)).toBe(w);
    expect(w.toArrays()).toEqual([
      [1 - 0.1 * 10, -2 - 0.1 * 20, 3 - 0.1 * 30],
      [4 - 0.1 * 40, 5 - 0.1 * 50, -6 - 0.1 * 60],
    ]);
  });
});

describe('row and column operations', () => {
  it('adds a row vector to every row', () => {
    const v = Matrix.fromArrays([[1, 2, 3]]);
    expect(addRowVector(a(), v).toArrays()).toEqual([
      [2, 0, 6],
      [5, 7, -3],
    ]);
    const x = a();
    expect(addRowVector(x, v, x)).toBe(x);
    expect(x.get(1, 2)).toBe(-3);
    expect(() => addRowVector(a(), Matrix.zeros(1, 2))).toThrow(
      'addRowVector: cannot add 1×2 to each row of 2×3',
    );
    expect(() => addRowVector(a(), Matrix.zeros(3, 1))).toThrow(ShapeError);
  });

  it('sums columns into a row vector, overwriting out', () => {
    expect(sumColumns(a()).toArrays()).toEqual([[5, 3, -3]]);
    const out = Matrix.filled(1, 3, 99);
    expect(sumColumns(a(), out)).toBe(out);
    expect(out.toArrays()).toEqual([[5, 3, -3]]);
    expect(sumColumns(Matrix.zeros(0, 2)).toArrays()).toEqual([[0, 0]]);
    expect(() => sumColumns(a(), Matrix.zeros(1, 2))).toThrow(
      'sumColumns: out is 1×2 but the result is 1×3',
    );
  });

  it('finds row maxima and their first index', () => {
    const x = Matrix.fromArrays([
      [1, 3, 3],
      [-5, -4, -9],
      [2, Number.NaN, 7],
      [-Infinity, -Infinity, -Infinity],
    ]);
    expect(Array.from(argmaxRows(x))).toEqual([1, 1, 1, 0]);
    expect(Array.from(maxRows(x))).toEqual([3, -4, Number.NaN, -Infinity]);
    expect(Array.from(argmaxRows(Matrix.zeros(2, 0)))).toEqual([-1, -1]);
    expect(Array.from(maxRows(Matrix.zeros(1, 0)))).toEqual([-Infinity]);
  });

  it('argmaxRows and maxRows agree with a plain scan on random matrices', () => {
    fc.assert(
      fc.property(matrixArb, (x) => {
        const idx = argmaxRows(x);
        const max = maxRows(x);
        for (let i = 0; i < x.rows; i++) {
          const row = Array.from(x.row(i));
          const best = row.length === 0 ? -Infinity : Math.max(...row);
          // `+ 0` folds −0 into 0: the two zeros tie, and either is the row's maximum.
          expect(max[i]! + 0).toBe(best + 0);
          expect(idx[i]).toBe(row.indexOf(best));
        }
      }),
    );
  });

  it('transposes, refusing an out that shares memory with the input', () => {
    expect(transpose(a()).toArrays()).toEqual([
      [1, 4],
      [-2, 5],
      [3, -6],
    ]);
    const square = Matrix.identity(2);
    expect(() => transpose(square, square)).toThrow(AliasError);
    expect(() => transpose(a(), a())).toThrow('transpose: out is 2×3 but the result is 3×2');
  });

  it('element-wise ops refuse an out that overlaps an input without being it', () => {
    // One buffer, three 2×2 views: `m` at 0, `shifted` one element on, `row` = m's first row.
    const buffer = new Float64Array([1, 2, 3, 4, 5]);
    const m = new Matrix(2, 2, buffer.subarray(0, 4));
    const shifted = new Matrix(2, 2, buffer.subarray(1, 5));
    const row = new Matrix(1, 2, buffer.subarray(0, 2));
    const other = Matrix.filled(2, 2, 1);
    const refused: [string, () => unknown][] = [
      ['add', () => add(m, other, shifted)],
      ['add', () => add(other, m, shifted)],
      ['subtract', () => subtract(m, other, shifted)],
      ['multiply', () => multiply(other, m, shifted)],
      ['scale', () => scale(m, 2, shifted)],
      ['map', () => map(m, (v) => v, shifted)],
      ['axpy', () => axpy(1, m, shifted)],
      // The bias row inside the output: row 0 would change it before row 1 reads it.
      ['addRowVector', () => addRowVector(m, row, m)],
      ['sumColumns', () => sumColumns(m, row)],
    ];
    for (const [op, call] of refused) {
      expect(call, op).toThrow(AliasError);
      expect(call, op).toThrow(new RegExp(`^${op}: out`));
    }
    expect(Array.from(buffer)).toEqual([1, 2, 3, 4, 5]); // nothing was written
    // Exactly the same matrix is fine: each element is read before it is written.
    expect(add(m, m, m).toArrays()).toEqual([
      [2, 4],
      [6, 8],
    ]);
    expect(axpy(1, m, m).toArrays()).toEqual([
      [4, 8],
      [12, 16],
    ]);
    expect(addRowVector(m, Matrix.fromArrays([[1, 1]]), m).toArrays()).toEqual([
      [5, 9],
      [13, 17],
    ]);
  });
});
