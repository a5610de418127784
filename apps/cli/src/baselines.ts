/**
 * The simple predictors every score is read against, fitted on the training rows with
 * @scratchnet/metrics and kept as plain data, so a saved model carries them and `evaluate` can
 * score them on a new file exactly as `train` scored them on the test rows.
 */
import {
  lookupTableBaseline,
  lookupTableMeanBaseline,
  majorityClassBaseline,
  meanPredictorBaseline,
} from '@scratchnet/metrics';

/** Display names of the baselines. */
export const BASELINE_NAMES = {
  majority: 'majority class',
  lookup: 'lookup table',
  frequency: 'frequency guessing',
  mean: 'mean predictor',
} as const;

/** Fitted baselines as plain JSON. Lookup keys are {@link inputKey}s. */
export type StoredBaselines =
  | {
      task: 'classification';
      /** Training rows per class (in the model's class order). */
      classCounts: number[];
      /** The majority class of the training rows. */
      majorityClass: number;
      /** Input key → the most frequent training class for it. */
      lookup: Record<string, number>;
    }
  | {
      task: 'regression';
      /** Mean training target (in its own unit). */
      mean: number;
      /** Input key → the mean training target for it. */
      lookup: Record<string, number>;
    };

/** A baseline's predictions for some rows. */
export interface BaselinePredictions<T extends Int32Array | Float64Array> {
  name: string;
  predictions: T;
}

/**
 * The key of one input: rows with the same key get the same network input (so a lookup table of
 * keys is the ceiling for categorical inputs). One value is the key itself; several are joined.
 */
export function inputKey(values: readonly (string | number)[]): string {
  return values.length === 1 ? String(values[0]) : JSON.stringify(values.map(String));
}

/** Numbers the distinct keys in first-seen order (metrics' lookup tables take numeric keys). */
function codesOf(keys: readonly string[], dictionary: Map<string, number>): Int32Array {
  const out = new Int32Array(keys.length);
  keys.forEach((key, i) => {
    let code = dictionary.get(key);
    if (code === undefined) {
      code = dictionary.size;
      dictionary.set(key, code);
    }
    out[i] = code;
  });
  return out;
}

function storedLookup(
  table: ReadonlyMap<number, number>,
  dictionary: Map<string, number>,
): Record<string, number> {
  const lookup: Record<string, number> = {};
  for (const [key, code] of dictionary) {
    const value = table.get(code);
    if (value !== undefined) lookup[key] = value;
  }
  return lookup;
}

/** Fits the classification baselines on the training rows. */
export function fitClassBaselines(
  trainKeys: readonly string[],
  trainLabels: Int32Array,
  classes: number,
): StoredBaselines {
  const dictionary = new Map<string, number>();
  const codes = codesOf(trainKeys, dictionary);
  const majority = majorityClassBaseline(trainLabels, classes);
  const lookup = lookupTableBaseline(codes, trainLabels, classes);
  return {
    task: 'classification',
    classCounts: [...majority.classCounts],
    majorityClass: majority.classIndex,
    lookup: storedLookup(lookup.table, dictionary),
  };
}

/** Fits the regression baselines on the training rows (targets in their own unit). */
export function fitRegressionBaselines(
  trainKeys: readonly string[],
  trainTargets: Float64Array,
): StoredBaselines {
  const dictionary = new Map<string, number>();
  const codes = codesOf(trainKeys, dictionary);
  const lookup = lookupTableMeanBaseline(codes, trainTargets);
  return {
    task: 'regression',
    mean: meanPredictorBaseline(trainTargets).mean,
    lookup: storedLookup(lookup.table, dictionary),
  };
}

/** The classification baselines' classes for rows with these keys (unseen keys get the majority class). */
export function classBaselinePredictions(
  stored: Extract<StoredBaselines, { task: 'classification' }>,
  keys: readonly string[],
): BaselinePredictions<Int32Array>[] {
  const majority = new Int32Array(keys.length).fill(stored.majorityClass);
  const lookup = Int32Array.from(keys, (key) =>
    Object.hasOwn(stored.lookup, key) ? (stored.lookup[key] as number) : stored.majorityClass,
  );
  return [
    { name: BASELINE_NAMES.majority, predictions: majority },
    { name: BASELINE_NAMES.lookup, predictions: lookup },
  ];
}

/** The regression baselines' predictions for rows with these keys (unseen keys get the mean). */
export function regressionBaselinePredictions(
  stored: Extract<StoredBaselines, { task: 'regression' }>,
  keys: readonly string[],
): BaselinePredictions<Float64Array>[] {
  const mean = new Float64Array(keys.length).fill(stored.mean);
  const lookup = Float64Array.from(keys, (key) =>
    Object.hasOwn(stored.lookup, key) ? (stored.lookup[key] as number) : stored.mean,
  );
  return [
    { name: BASELINE_NAMES.mean, predictions: mean },
    { name: BASELINE_NAMES.lookup, predictions: lookup },
  ];
}

/** Training labels with the stored class counts (order does not matter to frequency guessing). */
export function labelsFromCounts(classCounts: readonly number[]): Int32Array {
  const total = classCounts.reduce((sum, count) => sum + count, 0);
  const labels = new Int32Array(total);
  let at = 0;
  classCounts.forEach((count, label) => {
    labels.fill(label, at, at + count);
    at += count;
  });
  return labels;
}

/** What stored baselines must agree with, so no count read from a file sizes an allocation. */
export interface BaselineLimits {
  /** The model's classes (classification) or 1. */
  classes: number;
  /** The most training rows the class counts may add up to. */
  maxRows: number;
  /** The training rows the counts must add up to, when the model file records them. */
  trainRows?: number;
  /** Regression: the range every training target lies in, so every mean does too. */
  range: readonly [number, number];
}

const isWhole = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/**
 * Reads the baselines a model file carries. A string says what is wrong, by field: the class
 * counts become an array of labels when the file is scored (`labelsFromCounts`), so a count of
 * 4e9 would ask for 16 GB, and a mean of 1e308 would print as an R² of −Infinity.
 */
export function readStoredBaselines(
  value: unknown,
  limits: BaselineLimits,
): StoredBaselines | string {
  if (typeof value !== 'object' || value === null) return ' must be an object';
  const record = value as Record<string, unknown>;
  const lookup = record.lookup;
  if (typeof lookup !== 'object' || lookup === null || Array.isArray(lookup)) {
    return '.lookup must be an object of input keys';
  }
  const entries = Object.entries(lookup as Record<string, unknown>);
  if (record.task === 'classification') {
    const { classes, maxRows, trainRows } = limits;
    const counts = record.classCounts;
    if (!Array.isArray(counts) || counts.length !== classes) {
      return `.classCounts must be an array of ${classes} counts, one per class`;
    }
    let total = 0;
    for (let c = 0; c < classes; c++) {
      const count: unknown = counts[c];
      if (!isWhole(count) || count > maxRows) {
        return `.classCounts[${c}] is ${JSON.stringify(count) ?? 'missing'}, expected a whole number of rows from 0 to ${maxRows}`;
      }
      total += count;
    }
    if (total === 0 || total > maxRows || (trainRows !== undefined && total !== trainRows)) {
      const expected =
        trainRows === undefined ? `1 to ${maxRows}` : `${trainRows} (training.split.train)`;
      return `.classCounts add up to ${total} rows, expected ${expected}`;
    }
    const isClass = (v: unknown) => isWhole(v) && v < classes;
    const majority = record.majorityClass;
    if (!isClass(majority) || counts[majority as number] !== Math.max(...(counts as number[]))) {
      return `.majorityClass is ${JSON.stringify(majority) ?? 'missing'}, expected the index of a largest class count`;
    }
    const bad = entries.find(([, v]) => !isClass(v));
    if (bad !== undefined) {
      return `.lookup[${JSON.stringify(bad[0])}] is ${JSON.stringify(bad[1])}, expected a class from 0 to ${classes - 1}`;
    }
    return {
      task: 'classification',
      classCounts: counts as number[],
      majorityClass: majority as number,
      lookup: lookup as Record<string, number>,
    };
  }
  if (record.task === 'regression') {
    const [low, high] = limits.range;
    const inRange = (v: unknown) => typeof v === 'number' && v >= low && v <= high;
    const expected = `a number from ${low} to ${high}`;
    if (!inRange(record.mean))
      return `.mean is ${JSON.stringify(record.mean) ?? 'missing'}, expected ${expected}`;
    const bad = entries.find(([, v]) => !inRange(v));
    if (bad !== undefined)
      return `.lookup[${JSON.stringify(bad[0])}] is ${JSON.stringify(bad[1])}, expected ${expected}`;
    return {
      task: 'regression',
      mean: record.mean as number,
      lookup: lookup as Record<string, number>,
    };
  }
  return `.task is ${JSON.stringify(record.task) ?? 'missing'}, expected "classification" or "regression"`;
}
