import { requireLabelPair } from './validate.js';

/**
 * Fraction of rows whose predicted class equals the true class, in `[0, 1]`.
 *
 * Labels are class codes: integers `>= 0` (`INVALID_LABEL` otherwise). Throws `LENGTH_MISMATCH`
 * when the arrays differ in length and `EMPTY` when they have no rows.
 */
export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  requireLabelPair('accuracy', yTrue, yPred);
  let correct = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) correct++;
  return correct / yTrue.length;
}

/**
 * Counts of (true class, predicted class) pairs: `matrix[t][p]` is the number of rows of true
 * class `t` predicted as `p`. Rows sum to each class's support, the diagonal holds the correct
 * predictions, and the whole matrix sums to the number of rows.
 *
 * @param classes number of classes `k` (the matrix is `k x k`); defaults to the largest label in
 *   either array + 1. Every label must be below it.
 */
export function confusionMatrix(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  classes?: number,
): number[][] {
  const k = requireLabelPair('confusionMatrix', yTrue, yPred, classes);
  return countPairs(yTrue, yPred, k);
}

function countPairs(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, k: number): number[][] {
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < yTrue.length; i++) matrix[yTrue[i]!]![yPred[i]!]!++;
  return matrix;
}

/** Precision, recall and F1 of one class, treating it as "positive" and every other as negative. */
export interface ClassScores {
  /** Of the rows predicted as this class, the fraction that truly are: `tp / (tp + fp)`. */
  readonly precision: number;
  /** Of the rows truly of this class, the fraction predicted as it: `tp / (tp + fn)`. */
  readonly recall: number;
  /** Harmonic mean of precision and recall: `2tp / (2tp + fp + fn)`. */
  readonly f1: number;
  /** Number of rows truly of this class (`tp + fn`). */
  readonly support: number;
}

/** Everything {@link classificationReport} computes. */
export interface ClassificationReport {
  /** One entry per class code `0..k-1`. */
  readonly perClass: readonly ClassScores[];
  /** Unweighted mean of precision over the classes present in `yTrue` or `yPred`. */
  readonly macroPrecision: number;
  /** Unweighted mean of recall over the classes present in `yTrue` or `yPred`. */
  readonly macroRecall: number;
  /** Unweighted mean of F1 over the classes present in `yTrue` or `yPred`. */
  readonly macroF1: number;
  /** Mean of F1 weighted by each class's support (classes absent from `yTrue` weigh 0). */
  readonly weightedF1: number;
  /** Same as {@link accuracy}. */
  readonly accuracy: number;
}

/**
 * Per-class precision, recall, F1 and support, with their macro and weighted averages.
 *
 * Matches scikit-learn's `precision_recall_fscore_support(..., zero_division=0)`: a ratio whose
 * denominator is 0 (a class never predicted has no precision, a class absent from `yTrue` has no
 * recall) counts as 0 rather than being undefined. The macro averages, like scikit-learn with
 * `labels=None`, run over the classes that occur in `yTrue` or `yPred`; a class code that occurs
 * in neither (possible when `classes` is given or codes are skipped) is listed in `perClass` with
 * zeros but does not drag the macro averages down.
 *
 * @param classes number of classes `k`; defaults to the largest label in either array + 1.
 */
export function classificationReport(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  classes?: number,
): ClassificationReport {
  const k = requireLabelPair('classificationReport', yTrue, yPred, classes);
  const matrix = countPairs(yTrue, yPred, k);
  const n = yTrue.length;
  const perClass: ClassScores[] = [];
  let present = 0;
  let sumPrecision = 0;
  let sumRecall = 0;
  let sumF1 = 0;
  let weightedF1 = 0;
  let correct = 0;
  for (let c = 0; c < k; c++) {
    const tp = matrix[c]![c]!;
    let support = 0;
    let predicted = 0;
    for (let j = 0; j < k; j++) {
      support += matrix[c]![j]!;
      predicted += matrix[j]![c]!;
    }
    const fp = predicted - tp;
    const fn = support - tp;
    const scores: ClassScores = {
      precision: ratioOrZero(tp, predicted),
      recall: ratioOrZero(tp, support),
      f1: ratioOrZero(2 * tp, 2 * tp + fp + fn),
      support,
    };
    perClass.push(scores);
    correct += tp;
    weightedF1 += scores.f1 * support;
    if (support > 0 || predicted > 0) {
      present++;
      sumPrecision += scores.precision;
      sumRecall += scores.recall;
      sumF1 += scores.f1;
    }
  }
  // `present >= 1` always: there is at least one row, so at least one class occurs.
  return {
    perClass,
    macroPrecision: sumPrecision / present,
    macroRecall: sumRecall / present,
    macroF1: sumF1 / present,
    weightedF1: weightedF1 / n,
    accuracy: correct / n,
  };
}

function ratioOrZero(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}
