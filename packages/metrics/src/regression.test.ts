import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errorCode } from './test-util.js';
import {
  meanAbsoluteError,
  meanSquaredError,
  r2Score,
  rootMeanSquaredError,
} from './regression.js';

// scikit-learn's documentation example. Errors 0.5, -0.5, 0, -1: squares sum to 1.5, absolute
// values to 2. Mean of yTrue 2.875, SS_tot = 29.1875, so R² = 1 - 1.5 / 29.1875.
const yTrue = [3, -0.5, 2, 7];
const yPred = [2.5, 0, 2, 8];

// Millesimal values: their squared differences cannot underflow, so the algebraic identities hold.
const decimal = fc.integer({ min: -1e6, max: 1e6 }).map((v) => v / 1000);
const decimalPairs = fc
  .integer({ min: 1, max: 30 })
  .chain((n) =>
    fc.tuple(
      fc.array(decimal, { minLength: n, maxLength: n }),
      fc.array(decimal, { minLength: n, maxLength: n }),
    ),
  );

const pairs = fc
  .integer({ min: 2, max: 30 })
  .chain((n) =>
    fc.tuple(
      fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: n, maxLength: n }),
      fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: n, maxLength: n }),
    ),
  );

describe('regression errors', () => {
  it('match the hand-worked values', () => {
    expect(meanSquaredError(yTrue, yPred)).toBe(0.375);
    expect(rootMeanSquaredError(yTrue, yPred)).toBeCloseTo(0.6123724356957945, 15);
    expect(meanAbsoluteError(yTrue, yPred)).toBe(0.5);
  });

  it('are 0 for perfect predictions and ordered MAE <= RMSE, RMSE² = MSE', () => {
    expect(meanSquaredError(yTrue, yTrue)).toBe(0);
    fc.assert(
      fc.property(decimalPairs, ([a, b]) => {
        const mse = meanSquaredError(a, b);
        const rmse = rootMeanSquaredError(a, b);
        expect(mse).toBeGreaterThanOrEqual(0);
        expect(rmse * rmse).toBeCloseTo(mse, 6);
        expect(meanAbsoluteError(a, b)).toBeLessThanOrEqual(rmse * (1 + 1e-12));
      }),
    );
  });

  it('reject mismatched, empty and non-finite input', () => {
    expect(errorCode(() => meanSquaredError([1, 2], [1]))).toBe('LENGTH_MISMATCH');
    expect(errorCode(() => meanAbsoluteError([], []))).toBe('EMPTY');
    expect(errorCode(() => rootMeanSquaredError([1, NaN], [1, 2]))).toBe('NOT_FINITE');
    expect(errorCode(() => meanSquaredError([1, 2], [1, Infinity]))).toBe('NOT_FINITE');
  });
});

describe('r2Score', () => {
  it('matches the hand-worked value', () => {
    expect(r2Score(yTrue, yPred)).toBeCloseTo(1 - 1.5 / 29.1875, 15);
    expect(r2Score(yTrue, yPred)).toBeCloseTo(0.9486081370449679, 15);
  });

  it('is 1 when perfect, 0 for the mean, negative when worse than the mean', () => {
    expect(r2Score([1, 2, 3, 4], [1, 2, 3, 4])).toBe(1);
    expect(r2Score([1, 2, 3, 4], [2.5, 2.5, 2.5, 2.5])).toBe(0);
    // SS_res = 9 + 1 + 1 + 9 = 20, SS_tot = 5 -> 1 - 4
    expect(r2Score([1, 2, 3, 4], [4, 3, 2, 1])).toBe(-3);
  });

  it('follows scikit-learn force_finite for a constant target', () => {
    expect(r2Score([5, 5, 5], [5, 5, 5])).toBe(1);
    expect(r2Score([5, 5, 5], [5, 5, 6])).toBe(0);
    // 0.1 * 3 / 3 is not exactly 0.1, but the target is still constant.
    expect(r2Score([0.1, 0.1, 0.1], [0.1, 0.1, 0.1])).toBe(1);
    expect(r2Score([0.1, 0.1, 0.1], [0.1, 0.1, 0.2])).toBe(0);
  });

  it('never exceeds 1', () => {
    fc.assert(
      fc.property(pairs, ([a, b]) => {
        expect(r2Score(a, b)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('needs two rows', () => {
    expect(errorCode(() => r2Score([1], [1]))).toBe('INVALID_ARGUMENT');
    expect(errorCode(() => r2Score([], []))).toBe('EMPTY');
  });
});
