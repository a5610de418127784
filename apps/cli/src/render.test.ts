import { describe, expect, it } from 'vitest';
import {
  datasetLine,
  intervalText,
  permutationLine,
  questionJson,
  trainingLine,
} from './render.js';
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
    });
    expect(Object.keys(json)).not.toContain('answerTable');
  });
});
