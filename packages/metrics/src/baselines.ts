import { MetricsError } from './errors.js';
import {
  requireClassCount,
  requireFinite,
  requireLabels,
  requireNonEmpty,
  requireSameLength,
} from './validate.js';

// Baselines are fitted on the training part only and then predict for whichever part is scored,
// exactly like the model, so the comparison is fair: a baseline that saw the test labels would be
// a ceiling nobody can reach, not a baseline.

/** A classification baseline: fitted once, predicts a class code per row. */
export interface ClassBaseline {
  /** Short name for reports. */
  readonly name: string;
  /**
   * Predicted class codes, one per row.
   * @param keys the input key of each row to predict (baselines that ignore the input use only
   *   its length)
   */
  predict(keys: ArrayLike<number>): Int32Array;
}

/** A regression baseline: fitted once, predicts a target per row. */
export interface RegressionBaseline {
  /** Short name for reports. */
  readonly name: string;
  /**
   * Predicted targets, one per row.
   * @param keys the input key of each row to predict (baselines that ignore the input use only
   *   its length)
   */
  predict(keys: ArrayLike<number>): Float64Array;
}

/** The baseline {@link majorityClassBaseline} returns. */
export interface MajorityClassBaseline extends ClassBaseline {
  readonly name: 'majority class';
  /** The class it always predicts. */
  readonly classIndex: number;
  /** Training rows per class. */
  readonly classCounts: readonly number[];
  /** The majority class for each row; takes the rows' keys or just how many rows there are. */
  predict(rows: number | ArrayLike<number>): Int32Array;
}

/**
 * Always predicts the most frequent class of the training labels (ties go to the lowest class
 * code). Its accuracy on a test part is that class's share of the test part: the score a model
 * must beat before it has learnt anything beyond the class balance.
 *
 * @param classes number of classes; defaults to the largest training label + 1
 */
export function majorityClassBaseline(
  trainLabels: ArrayLike<number>,
  classes?: number,
): MajorityClassBaseline {
  const counts = classCounts('majorityClassBaseline', 'trainLabels', trainLabels, classes);
  const classIndex = argmaxLowest(counts);
  return {
    name: 'majority class',
    classIndex,
    classCounts: counts,
    predict: (rows) => new Int32Array(rowCount('majorityClassBaseline', rows)).fill(classIndex),
  };
}

/** The baseline {@link lookupTableBaseline} returns. */
export interface LookupTableBaseline extends ClassBaseline {
  readonly name: 'lookup table';
  /** For each key seen in training, the class predicted for it. */
  readonly table: ReadonlyMap<number, number>;
  /** The class predicted for keys never seen in training: the global majority class. */
  readonly fallbackClass: number;
}

/**
 * For each input key seen in training, predicts its most frequent training class (ties: lowest
 * class code); for keys never seen, the global majority class.
 *
 * When the model's only input is one categorical variable (a one-hot country, say), the network
 * can do no better on the training part than this table: every row with the same key gets the
 * same input and therefore the same prediction. So it is the ceiling for one-hot inputs, and a
 * network scoring below it on held-out rows has not even learnt the per-key class frequencies.
 * For several categorical inputs, combine them into one key first (e.g. `a * levelsOfB + b`).
 *
 * @param trainKeys the input value of each training row (any finite number: a category code, an
 *   age, …)
 * @param trainLabels the class code of each training row
 * @param classes number of classes; defaults to the largest training label + 1
 */
export function lookupTableBaseline(
  trainKeys: ArrayLike<number>,
  trainLabels: ArrayLike<number>,
  classes?: number,
): LookupTableBaseline {
  const fn = 'lookupTableBaseline';
  requireSameLength(fn, 'trainKeys', trainKeys, 'trainLabels', trainLabels);
  requireFinite(fn, 'trainKeys', trainKeys);
  const counts = classCounts(fn, 'trainLabels', trainLabels, classes);
  const k = counts.length;
  const perKey = new Map<number, number[]>();
  for (let i = 0; i < trainKeys.length; i++) {
    let row = perKey.get(trainKeys[i]!);
    if (row === undefined) {
      row = new Array<number>(k).fill(0);
      perKey.set(trainKeys[i]!, row);
    }
    row[trainLabels[i]!]!++;
  }
  const table = new Map<number, number>();
  for (const [key, row] of perKey) table.set(key, argmaxLowest(row));
  const fallbackClass = argmaxLowest(counts);
  return {
    name: 'lookup table',
    table,
    fallbackClass,
    predict: (keys) => {
      requireFinite(fn, 'keys', keys);
      const out = new Int32Array(keys.length);
      for (let i = 0; i < keys.length; i++) out[i] = table.get(keys[i]!) ?? fallbackClass;
      return out;
    },
  };
}

/** The baseline {@link meanPredictorBaseline} returns. */
export interface MeanPredictorBaseline extends RegressionBaseline {
  readonly name: 'mean';
  /** Mean of the training targets, predicted for every row. */
  readonly mean: number;
  /** The training mean for each row; takes the rows' keys or just how many rows there are. */
  predict(rows: number | ArrayLike<number>): Float64Array;
}

/**
 * Always predicts the mean of the training targets. On the training part its R² is exactly 0; on
 * a test part it is usually slightly below 0 (the training mean is not the test mean). A
 * regression model must beat it to have learnt anything.
 */
export function meanPredictorBaseline(trainTargets: ArrayLike<number>): MeanPredictorBaseline {
  const fn = 'meanPredictorBaseline';
  requireNonEmpty(fn, 'trainTargets', trainTargets);
  requireFinite(fn, 'trainTargets', trainTargets);
  const mean = meanOf(trainTargets);
  return {
    name: 'mean',
    mean,
    predict: (rows) => new Float64Array(rowCount(fn, rows)).fill(mean),
  };
}

/** The baseline {@link lookupTableMeanBaseline} returns. */
export interface LookupTableMeanBaseline extends RegressionBaseline {
  readonly name: 'lookup table mean';
  /** For each key seen in training, the mean training target of its rows. */
  readonly table: ReadonlyMap<number, number>;
  /** The prediction for keys never seen in training: the global training mean. */
  readonly fallback: number;
}

/**
 * The regression counterpart of {@link lookupTableBaseline}: for each input key seen in training,
 * predicts the mean training target of that key's rows; for unseen keys, the global training
 * mean. With one categorical input, the mean per key is the least-squares best any model can fit
 * on the training part, so it is the ceiling for one-hot inputs.
 */
export function lookupTableMeanBaseline(
  trainKeys: ArrayLike<number>,
  trainTargets: ArrayLike<number>,
): LookupTableMeanBaseline {
  const fn = 'lookupTableMeanBaseline';
  requireSameLength(fn, 'trainKeys', trainKeys, 'trainTargets', trainTargets);
  requireNonEmpty(fn, 'trainTargets', trainTargets);
  requireFinite(fn, 'trainKeys', trainKeys);
  requireFinite(fn, 'trainTargets', trainTargets);
  const sums = new Map<number, { sum: number; count: number }>();
  for (let i = 0; i < trainKeys.length; i++) {
    const entry = sums.get(trainKeys[i]!);
    if (entry === undefined) sums.set(trainKeys[i]!, { sum: trainTargets[i]!, count: 1 });
    else {
      entry.sum += trainTargets[i]!;
      entry.count++;
    }
  }
  const table = new Map<number, number>();
  for (const [key, { sum, count }] of sums) table.set(key, sum / count);
  const fallback = meanOf(trainTargets);
  return {
    name: 'lookup table mean',
    table,
    fallback,
    predict: (keys) => {
      requireFinite(fn, 'keys', keys);
      const out = new Float64Array(keys.length);
      for (let i = 0; i < keys.length; i++) out[i] = table.get(keys[i]!) ?? fallback;
      return out;
    },
  };
}

/**
 * Expected accuracy of guessing at random with the training class frequencies:
 * `Σ_c p_train(c) · p_test(c)`. It is what a model scores, on average, when its predictions carry
 * no information about the row but follow the class balance it was trained on; with balanced
 * classes it is `1/k`. It lies below the majority-class accuracy whenever the majority class of
 * training is also the most frequent in the test part.
 *
 * @param classes number of classes; defaults to the largest label in either array + 1
 */
export function frequencyGuessAccuracy(
  trainLabels: ArrayLike<number>,
  testLabels: ArrayLike<number>,
  classes?: number,
): number {
  const fn = 'frequencyGuessAccuracy';
  requireNonEmpty(fn, 'testLabels', testLabels);
  const k =
    classes ??
    Math.max(
      requireLabels(fn, 'trainLabels', trainLabels),
      requireLabels(fn, 'testLabels', testLabels),
    );
  const train = classCounts(fn, 'trainLabels', trainLabels, k);
  const test = classCounts(fn, 'testLabels', testLabels, k);
  let sum = 0;
  for (let c = 0; c < k; c++) sum += train[c]! * test[c]!;
  return sum / (trainLabels.length * testLabels.length);
}

/** Validates labels and counts them per class. */
function classCounts(
  fn: string,
  what: string,
  labels: ArrayLike<number>,
  classes?: number,
): number[] {
  requireNonEmpty(fn, what, labels);
  if (classes !== undefined) requireClassCount(fn, classes);
  const k = requireLabels(fn, what, labels, classes);
  const counts = new Array<number>(classes ?? k).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]!]!++;
  return counts;
}

/** Index of the largest value; the lowest index wins a tie. */
function argmaxLowest(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

function meanOf(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum / values.length;
}

function rowCount(fn: string, rows: number | ArrayLike<number>): number {
  const n = typeof rows === 'number' ? rows : rows.length;
  if (!Number.isInteger(n) || n < 0) {
    throw new MetricsError(
      'INVALID_ARGUMENT',
      `${fn}: row count is ${n}, expected an integer >= 0`,
    );
  }
  return n;
}
