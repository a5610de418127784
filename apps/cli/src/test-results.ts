/** A made-up question result for the rendering tests. Not part of the build. */
import type { QuestionResult } from './results.js';

/** A classification result with a hostile category name, to prove escaping. */
export function exampleResult(): QuestionResult {
  const history = Array.from({ length: 400 }, (_, i) => ({
    epoch: i + 1,
    trainLoss: 2.4 - i / 1000,
    validationLoss: 2.35 - Math.min(i, 199) / 2000 + Math.max(0, i - 199) / 4000,
    validationMetric: 0.1 + i / 10000,
  }));
  return {
    id: 'genre-by-country',
    title: 'Which genre do the listeners of each country like?',
    task: 'classification',
    inputName: 'country',
    targetName: 'top genre',
    split: { train: 3000, validation: 1000, test: 1000 },
    scoredOn: '1,000 test rows',
    network: { layers: [10, 16, 10], parameters: 346 },
    hyperparameters: {
      hidden: [16],
      learningRate: 0.05,
      epochs: 2000,
      patience: 200,
      optimizer: 'sgd',
      batchSize: 'full',
      seed: 42,
      dtype: 'f64',
    },
    repetition: { seeds: 3, splitSeeds: 1, permutations: 9 },
    seeds: {
      networks: 3,
      mean: 0.11,
      sd: 0.005,
      min: 0.105,
      max: 0.115,
      scores: [[0.11, 0.105, 0.115]],
    },
    training: {
      epochs: 400,
      bestEpoch: 200,
      stoppedEarly: true,
      seconds: 1.5,
      trainings: 12,
      totalSeconds: 9.5,
      history,
    },
    test: {
      metric: 'accuracy',
      score: 0.115,
      loss: 2.3,
      interval: { low: 0.096, high: 0.134, level: 0.95 },
    },
    baseline: { name: 'lookup table', score: 0.111 },
    baselines: [
      { name: 'majority class', score: 0.101 },
      { name: 'lookup table', score: 0.111 },
      { name: 'frequency guessing', score: 0.1 },
    ],
    significance: {
      permutation: { against: 'lookup table', pValue: 0.38, permutations: 9999, exact: false },
      versusInputBlind: { against: 'majority class', pValue: 0.15, permutations: 64, exact: true },
      chiSquare: {
        table: 'country × top genre',
        statistic: 72.4,
        degreesOfFreedom: 81,
        pValue: 0.74,
        cramersV: 0.04,
      },
      procedure: {
        score: 0.11,
        permutations: 9,
        atLeast: 3,
        pValue: 0.4,
        nullScores: [0.09, 0.1, 0.1, 0.104, 0.108, 0.11, 0.112, 0.12, 0.099],
      },
      evidence: false,
      answerIsFinding: false,
      sentence: 'No evidence that country predicts genre: p = 0.74 (chi-square).',
    },
    confusion: {
      labels: ['R&B', '<script>'],
      counts: [
        [3, 1],
        [2, 4],
      ],
    },
    answer: [{ country: 'Japan' }],
    answerTable: {
      columns: [{ header: 'country' }, { header: 'genre' }],
      cells: [['Japan', '<script>alert(1)</script>']],
    },
    answerNote: 'A note with "quotes" & ampersands.',
    answerCharts: [
      {
        kind: 'grid',
        title: 'Share of each top genre among the listeners of each country (all rows)',
        rowTitle: 'rows: country',
        columnTitle: 'top genre',
        rows: ['Japan', 'UK'],
        columns: ['R&B', '<script>'],
        values: [
          [0.25, 0.75],
          [null, 1],
        ],
        unit: 'share',
        counts: [
          [1, 3],
          [0, 2],
        ],
      },
    ],
  };
}
