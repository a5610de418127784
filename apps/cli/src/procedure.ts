/**
 * The learning procedure run many times, because one training is one draw: the main split trained
 * from several initial weights (the ensemble whose mean probabilities answer the question),
 * optionally more splits, and the permutation test of the procedure — the same training on
 * training targets shuffled among the training rows, each scored on the untouched test rows, which
 * asks whether the procedure finds anything at all (scikit-learn's `permutation_test_score`).
 *
 * Seeds, all derived from `--seed` (s):
 * - network k of a split (k = 0 … seeds − 1) starts from weights seeded s + k, so network 0 of
 *   the main split is the one a single training with `--seed s` makes;
 * - split j (j = 0 … splitSeeds − 1) is seeded s + j, so split 0 is the main split;
 * - the shuffles of the permutation test come from one stream seeded s ^ PERMUTATION_STREAM, and
 *   every permuted training starts from network 0's weights: the procedure is the same function of
 *   the data in every run, the targets alone change, which is what makes the p-value exact.
 */
import { Matrix, Rng } from '@scratchnet/linalg';
import type { Dataset } from '@scratchnet/nn';
import type { ListenerTable, PreparedQuestion } from '@scratchnet/preprocess';
import { accuracy, r2Score } from '@scratchnet/metrics';
import type { FittedNetwork, RepeatedRuns } from './question-run.js';
import { fitNetwork, prepareForTraining } from './question-run.js';
import type { Hyperparameters, Repetition } from './results.js';
import type { Progress } from './terminal.js';

/** Mixed into `--seed` for the permutation test's shuffles, so they are not the split's stream. */
export const PERMUTATION_STREAM = 0x9e3779b9;

/** The default repetition: 20 initial weights on one split, 199 shuffled-target trainings. */
export const DEFAULT_REPETITION: Repetition = { seeds: 20, splitSeeds: 1, permutations: 199 };

/** The most seeds (or splits) `--seeds` and `--split-seeds` take. */
export const MAX_SEEDS = 1000;
/** The most shuffled trainings `--permutations` takes. */
export const MAX_PERMUTATIONS = 100_000;

/** How many trainings a repetition makes (what a progress bar counts, when more than one). */
export function trainingsOf(repetition: Repetition): number {
  return repetition.seeds * repetition.splitSeeds + repetition.permutations;
}

/** What a progress bar of a repeated training counts: its trainings, or one training's epochs. */
export function progressTotal(
  repetition: Repetition,
  hyperparameters: Hyperparameters,
): { epochs: number; unit?: string } {
  const trainings = trainingsOf(repetition);
  return trainings === 1
    ? { epochs: hyperparameters.epochs }
    : { epochs: trainings, unit: 'trainings' };
}

/**
 * The test metric of one network on its split's test rows: accuracy, or R² of the target in its
 * own unit, computed as the trust block computes the ensemble's.
 */
export function testScore(prepared: PreparedQuestion, network: FittedNetwork['network']): number {
  const { pipeline, test } = prepared;
  const outputs = network.predict(test.x);
  if (prepared.question.kind === 'classification') {
    return accuracy(test.labels!, pipeline.predictedLabels(outputs));
  }
  return r2Score(pipeline.decodeValues(test.y), pipeline.decodeValues(outputs));
}

/** `dataset` with its target rows reordered: row i gets the target of row `order[i]`. */
export function withTargetsFrom(dataset: Dataset, order: Int32Array): Dataset {
  const { y } = dataset;
  const shuffled = Matrix.zeros(y.rows, y.cols);
  for (let i = 0; i < y.rows; i++) {
    shuffled.data.set(y.data.subarray(order[i]! * y.cols, (order[i]! + 1) * y.cols), i * y.cols);
  }
  return { x: dataset.x, y: shuffled };
}

/**
 * Runs the procedure as `repetition` asks on `prepared` (the main split, seeded
 * `hyperparameters.seed`). `progress` counts trainings (epochs when there is one). `first`, when
 * given, is the network of `hyperparameters.seed` on this split already trained (by
 * `fitQuestion`, as the page does to show it live), and is not trained again. Deterministic: the
 * same table, hyper-parameters and repetition give the same bits, in a worker thread or not.
 */
export async function repeatProcedure(
  table: ListenerTable,
  prepared: PreparedQuestion,
  hyperparameters: Hyperparameters,
  repetition: Repetition,
  progress: Progress,
  first?: FittedNetwork,
): Promise<RepeatedRuns> {
  const seed = hyperparameters.seed;
  const started = performance.now();
  // One training shows its epochs; many show the trainings done, the loss moving as they train.
  const single = trainingsOf(repetition) === 1;
  let done = 0;
  const watch: Progress = single
    ? progress
    : { update: (_epoch, loss) => progress.update(done, loss), stop() {} };
  const train = async (part: PreparedQuestion, networkSeed: number, data: Dataset = part.train) => {
    const fitted = await fitNetwork(
      part,
      data,
      part.validation,
      { ...hyperparameters, seed: networkSeed },
      watch,
    );
    done += 1;
    if (!single) {
      progress.update(
        done,
        fitted.history.epochs[fitted.history.bestEpoch - 1]?.validationLoss ?? NaN,
      );
    }
    return fitted;
  };
  const members: FittedNetwork[] = [];
  const scores: number[][] = [];
  for (let j = 0; j < repetition.splitSeeds; j++) {
    const part = j === 0 ? prepared : prepareForTraining(prepared.question, table, seed + j);
    const splitScores: number[] = [];
    for (let k = 0; k < repetition.seeds; k++) {
      const given = j === 0 && k === 0 ? first : undefined;
      if (given !== undefined) done += 1;
      const fitted = given ?? (await train(part, seed + k));
      if (j === 0) members.push(fitted);
      splitScores.push(testScore(part, fitted.network));
    }
    scores.push(splitScores);
  }
  const rng = new Rng((seed ^ PERMUTATION_STREAM) >>> 0);
  const permutationScores: number[] = [];
  for (let k = 0; k < repetition.permutations; k++) {
    const shuffled = withTargetsFrom(prepared.train, rng.permutation(prepared.train.y.rows));
    const fitted = await train(prepared, seed, shuffled);
    permutationScores.push(testScore(prepared, fitted.network));
  }
  return { members, scores, permutationScores, seconds: (performance.now() - started) / 1000 };
}
