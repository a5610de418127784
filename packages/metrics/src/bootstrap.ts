import { Rng } from '@scratchnet/linalg';
import { MetricsError } from './errors.js';
import { requireNonEmpty, requireSameLength } from './validate.js';

/** Options of {@link bootstrapInterval} and {@link bootstrapMetric}. */
export interface BootstrapOptions {
  /** Seed of the resampling; the same seed gives the same interval, bit for bit. Default 0. */
  readonly seed?: number;
  /** Number of bootstrap resamples. Default 1000; more make the interval's ends less noisy. */
  readonly resamples?: number;
  /** Coverage of the interval, in (0, 1). Default 0.95. */
  readonly confidence?: number;
}

/** A bootstrap confidence interval. */
export interface BootstrapInterval {
  /** The metric on the rows as given (not a bootstrap average). */
  readonly estimate: number;
  /** Lower end: the `(1 - confidence) / 2` quantile of the resampled metric. */
  readonly lower: number;
  /** Upper end: the `(1 + confidence) / 2` quantile of the resampled metric. */
  readonly upper: number;
  /** Standard deviation of the resampled metric: the bootstrap standard error. */
  readonly standardError: number;
  /** The coverage asked for. */
  readonly confidence: number;
  /** Number of resamples drawn. */
  readonly resamples: number;
}

/**
 * Percentile bootstrap confidence interval (Efron) for any metric of `n` rows.
 *
 * Method: the metric is computed once on all rows (`estimate`), then `resamples` times on a
 * resample of `n` row indices drawn uniformly with replacement; the interval runs from the
 * `(1 - confidence)/2` to the `(1 + confidence)/2` quantile of those values (linear interpolation
 * between order statistics, numpy's default). It says how much the metric would move had a
 * different test set of the same size been drawn from the same population, and it assumes rows
 * are independent. It does not capture training randomness (initialisation, split), and for
 * small `n` or a skewed metric it can be off-centre; it need not even contain `estimate`.
 *
 * @param metric computes the metric on the rows whose indices it is given (indices may repeat).
 *   The array is reused between calls: read it, do not keep it. It must return a finite number.
 * @param n number of rows
 */
export function bootstrapInterval(
  metric: (indices: Int32Array) => number,
  n: number,
  options: BootstrapOptions = {},
): BootstrapInterval {
  const fn = 'bootstrapInterval';
  const { seed, resamples, confidence } = resolveOptions(fn, options);
  if (!Number.isInteger(n) || n < 0) {
    throw new MetricsError('INVALID_ARGUMENT', `${fn}: n is ${n}, expected an integer >= 0`);
  }
  if (n === 0) throw new MetricsError('EMPTY', `${fn}: there are no rows to resample`);
  const indices = new Int32Array(n);
  for (let i = 0; i < n; i++) indices[i] = i;
  const estimate = checked(fn, metric(indices), 'on all rows');
  const rng = new Rng(seed);
  const values = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) indices[i] = rng.int(n);
    values[b] = checked(fn, metric(indices), `on resample ${b}`);
  }
  let mean = 0;
  for (let b = 0; b < resamples; b++) mean += values[b]!;
  mean /= resamples;
  let squares = 0;
  for (let b = 0; b < resamples; b++) squares += (values[b]! - mean) ** 2;
  values.sort();
  const alpha = 1 - confidence;
  return {
    estimate,
    lower: quantileOfSorted(values, alpha / 2),
    upper: quantileOfSorted(values, 1 - alpha / 2),
    standardError: resamples > 1 ? Math.sqrt(squares / (resamples - 1)) : 0,
    confidence,
    resamples,
  };
}

/**
 * {@link bootstrapInterval} for a metric of paired targets and predictions, e.g.
 * `bootstrapMetric(yTest, predictions, accuracy)` or `bootstrapMetric(yTest, predictions, r2Score)`.
 * Each resample gathers its rows into two reused buffers and calls `metric(yTrue, yPred)` on them.
 */
export function bootstrapMetric(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  metric: (yTrue: ArrayLike<number>, yPred: ArrayLike<number>) => number,
  options: BootstrapOptions = {},
): BootstrapInterval {
  const fn = 'bootstrapMetric';
  requireSameLength(fn, 'yTrue', yTrue, 'yPred', yPred);
  requireNonEmpty(fn, 'yTrue', yTrue);
  const n = yTrue.length;
  const trueSample = new Float64Array(n);
  const predSample = new Float64Array(n);
  return bootstrapInterval(
    (indices) => {
      for (let i = 0; i < n; i++) {
        const row = indices[i]!;
        trueSample[i] = yTrue[row]!;
        predSample[i] = yPred[row]!;
      }
      return metric(trueSample, predSample);
    },
    n,
    options,
  );
}

function resolveOptions(fn: string, options: BootstrapOptions) {
  const seed = options.seed ?? 0;
  const resamples = options.resamples ?? 1000;
  const confidence = options.confidence ?? 0.95;
  if (!Number.isFinite(seed)) {
    throw new MetricsError('INVALID_ARGUMENT', `${fn}: seed is ${seed}, expected a finite number`);
  }
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new MetricsError(
      'INVALID_ARGUMENT',
      `${fn}: resamples is ${resamples}, expected an integer >= 1`,
    );
  }
  if (!(confidence > 0 && confidence < 1)) {
    throw new MetricsError(
      'INVALID_ARGUMENT',
      `${fn}: confidence is ${confidence}, expected a number in (0, 1)`,
    );
  }
  return { seed, resamples, confidence };
}

function checked(fn: string, value: number, where: string): number {
  if (!Number.isFinite(value)) {
    throw new MetricsError('NOT_FINITE', `${fn}: the metric returned ${value} ${where}`);
  }
  return value;
}

/** Quantile `q` of ascending `sorted` by linear interpolation (numpy's default, Hyndman-Fan 7). */
export function quantileOfSorted(sorted: ArrayLike<number>, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}
