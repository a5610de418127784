import { describe, expect, it } from 'vitest';
import { resolveHyperparameters } from './hyperparameters.js';

describe('resolveHyperparameters', () => {
  it('gives each question its original network and training', () => {
    expect(resolveHyperparameters('genre-by-country', {})).toEqual({
      hidden: [16],
      learningRate: 0.05,
      epochs: 2000,
      patience: 200,
      optimizer: 'sgd',
      batchSize: 'full',
      seed: 42,
    });
    expect(resolveHyperparameters('minutes-by-country-platform', {})).toMatchObject({
      hidden: [12],
      learningRate: 0.05,
      patience: 300,
    });
    expect(resolveHyperparameters('listening-time-by-age', {})).toMatchObject({
      hidden: [10],
      learningRate: 0.1,
      patience: 200,
    });
  });

  it('replaces exactly the values given by flags', () => {
    expect(
      resolveHyperparameters('listening-time-by-age', {
        hidden: [4, 4],
        lr: 0.01,
        batchSize: 32,
        seed: 7,
      }),
    ).toEqual({
      hidden: [4, 4],
      learningRate: 0.01,
      epochs: 2000,
      patience: 200,
      optimizer: 'sgd',
      batchSize: 32,
      seed: 7,
    });
  });
});
