import fc from 'fast-check';
import { Matrix, argmaxRows } from '@scratchnet/linalg';
import { describe, expect, it } from 'vitest';
import { accuracy, rSquared, rowClass } from './scores.js';

describe('rowClass', () => {
  it("takes a row's class by linalg's argmaxRows rule: first largest, a NaN counting as the largest (property)", () => {
    const cell = fc.oneof(
      fc.constant(NaN),
      fc.constant(0),
      fc.double({ min: -3, max: 3, noNaN: true }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 6 }),
        fc.array(cell, { minLength: 12, maxLength: 12 }),
        (cols, cells) => {
          const rows = Math.floor(12 / cols);
          const m = new Matrix(rows, cols, Float64Array.from(cells.slice(0, rows * cols)));
          const expected = Array.from(argmaxRows(m));
          expect(Array.from({ length: rows }, (_, i) => rowClass(m, i))).toEqual(expected);
        },
      ),
    );
    expect(rowClass(Matrix.fromArrays([[1, NaN, 5, NaN]]), 0)).toBe(1);
    expect(rowClass(Matrix.fromArrays([[2, 5, 5]]), 0)).toBe(1);
  });

  it('thresholds a single column at 0.5', () => {
    const m = Matrix.fromArrays([[0.49], [0.5], [0.9]]);
    expect([0, 1, 2].map((i) => rowClass(m, i))).toEqual([0, 1, 1]);
  });

  it('scores accuracy and R² for early stopping', () => {
    const y = Matrix.fromArrays([
      [1, 0],
      [0, 1],
    ]);
    expect(
      accuracy(
        Matrix.fromArrays([
          [0.9, 0.1],
          [0.8, 0.2],
        ]),
        y,
      ),
    ).toBe(0.5);
    const t = Matrix.fromArrays([[1], [2], [3]]);
    expect(rSquared(t, t)).toBe(1);
    expect(rSquared(Matrix.fromArrays([[2], [2], [2]]), t)).toBe(0);
  });
});
