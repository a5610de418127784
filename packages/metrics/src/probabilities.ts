import { argmaxRows } from '@scratchnet/linalg';
import type { Matrix } from '@scratchnet/linalg';
import { MetricsError } from './errors.js';
import { requireIntegerInRange, requireLabels, requireNonEmpty } from './validate.js';

/** Options of {@link logLoss}. */
export interface LogLossOptions {
  /**
   * Probabilities are clipped to `[eps, 1 - eps]` before the log, so a confident wrong answer
   * costs `-ln(eps)` (≈ 34.5) instead of infinity. Default `1e-15`, the clip the training loss of
   * `@scratchnet/nn` uses, so the two report the same number for the same predictions.
   */
  readonly eps?: number;
  /** How far a row's sum may be from 1 before it is rejected. Default `1e-6`. */
  readonly tolerance?: number;
}

/**
 * Mean negative log-probability of the true class (cross-entropy, natural log):
 * `-(1/n) Σ_i ln clip(p_i[y_i], eps, 1 - eps)`. About 0 for a perfect, fully confident model;
 * `ln k` is what predicting the uniform distribution over `k` classes scores. It rewards
 * calibrated confidence, which accuracy cannot see. Equals scikit-learn's `log_loss` (natural log,
 * same clip in the versions that clip) and the categorical cross-entropy training reports.
 *
 * Every row of `probabilities` must be a distribution over the `cols` classes: entries finite and
 * `>= 0`, summing to 1 within `tolerance` (`NOT_A_DISTRIBUTION` otherwise). Labels must be below
 * `cols` (`INVALID_LABEL`); rows must match `yTrue` (`LENGTH_MISMATCH`).
 *
 * @param probabilities `n x k`, one predicted distribution per row (e.g. the softmax output)
 */
export function logLoss(
  yTrue: ArrayLike<number>,
  probabilities: Matrix,
  options: LogLossOptions = {},
): number {
  const fn = 'logLoss';
  const eps = options.eps ?? 1e-15;
  const tolerance = options.tolerance ?? 1e-6;
  if (!(eps >= 0 && eps < 1)) {
    throw new MetricsError('INVALID_ARGUMENT', `${fn}: eps is ${eps}, expected a number in [0, 1)`);
  }
  if (!(tolerance >= 0)) {
    throw new MetricsError(
      'INVALID_ARGUMENT',
      `${fn}: tolerance is ${tolerance}, expected a number >= 0`,
    );
  }
  requireScoredLabels(fn, yTrue, probabilities);
  requireDistributions(fn, probabilities, tolerance);
  const { cols, data } = probabilities;
  let sum = 0;
  for (let i = 0; i < yTrue.length; i++) {
    sum -= Math.log(Math.min(Math.max(data[i * cols + yTrue[i]!]!, eps), 1 - eps));
  }
  return sum / yTrue.length;
}

/**
 * Fraction of rows whose true class is among the `k` highest-scored classes. `k = 1` is the
 * accuracy of {@link argmax}; `k = cols` is always 1.
 *
 * Ties: classes are ranked by score, highest first, and equal scores by class code, lowest first
 * (the order {@link argmax} uses), and the top `k` of that ranking count. So the result does not
 * depend on the order of evaluation, and `k = 1` agrees with `accuracy(yTrue, argmax(p))`.
 * (scikit-learn's `top_k_accuracy_score` breaks ties the other way, towards the highest code.)
 *
 * Any finite scores work (probabilities, logits); NaN or infinite scores throw `NOT_FINITE`.
 *
 * @param k an integer in `[1, cols]`
 */
export function topKAccuracy(yTrue: ArrayLike<number>, probabilities: Matrix, k: number): number {
  const fn = 'topKAccuracy';
  requireScoredLabels(fn, yTrue, probabilities);
  requireIntegerInRange(fn, 'k', k, 1, probabilities.cols);
  requireFiniteScores(fn, probabilities);
  const { cols, data } = probabilities;
  let hits = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const base = i * cols;
    const y = yTrue[i]!;
    const score = data[base + y]!;
    // Rank of the true class: classes scored higher, plus equal-scored classes with lower codes.
    let ahead = 0;
    for (let j = 0; j < cols; j++) {
      const v = data[base + j]!;
      if (v > score || (v === score && j < y)) ahead++;
    }
    if (ahead < k) hits++;
  }
  return hits / yTrue.length;
}

/**
 * The predicted class of each row: the column with the highest score. Ties go to the lowest class
 * code (like `numpy.argmax`). Throws `EMPTY` for a matrix without rows or columns and `NOT_FINITE`
 * for NaN or infinite scores.
 */
export function argmax(probabilities: Matrix): Int32Array {
  const fn = 'argmax';
  if (probabilities.rows === 0 || probabilities.cols === 0) {
    throw new MetricsError(
      'EMPTY',
      `${fn}: probabilities is ${probabilities.rows}x${probabilities.cols}, expected at least one row and column`,
    );
  }
  requireFiniteScores(fn, probabilities);
  return argmaxRows(probabilities);
}

function requireScoredLabels(fn: string, yTrue: ArrayLike<number>, probabilities: Matrix): void {
  if (probabilities.rows !== yTrue.length) {
    throw new MetricsError(
      'LENGTH_MISMATCH',
      `${fn}: yTrue has ${yTrue.length} rows but probabilities has ${probabilities.rows}`,
    );
  }
  requireNonEmpty(fn, 'yTrue', yTrue);
  if (probabilities.cols === 0) {
    throw new MetricsError('EMPTY', `${fn}: probabilities has no columns (classes)`);
  }
  requireLabels(fn, 'yTrue', yTrue, probabilities.cols);
}

function requireFiniteScores(fn: string, m: Matrix): void {
  const { cols, data } = m;
  for (let idx = 0; idx < data.length; idx++) {
    if (!Number.isFinite(data[idx]!)) {
      const i = Math.floor(idx / cols);
      throw new MetricsError(
        'NOT_FINITE',
        `${fn}: probabilities[${i}][${idx - i * cols}] is ${data[idx]}, expected a finite number`,
      );
    }
  }
}

function requireDistributions(fn: string, m: Matrix, tolerance: number): void {
  const { rows, cols, data } = m;
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    let sum = 0;
    for (let j = 0; j < cols; j++) {
      const p = data[base + j]!;
      // Written so that NaN fails too.
      if (!(p >= 0 && p <= 1)) {
        throw new MetricsError(
          'NOT_A_DISTRIBUTION',
          `${fn}: probabilities[${i}][${j}] is ${p}, expected a probability in [0, 1]`,
        );
      }
      sum += p;
    }
    if (Math.abs(sum - 1) > tolerance) {
      throw new MetricsError(
        'NOT_A_DISTRIBUTION',
        `${fn}: probabilities row ${i} sums to ${sum}, expected 1 (tolerance ${tolerance})`,
      );
    }
  }
}
