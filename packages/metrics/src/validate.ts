import { MetricsError } from './errors.js';

// Input checks shared by the metric modules. Internal: not exported from the package index.

/** Throws `EMPTY` when `values` has no rows. */
export function requireNonEmpty(fn: string, what: string, values: ArrayLike<number>): void {
  if (values.length === 0) throw new MetricsError('EMPTY', `${fn}: ${what} is empty`);
}

/** Throws `LENGTH_MISMATCH` unless the two inputs pair up row by row. */
export function requireSameLength(
  fn: string,
  aName: string,
  a: ArrayLike<number>,
  bName: string,
  b: ArrayLike<number>,
): void {
  if (a.length !== b.length) {
    throw new MetricsError(
      'LENGTH_MISMATCH',
      `${fn}: ${aName} has ${a.length} rows but ${bName} has ${b.length}`,
    );
  }
}

/** Throws `NOT_FINITE` at the first NaN or infinite value. */
export function requireFinite(fn: string, what: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) {
      throw new MetricsError(
        'NOT_FINITE',
        `${fn}: ${what}[${i}] is ${v}, expected a finite number`,
      );
    }
  }
}

/**
 * Checks that every value is a class code (an integer >= 0, and < `classes` when given) and
 * returns the largest code + 1, i.e. the number of classes the labels imply.
 */
export function requireLabels(
  fn: string,
  what: string,
  labels: ArrayLike<number>,
  classes?: number,
): number {
  let max = -1;
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i]!;
    if (!Number.isInteger(v) || v < 0) {
      throw new MetricsError(
        'INVALID_LABEL',
        `${fn}: ${what}[${i}] is ${v}, expected an integer class code >= 0`,
      );
    }
    if (classes !== undefined && v >= classes) {
      throw new MetricsError(
        'INVALID_LABEL',
        `${fn}: ${what}[${i}] is ${v}, expected a class code below ${classes}`,
      );
    }
    if (v > max) max = v;
  }
  return max + 1;
}

/** Checks an explicit class count: a positive integer. */
export function requireClassCount(fn: string, classes: number): void {
  if (!Number.isInteger(classes) || classes < 1) {
    throw new MetricsError(
      'INVALID_ARGUMENT',
      `${fn}: classes is ${classes}, expected a positive integer`,
    );
  }
}

/**
 * Validates a pair of label arrays and returns the number of classes: `classes` when given
 * (every label must be below it), otherwise the largest label in either array + 1.
 */
export function requireLabelPair(
  fn: string,
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  classes?: number,
): number {
  requireSameLength(fn, 'yTrue', yTrue, 'yPred', yPred);
  requireNonEmpty(fn, 'yTrue', yTrue);
  if (classes !== undefined) requireClassCount(fn, classes);
  const kTrue = requireLabels(fn, 'yTrue', yTrue, classes);
  const kPred = requireLabels(fn, 'yPred', yPred, classes);
  return classes ?? Math.max(kTrue, kPred);
}

/** Validates a pair of numeric arrays (regression targets and predictions). */
export function requireNumericPair(
  fn: string,
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
): void {
  requireSameLength(fn, 'yTrue', yTrue, 'yPred', yPred);
  requireNonEmpty(fn, 'yTrue', yTrue);
  requireFinite(fn, 'yTrue', yTrue);
  requireFinite(fn, 'yPred', yPred);
}

/** Checks that `value` is an integer within `[min, max]`. */
export function requireIntegerInRange(
  fn: string,
  name: string,
  value: number,
  min: number,
  max: number,
): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new MetricsError(
      'INVALID_ARGUMENT',
      `${fn}: ${name} is ${value}, expected an integer in [${min}, ${max}]`,
    );
  }
}
