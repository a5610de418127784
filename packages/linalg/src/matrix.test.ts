import { describe, expect, it } from 'vitest';
import { ShapeError } from './errors.js';
import { Matrix } from './matrix.js';

describe('Matrix', () => {
  it('stores values row-major and wraps the given array without copying', () => {
    const data = new Float64Array([1, 2, 3, 4, 5, 6]);
    const m = new Matrix(2, 3, data);
    expect(m.data).toBe(data);
    expect(m.get(1, 0)).toBe(4);
    m.set(0, 2, 9);
    expect(data[2]).toBe(9);
    expect(m.size).toBe(6);
    expect(m.shape).toBe('2×3');
  });

  it('refuses data of the wrong length and bad dimensions', () => {
    expect(() => new Matrix(2, 3, new Float64Array(5))).toThrow(ShapeError);
    expect(() => new Matrix(2, 3, new Float64Array(5))).toThrow('does not fit 2×3');
    expect(() => new Matrix(-1, 3)).toThrow(RangeError);
    expect(() => new Matrix(1.5, 3)).toThrow(RangeError);
  });

  it('builds zeros, filled and identity matrices', () => {
    expect(Matrix.zeros(2, 2).toArrays()).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(Matrix.filled(1, 3, 7).toArrays()).toEqual([[7, 7, 7]]);
    expect(Matrix.identity(3).toArrays()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(Matrix.zeros(0, 4).size).toBe(0);
  });

  it('builds from nested arrays and refuses ragged ones with a ShapeError', () => {
    expect(Matrix.fromArrays([[1, 2], [3, 4], new Float64Array([5, 6])]).toArrays()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(Matrix.fromArrays([]).shape).toBe('0×0');
    let error: unknown;
    try {
      Matrix.fromArrays([[1, 2], [3]]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ShapeError);
    expect((error as ShapeError).code).toBe('SHAPE_MISMATCH');
    expect((error as ShapeError).message).toBe(
      'Matrix.fromArrays: row 1 has 1 values but row 0 has 2',
    );
  });

  it('copies typed arrays in fromTypedArray', () => {
    const source = [1, 2, 3, 4];
    const m = Matrix.fromTypedArray(source, 2, 2);
    source[0] = 100;
    expect(m.get(0, 0)).toBe(1);
    const typed = new Float32Array([0.5, 1.5]);
    expect(Matrix.fromTypedArray(typed, 2, 1).toArrays()).toEqual([[0.5], [1.5]]);
    expect(() => Matrix.fromTypedArray([1, 2, 3], 2, 2)).toThrow('does not fit 2×2');
  });

  it('gives rows as views into the data', () => {
    const m = Matrix.fromArrays([
      [1, 2],
      [3, 4],
    ]);
    const r = m.row(1);
    expect(Array.from(r)).toEqual([3, 4]);
    r[0] = 30;
    expect(m.get(1, 0)).toBe(30);
    expect(() => m.row(2)).toThrow(RangeError);
  });

  it('clones deeply and copies between matrices of the same shape', () => {
    const m = Matrix.fromArrays([[1, 2]]);
    const c = m.clone();
    c.set(0, 0, 5);
    expect(m.get(0, 0)).toBe(1);
    const target = Matrix.zeros(1, 2);
    expect(target.copyFrom(m)).toBe(target);
    expect(target.toArrays()).toEqual([[1, 2]]);
    expect(() => target.copyFrom(Matrix.zeros(2, 1))).toThrow('copyFrom: cannot copy 2×1 into 1×2');
  });
});
