/**
 * How much to trust an answer: the network's score with its 95% bootstrap interval, the simple
 * baselines scored on the same rows, permutation tests of the network against them, and for
 * classification the chi-square test of independence on all rows. Every number comes from
 * @scratchnet/metrics; this module only chooses and assembles them.
 */
import {
  accuracy,
  bootstrapMetric,
  chiSquareTest,
  confusionMatrix,
  contingencyTable,
  correctness,
  frequencyGuessAccuracy,
  negatedSquaredErrors,
  permutationTest,
  r2Score,
  rootMeanSquaredError,
} from '@scratchnet/metrics';
import type { StoredBaselines } from './baselines.js';
import {
  BASELINE_NAMES,
  classBaselinePredictions,
  labelsFromCounts,
  regressionBaselinePredictions,
} from './baselines.js';
import type {
  BaselineScore,
  ChiSquareResult,
  PermutationResult,
  ProcedureTest,
  Significance,
  TestScore,
} from './results.js';
import type { Phrasing } from './sentence.js';
import { verdict } from './sentence.js';

/** Bootstrap resamples for the 95% interval. */
export const BOOTSTRAP_RESAMPLES = 1000;
/** Sign-flip permutations for the permutation tests. */
export const PERMUTATIONS = 9999;

/** For the chi-square test on all rows: the input's category and the class of every row. */
export interface ChiSquareInputs {
  /** What the table crosses, e.g. `country × top genre`. */
  table: string;
  inputCodes: Int32Array;
  targetCodes: Int32Array;
}

/** What a classification assessment needs; all arrays are over the scored rows. */
export interface ClassificationInputs {
  /** True class of each row (in the model's class order). */
  labels: Int32Array;
  /** The network's class for each row. */
  predictions: Int32Array;
  /** Input key of each row, for the lookup-table baseline. */
  keys: readonly string[];
  classes: number;
  /** The network's loss on the rows. */
  loss: number;
  baselines: Extract<StoredBaselines, { task: 'classification' }>;
  chiSquare?: ChiSquareInputs;
  phrasing: Phrasing;
  /** What the answer's rows are, for the sentence. */
  answerRows: string;
  /** The permutation test of the procedure, when it was run. */
  procedure?: ProcedureTest;
  seed: number;
}

/** What a regression assessment needs; targets and predictions in the target's own unit. */
export interface RegressionInputs {
  targets: Float64Array;
  predictions: Float64Array;
  keys: readonly string[];
  loss: number;
  baselines: Extract<StoredBaselines, { task: 'regression' }>;
  phrasing: Phrasing;
  answerRows: string;
  procedure?: ProcedureTest;
  seed: number;
}

/** The trust numbers of one question. */
export interface Assessment {
  test: TestScore;
  /** The best simple baseline that predicts row by row. */
  baseline: BaselineScore;
  baselines: BaselineScore[];
  significance: Significance;
  /** Classification: the confusion matrix (rows true, columns predicted). */
  confusion?: number[][];
}

interface RowBaseline extends BaselineScore {
  perRow: Float64Array;
}

function bestOf(baselines: readonly RowBaseline[]): RowBaseline {
  return baselines.reduce((top, candidate) => (candidate.score > top.score ? candidate : top));
}

function permutation(model: Float64Array, against: RowBaseline, seed: number): PermutationResult {
  const result = permutationTest(model, against.perRow, { seed, permutations: PERMUTATIONS });
  return {
    against: against.name,
    pValue: result.pValue,
    permutations: result.permutations,
    exact: result.exact,
  };
}

/**
 * The permutation test of the procedure from its scores: p = (1 + #{shuffled ≥ real}) / (K + 1),
 * counting the real training among the possible outcomes, so p is never 0.
 */
export function procedureTest(score: number, nullScores: readonly number[]): ProcedureTest {
  const atLeast = nullScores.filter((value) => value >= score).length;
  return {
    score,
    permutations: nullScores.length,
    atLeast,
    pValue: (1 + atLeast) / (nullScores.length + 1),
    nullScores: [...nullScores],
  };
}

/** Pearson's chi-square test of independence on the given codes. */
export function chiSquare(inputs: ChiSquareInputs): ChiSquareResult {
  const test = chiSquareTest(contingencyTable(inputs.inputCodes, inputs.targetCodes));
  return {
    table: inputs.table,
    statistic: test.statistic,
    degreesOfFreedom: test.degreesOfFreedom,
    pValue: test.pValue,
    cramersV: test.cramersV,
  };
}

/** Assesses a classifier on some rows (the test rows, or every row of a new file). */
export function assessClassification(inputs: ClassificationInputs): Assessment {
  const { labels, predictions, classes, seed } = inputs;
  const interval = bootstrapMetric(labels, predictions, accuracy, {
    seed,
    resamples: BOOTSTRAP_RESAMPLES,
  });
  const rowBaselines: RowBaseline[] = classBaselinePredictions(inputs.baselines, inputs.keys).map(
    ({ name, predictions: guesses }) => ({
      name,
      score: accuracy(labels, guesses),
      perRow: correctness(labels, guesses),
    }),
  );
  const frequency = frequencyGuessAccuracy(
    labelsFromCounts(inputs.baselines.classCounts),
    labels,
    classes,
  );
  const model = correctness(labels, predictions);
  const best = bestOf(rowBaselines);
  const versusBest = permutation(model, best, seed);
  const noInput = rowBaselines.find((b) => b.name === BASELINE_NAMES.majority) ?? best;
  const versusNoInput = permutation(model, noInput, seed);
  const chi = inputs.chiSquare === undefined ? undefined : chiSquare(inputs.chiSquare);
  const said = verdict(inputs.phrasing, {
    ...(chi === undefined ? {} : { chiSquarePValue: chi.pValue }),
    versusNoInput: { baseline: versusNoInput.against, pValue: versusNoInput.pValue },
    versusBest: {
      baseline: versusBest.against,
      pValue: versusBest.pValue,
      tie: best.score === interval.estimate,
    },
    ...(inputs.procedure === undefined ? {} : { procedure: inputs.procedure }),
    rows: inputs.answerRows,
  });
  return {
    test: {
      metric: 'accuracy',
      score: interval.estimate,
      loss: inputs.loss,
      interval: { low: interval.lower, high: interval.upper, level: interval.confidence },
    },
    baseline: { name: best.name, score: best.score },
    baselines: [
      ...rowBaselines.map(({ name, score }) => ({ name, score })),
      { name: BASELINE_NAMES.frequency, score: frequency },
    ],
    significance: {
      permutation: versusBest,
      versusInputBlind: versusNoInput,
      ...(chi === undefined ? {} : { chiSquare: chi }),
      ...(inputs.procedure === undefined ? {} : { procedure: inputs.procedure }),
      evidence: said.evidence,
      answerIsFinding: said.answerIsFinding,
      sentence: said.sentence,
    },
    confusion: confusionMatrix(labels, predictions, classes),
  };
}

/** Assesses a regressor on some rows. */
export function assessRegression(inputs: RegressionInputs): Assessment {
  const { targets, predictions, seed } = inputs;
  const interval = bootstrapMetric(targets, predictions, r2Score, {
    seed,
    resamples: BOOTSTRAP_RESAMPLES,
  });
  const rowBaselines: RowBaseline[] = regressionBaselinePredictions(
    inputs.baselines,
    inputs.keys,
  ).map(({ name, predictions: guesses }) => ({
    name,
    score: r2Score(targets, guesses),
    perRow: negatedSquaredErrors(targets, guesses),
  }));
  const model = negatedSquaredErrors(targets, predictions);
  const best = bestOf(rowBaselines);
  const versusBest = permutation(model, best, seed);
  const noInput = rowBaselines.find((b) => b.name === BASELINE_NAMES.mean) ?? best;
  const versusNoInput = permutation(model, noInput, seed);
  const said = verdict(inputs.phrasing, {
    versusNoInput: { baseline: versusNoInput.against, pValue: versusNoInput.pValue },
    versusBest: {
      baseline: versusBest.against,
      pValue: versusBest.pValue,
      tie: best.score === interval.estimate,
    },
    ...(inputs.procedure === undefined ? {} : { procedure: inputs.procedure }),
    rows: inputs.answerRows,
  });
  return {
    test: {
      metric: 'r2',
      score: interval.estimate,
      loss: inputs.loss,
      interval: { low: interval.lower, high: interval.upper, level: interval.confidence },
      rmse: rootMeanSquaredError(targets, predictions),
    },
    baseline: { name: best.name, score: best.score },
    baselines: rowBaselines.map(({ name, score }) => ({ name, score })),
    significance: {
      permutation: versusBest,
      versusInputBlind: versusNoInput,
      ...(inputs.procedure === undefined ? {} : { procedure: inputs.procedure }),
      evidence: said.evidence,
      answerIsFinding: said.answerIsFinding,
      sentence: said.sentence,
    },
  };
}
