import { Rng } from '@scratchnet/linalg';
import { MetricsError } from './errors.js';
import { requireFinite, requireLabels, requireNonEmpty, requireSameLength } from './validate.js';

/** Options of {@link permutationTest}. */
export interface PermutationTestOptions {
  /** Seed of the random sign flips; the same seed gives the same p-value. Default 0. */
  readonly seed?: number;
  /**
   * Number of random sign-flip permutations. Default 9999, so p-values are multiples of 1/10000.
   * When the number of rows where the two scores differ is small enough that all `2^m` sign
   * patterns fit in this budget, they are enumerated instead and the p-value is exact.
   */
  readonly permutations?: number;
  /**
   * Whether to enumerate every sign pattern when that fits in `permutations` (default true).
   * False always samples at random.
   */
  readonly exact?: boolean;
}

/** What {@link permutationTest} computes. */
export interface PermutationTestResult {
  /**
   * One-sided p-value for "the model scores higher than the baseline", in (0, 1]. Small means a
   * mean difference this large would rarely arise if the two were interchangeable.
   */
  readonly pValue: number;
  /** Observed mean per-row difference, model minus baseline (for correctness: the accuracy gap). */
  readonly observed: number;
  /** Number of sign patterns the p-value is based on (`2^m` when exact). */
  readonly permutations: number;
  /** True when every sign pattern was enumerated (an exact p-value), false for Monte Carlo. */
  readonly exact: boolean;
}

/**
 * Paired sign-flip permutation test: is the model better than the baseline on the same rows?
 *
 * Input: a per-row score for each, higher is better, on the same test rows in the same order
 * (use {@link correctness} for classification, {@link negatedSquaredErrors} for regression).
 * Statistic: the mean difference `d̄ = mean(model_i - baseline_i)`.
 *
 * Null hypothesis: on every row, the model's and the baseline's scores are exchangeable — which
 * system produced which score is arbitrary — so each difference `d_i` is as likely to have come
 * out as `-d_i`. Alternative (one-sided): the model's scores are higher. Flipping the sign of each
 * `d_i` independently with probability 1/2 draws from the null distribution of `d̄` given the
 * observed `|d_i|`; the p-value is `(1 + #{d̄_perm >= d̄_obs}) / (1 + permutations)`, which is
 * never 0 and is a valid p-value for a Monte Carlo test. Rows where the two scores are equal
 * cannot change sign and are skipped; with few remaining rows every pattern is enumerated and
 * `p = #{d̄_perm >= d̄_obs} / 2^m` exactly.
 *
 * On 0/1 correctness this is the one-sided exact McNemar (sign) test: only rows where exactly one
 * of the two is right count. The test is conditional on the test rows and on the trained model; it
 * does not account for the randomness of training or of the split.
 */
export function permutationTest(
  modelScores: ArrayLike<number>,
  baselineScores: ArrayLike<number>,
  options: PermutationTestOptions = {},
): PermutationTestResult {
  const fn = 'permutationTest';
  requireSameLength(fn, 'modelScores', modelScores, 'baselineScores', baselineScores);
  requireNonEmpty(fn, 'modelScores', modelScores);
  requireFinite(fn, 'modelScores', modelScores);
  requireFinite(fn, 'baselineScores', baselineScores);
  const seed = options.seed ?? 0;
  const permutations = options.permutations ?? 9999;
  if (!Number.isFinite(seed)) {
    throw new MetricsError('INVALID_ARGUMENT', `${fn}: seed is ${seed}, expected a finite number`);
  }
  if (!Number.isInteger(permutations) || permutations < 1) {
    throw new MetricsError(
      'INVALID_ARGUMENT',
      `${fn}: permutations is ${permutations}, expected an integer >= 1`,
    );
  }

  const n = modelScores.length;
  const nonZero: number[] = [];
  for (let i = 0; i < n; i++) {
    const d = modelScores[i]! - baselineScores[i]!;
    if (d !== 0) nonZero.push(d);
  }
  const d = Float64Array.from(nonZero);
  const m = d.length;
  let observedSum = 0;
  let scale = 0;
  for (let i = 0; i < m; i++) {
    observedSum += d[i]!;
    scale += Math.abs(d[i]!);
  }
  const observed = observedSum / n;
  // Sign patterns with the same true sum can differ by rounding; count them as ties (>=). Sums of
  // integer scores are exact, so this only matters for real-valued scores.
  const threshold = observedSum - 1e-12 * scale;

  if ((options.exact ?? true) && m < 31 && 2 ** m <= permutations) {
    const patterns = 2 ** m;
    let atLeast = 0;
    for (let mask = 0; mask < patterns; mask++) {
      let sum = 0;
      for (let i = 0; i < m; i++) sum += (mask >>> i) & 1 ? -d[i]! : d[i]!;
      if (sum >= threshold) atLeast++;
    }
    return { pValue: atLeast / patterns, observed, permutations: patterns, exact: true };
  }

  const rng = new Rng(seed);
  let atLeast = 0;
  for (let p = 0; p < permutations; p++) {
    let sum = 0;
    // One 32-bit draw gives the signs of 32 rows.
    for (let start = 0; start < m; start += 32) {
      const bits = rng.nextUint32();
      const end = Math.min(start + 32, m);
      for (let i = start; i < end; i++) sum += (bits >>> (i - start)) & 1 ? -d[i]! : d[i]!;
    }
    if (sum >= threshold) atLeast++;
  }
  return {
    pValue: (1 + atLeast) / (1 + permutations),
    observed,
    permutations,
    exact: false,
  };
}

/**
 * Per-row correctness, 1 where the prediction equals the true class and 0 elsewhere: the per-row
 * score whose mean is the accuracy, for {@link permutationTest}.
 */
export function correctness(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): Float64Array {
  const fn = 'correctness';
  requireSameLength(fn, 'yTrue', yTrue, 'yPred', yPred);
  requireNonEmpty(fn, 'yTrue', yTrue);
  requireLabels(fn, 'yTrue', yTrue);
  requireLabels(fn, 'yPred', yPred);
  const out = new Float64Array(yTrue.length);
  for (let i = 0; i < yTrue.length; i++) out[i] = yTrue[i] === yPred[i] ? 1 : 0;
  return out;
}

/**
 * Per-row `-(yTrue_i - yPred_i)²`: a higher-is-better per-row score whose mean is `-MSE`, for
 * {@link permutationTest}. On a shared test set, a higher mean also means a higher R², since R²
 * is `1 - MSE / variance(yTrue)`.
 */
export function negatedSquaredErrors(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
): Float64Array {
  const fn = 'negatedSquaredErrors';
  requireSameLength(fn, 'yTrue', yTrue, 'yPred', yPred);
  requireNonEmpty(fn, 'yTrue', yTrue);
  requireFinite(fn, 'yTrue', yTrue);
  requireFinite(fn, 'yPred', yPred);
  const out = new Float64Array(yTrue.length);
  for (let i = 0; i < yTrue.length; i++) out[i] = -((yTrue[i]! - yPred[i]!) ** 2);
  return out;
}
