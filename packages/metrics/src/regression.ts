import { MetricsError } from './errors.js';
import { requireNumericPair } from './validate.js';

/**
 * Mean of the squared errors, `Σ (yTrue_i - yPred_i)² / n`, in the targets' squared units.
 * Throws `LENGTH_MISMATCH`, `EMPTY` or `NOT_FINITE` on bad input.
 */
export function meanSquaredError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  requireNumericPair('meanSquaredError', yTrue, yPred);
  return sumSquaredErrors(yTrue, yPred) / yTrue.length;
}

/** Square root of {@link meanSquaredError}: a typical error in the targets' own units. */
export function rootMeanSquaredError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  requireNumericPair('rootMeanSquaredError', yTrue, yPred);
  return Math.sqrt(sumSquaredErrors(yTrue, yPred) / yTrue.length);
}

/** Mean of the absolute errors, `Σ |yTrue_i - yPred_i| / n`; less swayed by outliers than RMSE. */
export function meanAbsoluteError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  requireNumericPair('meanAbsoluteError', yTrue, yPred);
  let sum = 0;
  for (let i = 0; i < yTrue.length; i++) sum += Math.abs(yTrue[i]! - yPred[i]!);
  return sum / yTrue.length;
}

/**
 * Coefficient of determination, `1 - SS_res / SS_tot` with `SS_res = Σ (y_i - ŷ_i)²` and
 * `SS_tot = Σ (y_i - ȳ)²`: the fraction of the targets' variance the predictions explain. 1 is
 * perfect, 0 is what predicting the mean of `yTrue` scores, and it is negative for anything
 * worse (it has no lower bound).
 *
 * Semantics of scikit-learn's `r2_score` (with its default `force_finite=True`): when `yTrue` is
 * constant, `SS_tot` is 0 and the ratio is undefined, so the score is 1 if the predictions are
 * exact and 0 otherwise. "Constant" is decided by comparing the values themselves, not by testing
 * the floating-point `SS_tot` against 0, so `[0.1, 0.1, 0.1]` counts as constant even though its
 * computed mean is not exactly 0.1. scikit-learn returns NaN for a single sample; this throws
 * `INVALID_ARGUMENT` instead.
 */
export function r2Score(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  requireNumericPair('r2Score', yTrue, yPred);
  const n = yTrue.length;
  if (n < 2) {
    throw new MetricsError('INVALID_ARGUMENT', 'r2Score: needs at least 2 rows, got 1');
  }
  const ssRes = sumSquaredErrors(yTrue, yPred);
  let constant = true;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += yTrue[i]!;
    if (yTrue[i] !== yTrue[0]) constant = false;
  }
  if (constant) return ssRes === 0 ? 1 : 0;
  const mean = sum / n;
  let ssTot = 0;
  for (let i = 0; i < n; i++) {
    const d = yTrue[i]! - mean;
    ssTot += d * d;
  }
  // A non-constant target whose squared deviations underflow to 0 is treated like a constant one.
  if (ssTot === 0) return ssRes === 0 ? 1 : 0;
  return 1 - ssRes / ssTot;
}

function sumSquaredErrors(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const d = yTrue[i]! - yPred[i]!;
    sum += d * d;
  }
  return sum;
}
