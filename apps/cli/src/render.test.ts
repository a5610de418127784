import { describe, expect, it } from 'vitest';
import {
  baselineNote,
  datasetLine,
  intervalText,
  lossLine,
  permutationLine,
  questionJson,
  questionText,
  trainingLine,
  trustTable,
} from './render.js';
import { styles } from './terminal.js';
import type { QuestionResult } from './results.js';
import { exampleResult } from './test-results.js';

describe('datasetLine', () => {
  it('says the sample is synthetic, with its seed and planted effects', () => {
    expect(
      datasetLine({
        source: 'sample',
        rows: 5000,
        seed: 2024,
        effects: { genre: 0, minutes: 0, time: 0.3 },
      }),
    ).toBe(
      'Using the built-in synthetic sample: 5,000 generated listeners (seed 2024, planted effects time=0.3; none elsewhere), not real data. Pass --data FILE to answer on a real file.',
    );
    expect(datasetLine({ source: 'file', path: 'x.csv', rows: 12 })).toBe('Data: x.csv (12 rows).');
  });
});

describe('intervalText', () => {
  it('brackets the ends so a minus sign reads clearly', () => {
    expect(intervalText(-0.0114, 0.017)).toBe('[-0.011, 0.017]');
  });
});

describe('permutationLine', () => {
  it('names both tests when the best baseline is not the input-blind one, and how each was computed', () => {
    const { significance } = exampleResult();
    expect(permutationLine(significance)).toBe(
      'Permutation tests (one-sided, paired): network vs lookup table p = 0.38 (9,999 random sign flips); network vs majority class p = 0.15 (exact).',
    );
  });
});

describe('trainingLine', () => {
  it('says whether training stopped early, and leaves out an unknown duration', () => {
    const result = exampleResult();
    expect(trainingLine(result)).toBe(
      'Training: stopped early after 400 of 2,000 epochs (patience 200); best epoch 200; 1.5 s. Gradient descent, learning rate 0.05, full batch, seed 42.',
    );
    const { seconds: _seconds, ...unknown } = result.training;
    const resumed: QuestionResult = {
      ...result,
      training: { ...unknown, stoppedEarly: false, epochs: 2000 },
    };
    expect(trainingLine(resumed)).toBe(
      'Training: ran all 2,000 epochs; best epoch 200. Gradient descent, learning rate 0.05, full batch, seed 42.',
    );
  });
  it('says float32 only when the network was trained in float32', () => {
    const result = exampleResult();
    const float32: QuestionResult = {
      ...result,
      hyperparameters: { ...result.hyperparameters, dtype: 'f32' },
    };
    expect(trainingLine(float32)).toBe(
      'Training: stopped early after 400 of 2,000 epochs (patience 200); best epoch 200; 1.5 s. Gradient descent, learning rate 0.05, full batch, seed 42, trained in float32.',
    );
    expect(trainingLine(result)).not.toContain('float');
  });
});

describe('questionJson', () => {
  it('names the score by its metric and leaves the per-epoch history to the report', () => {
    const json = questionJson(exampleResult());
    expect(json.test).toEqual({
      accuracy: 0.115,
      loss: 2.3,
      interval: { low: 0.096, high: 0.134, level: 0.95 },
    });
    expect(json.training).toEqual({
      epochs: 400,
      bestEpoch: 200,
      stoppedEarly: true,
      seconds: 1.5,
      trainings: 12,
      totalSeconds: 9.5,
    });
    expect(json.repetition).toEqual({ seeds: 3, splitSeeds: 1, permutations: 9 });
    expect(json.seeds).toMatchObject({ networks: 3, mean: 0.11 });
    expect(Object.keys(json)).not.toContain('answerTable');
  });
});

describe('questionText', () => {
  const plain = styles(false);

  it('says the plain sentence first, then the answer table', () => {
    const lines = questionText(exampleResult(), 0, plain).split('\n');
    expect(lines[0]).toBe(
      '1. Which genre do the listeners of each country like?  (genre-by-country)',
    );
    expect(lines[1]).toBe('No evidence that country predicts genre: p = 0.74 (chi-square).');
    expect(lines[3]).toBe('What the network says (not a finding: see how much to trust it)');
    expect(lines[4]).toMatch(/^country\s+genre$/);
  });

  it('numbers a question by its place among the three, whichever ones were asked for', () => {
    const time: QuestionResult = { ...exampleResult(), id: 'listening-time-by-age' };
    expect(questionText(time, 0, plain)).toMatch(/^3\. /);
    const other: QuestionResult = { ...exampleResult(), id: 'not-one-of-the-three' };
    expect(questionText(other, 1, plain)).toMatch(/^2\. /);
  });
});

describe('the trust block', () => {
  it('calls the tested baseline the best row-by-row one, and says why frequency guessing is apart', () => {
    const result = exampleResult();
    // Frequency guessing scores best here, as on the real file, yet predicts no row to test.
    result.baselines = [
      { name: 'majority class', score: 0.08 },
      { name: 'lookup table', score: 0.09 },
      { name: 'frequency guessing', score: 0.1 },
    ];
    expect(trustTable(result).cells.map((row) => row[0])).toEqual([
      'network: ensemble of 3 seeds',
      'one network: mean over 3 seeds',
      'majority class',
      'lookup table (best row-by-row baseline)',
      'frequency guessing',
    ]);
    expect(baselineNote(result)).toBe(
      'Frequency guessing is the accuracy expected from guessing each class as often as it appears in the training rows; it makes no guess for any one row, so the permutation tests compare the network with the best baseline that does (lookup table).',
    );
    const regression: QuestionResult = {
      ...result,
      baselines: [{ name: 'mean predictor', score: 0 }],
    };
    expect(baselineNote(regression)).toBeUndefined();
  });

  it('explains the loss in words, with the value of guessing to read it against', () => {
    expect(lossLine(exampleResult())).toBe(
      'Test loss 2.3000: the cross-entropy training lowers, the mean of −ln(probability the network gave the true class) over the 1,000 test rows; lower is better; guessing all 2 classes as equally likely gives ln 2 = 0.6931.',
    );
    const regression: QuestionResult = {
      ...exampleResult(),
      task: 'regression',
      test: { ...exampleResult().test, metric: 'r2', loss: 0.4985, rmse: 168.62 },
    };
    expect(lossLine(regression)).toBe(
      "Test loss 0.4985: half the mean squared error on the standardised target (minutes in standard deviations of the training rows), which training lowers; lower is better, and predicting the training mean gives about 0.5. RMSE 168.6 minutes per day: the typical size of one prediction's error.",
    );
  });
});
