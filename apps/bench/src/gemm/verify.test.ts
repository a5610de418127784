import { describe, expect, it } from 'vitest';
import { gemmNaive } from '@scratchnet/linalg';
import { randomValues, squareShape } from './problem.js';
import type { Shape } from './problem.js';
import { VerificationError, verifyProduct } from './verify.js';

const shape: Shape = { m: 5, n: 7, k: 300, transA: true, transB: true, label: 't' };

function product(s: Shape) {
  const a = randomValues(s.m * s.k, 1, 'f64') as Float64Array;
  const b = randomValues(s.k * s.n, 2, 'f64') as Float64Array;
  const c = new Float64Array(s.m * s.n);
  gemmNaive(s.transA, s.transB, s.m, s.n, s.k, a, b, c);
  return { a, b, c };
}

describe('verifyProduct', () => {
  it('accepts the naive product, with either transpose', () => {
    const { a, b, c } = product(shape);
    expect(() => verifyProduct('x', shape, 'f64', a, b, c)).not.toThrow();
  });

  it('rejects an error far above rounding, a NaN, a wrong length, or a transposed result', () => {
    const { a, b, c } = product(shape);
    const bad = c.slice();
    bad[12]! += 1e-9;
    expect(() => verifyProduct('x', shape, 'f64', a, b, bad)).toThrow(VerificationError);
    bad[12] = NaN;
    expect(() => verifyProduct('x', shape, 'f64', a, b, bad)).toThrow(/C\[1\]\[5\] = NaN/);
    expect(() => verifyProduct('x', shape, 'f64', a, b, c.subarray(1))).toThrow(
      /34 elements, expected 35/,
    );
    const square = squareShape(6);
    const sq = product({ ...square, k: 6 });
    const transposed = new Float64Array(36).map((_, i) => sq.c[(i % 6) * 6 + Math.floor(i / 6)]!);
    expect(() => verifyProduct('x', square, 'f64', sq.a, sq.b, transposed)).toThrow(
      VerificationError,
    );
  });

  it('allows float32 rounding for f32 but not for f64', () => {
    const { a, b, c } = product(shape);
    const rounded = Float32Array.from(c);
    expect(() => verifyProduct('x', shape, 'f32', a, b, rounded)).not.toThrow();
    const off = Float64Array.from(c, (x) => x * (1 + 2 ** -20));
    expect(() => verifyProduct('x', shape, 'f64', a, b, off)).toThrow(VerificationError);
  });

  it('checks a spread of rows and columns including the last ones on large products', () => {
    const big: Shape = { m: 300, n: 200, k: 3, transA: false, transB: false, label: 'big' };
    const { a, b, c } = product(big);
    const bad = c.slice();
    bad[300 * 200 - 1] = 0; // the last element
    expect(() => verifyProduct('x', big, 'f64', a, b, bad)).toThrow(/C\[299\]\[199\]/);
  });
});
