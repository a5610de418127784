/**
 * What one run of a question produces, in plain data. The three renderings — the text a person
 * reads, the `--json` document and the HTML report — are all made from these records, so they
 * cannot disagree.
 */
import type { Column } from './table.js';

/** Where the rows came from. */
export interface DatasetInfo {
  /** `sample` for the built-in synthetic listeners, `file` for `--data FILE`. */
  source: 'sample' | 'file';
  /** The file as given on the command line (for `file`). */
  path?: string;
  /** Data rows read or generated. */
  rows: number;
  /** The generator's seed (for `sample`). */
  seed?: number;
  /** The generator's planted effects (for `sample`): 0 means none. */
  effects?: Record<string, number>;
}

/** The hyper-parameters one network was trained with. */
export interface Hyperparameters {
  hidden: number[];
  learningRate: number;
  epochs: number;
  patience: number;
  optimizer: string;
  /** `full` for full-batch gradient descent (the original). */
  batchSize: number | 'full';
  seed: number;
  /**
   * The arithmetic of training: `f64` (float64, the original) or `f32` (float32 on WebAssembly
   * SIMD). A model file saved before this field existed reads as `f64`.
   */
  dtype: 'f64' | 'f32';
}

/** How often a question's learning procedure was repeated (`--seeds`, `--split-seeds`, `--permutations`). */
export interface Repetition {
  /** Initial weights trained on each split; the main split's networks make the ensemble. */
  seeds: number;
  /** Splits trained (1: the main split only). */
  splitSeeds: number;
  /** Trainings on shuffled training targets for the permutation test of the procedure (0: none). */
  permutations: number;
}

/** The test metric of single networks over their seeds (and splits), beside the ensemble's. */
export interface SeedSpread {
  /** Networks scored: seeds × splits. */
  networks: number;
  mean: number;
  /** Sample standard deviation (0 for one network). */
  sd: number;
  min: number;
  max: number;
  /** Every network's test score: `scores[split][seed]`, the main split first. */
  scores: number[][];
}

/**
 * The permutation test of the whole procedure: the network trained with `--seed` on the real
 * targets against the same training on training targets shuffled among the training rows, all
 * scored on the same untouched test rows.
 */
export interface ProcedureTest {
  /** The real training's test score (accuracy or R²). */
  score: number;
  permutations: number;
  /** Shuffled trainings that scored at least {@link score}. */
  atLeast: number;
  /** (1 + atLeast) / (permutations + 1). */
  pValue: number;
  /** Each shuffled training's test score: the null distribution. */
  nullScores: number[];
}

/** One epoch of training, as the history records it. */
export interface EpochPoint {
  epoch: number;
  trainLoss: number;
  validationLoss: number;
  validationMetric: number;
}

/** What training did. */
export interface TrainingFacts {
  /** Epochs run (fewer than asked when early stopping fired). */
  epochs: number;
  /** The epoch whose weights were kept (lowest validation loss), counted from 1. */
  bestEpoch: number;
  stoppedEarly: boolean;
  /** Wall-clock seconds spent in training (unknown for a model file saved without it). */
  seconds?: number;
  /**
   * The train and validation rows training saw: the distinct input rows, each weighted by its
   * count, when grouping them paid (same losses as all rows, to rounding); else the split's.
   */
  rowsSeen?: { train: number; validation: number };
  /** With repetition: every training made (seeds × splits + permutations) and their seconds. */
  trainings?: number;
  totalSeconds?: number;
  /** Per-epoch losses and metric (for the report's charts). */
  history: EpochPoint[];
}

/** A score with its 95% bootstrap interval. */
export interface Interval {
  low: number;
  high: number;
  /** Confidence level, 0.95. */
  level: number;
}

/** The network's score on the test rows. */
export interface TestScore {
  /** `accuracy` for classification, `r2` for regression. */
  metric: 'accuracy' | 'r2';
  /** The value of {@link metric}. */
  score: number;
  /** The training loss function on the test rows (cross-entropy, or Σ(y − ŷ)²/(2m) on the scaled target). */
  loss: number;
  /** 95% bootstrap interval of the score over the test rows. */
  interval: Interval;
  /** Regression only: root mean squared error in the target's own unit (minutes per day). */
  rmse?: number;
}

/** A simple predictor the network must beat, scored on the test rows. */
export interface BaselineScore {
  /** e.g. `majority class`, `lookup table`, `frequency guessing`, `mean predictor`. */
  name: string;
  score: number;
}

/** The chi-square test of independence between the input and the target on all rows. */
export interface ChiSquareResult {
  /** What the table crosses, e.g. `country × top genre`. */
  table: string;
  statistic: number;
  degreesOfFreedom: number;
  pValue: number;
  cramersV: number;
}

/** A one-sided paired permutation test of the network against one baseline. */
export interface PermutationResult {
  /** The baseline's name. */
  against: string;
  pValue: number;
  /** Sign patterns the p-value is based on. */
  permutations: number;
  /** Whether every sign pattern was enumerated (an exact p-value) rather than sampled. */
  exact: boolean;
}

/** How far to trust the answer. */
export interface Significance {
  /** Permutation test: is the network's test score better than the best simple baseline's? */
  permutation: PermutationResult;
  /**
   * Permutation test against the baseline that ignores the input (majority class or mean
   * predictor): did the network learn anything from the input at all?
   */
  versusInputBlind: PermutationResult;
  /** Classification questions only. */
  chiSquare?: ChiSquareResult;
  /** The permutation test of the procedure, when it was run (`--permutations`). */
  procedure?: ProcedureTest;
  /** Whether the numbers show evidence of a relation, at the 5% level. */
  evidence: boolean;
  /**
   * Whether the answer's rows are findings: evidence of a relation that the trained network also
   * finds. When false, the rows are only what the network says.
   */
  answerIsFinding: boolean;
  /** One plain sentence derived from the numbers above. */
  sentence: string;
}

/** A table for people: its columns and already-formatted cells. */
export interface AnswerTable {
  columns: Column[];
  cells: string[][];
}

/** Values on a grid of two categories, drawn as a heat map (e.g. mean minutes, country × platform). */
export interface GridChart {
  kind: 'grid';
  title: string;
  /** The rows' and the columns' category, in words. */
  rowTitle: string;
  columnTitle: string;
  rows: string[];
  columns: string[];
  /** `values[r][c]`, or `null` where no listener has that pair. */
  values: (number | null)[][];
  /** How a value is written: minutes per day, or a share as a percentage. */
  unit: 'minutes' | 'share';
  /** Listeners behind each value. */
  counts: number[][];
}

/** Shares of each class within each group, with 95% intervals, beside the network's probabilities. */
export interface SharesChart {
  kind: 'shares';
  title: string;
  groupTitle: string;
  groups: string[];
  classes: string[];
  /** `marks[g][k]`: class k's share in group g, its Wilson interval, and the network's probability. */
  marks: { share: number; low: number; high: number; predicted: number }[][];
}

/** A chart of an answer (the report draws them beside the answer table). */
export type AnswerChart = GridChart | SharesChart;

/** One question answered. */
export interface QuestionResult {
  id: string;
  /** The question in words, e.g. "Which genre does each country like?" */
  title: string;
  task: 'classification' | 'regression';
  /** The input in words (`country`) and the target (`top genre`). */
  inputName: string;
  targetName: string;
  split: { train: number; validation: number; test: number };
  /** The rows the scores were measured on, in words: `1,000 test rows`. */
  scoredOn: string;
  network: { layers: number[]; parameters: number };
  hyperparameters: Hyperparameters;
  /** How often training was repeated; absent for one network (`train`, a model file). */
  repetition?: Repetition;
  /** Training facts of the network trained with `--seed` on the main split. */
  training: TrainingFacts;
  /** The score of the model that answers: the ensemble's mean outputs, or the one network's. */
  test: TestScore;
  /** Single networks' test scores over seeds and splits (with {@link repetition}). */
  seeds?: SeedSpread;
  /** The best of {@link baselines}. */
  baseline: BaselineScore;
  baselines: BaselineScore[];
  significance: Significance;
  /**
   * Classification: the confusion matrix on the test rows (rows true, columns predicted), its
   * classes in the order the answer table shows them.
   */
  confusion?: { labels: string[]; counts: number[][] };
  /** The answer's rows as data (the `--json` form). */
  answer: Record<string, unknown>[];
  /** The same answer formatted for reading. */
  answerTable: AnswerTable;
  /** A line under the answer table saying how it was made. */
  answerNote: string;
  /** The answer drawn (the report's charts of the answer). */
  answerCharts: AnswerChart[];
}

/** A whole `questions` run. */
export interface QuestionsRun {
  dataset: DatasetInfo;
  questions: QuestionResult[];
  /** The scratchnet version that made it. */
  version: string;
}
