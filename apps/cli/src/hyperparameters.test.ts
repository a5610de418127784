import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
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
      dtype: 'f64',
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
      dtype: 'f64',
    });
  });

  it('takes --dtype f32 for the one-hidden-layer networks', () => {
    expect(resolveHyperparameters('genre-by-country', { dtype: 'f32' })).toMatchObject({
      hidden: [16],
      dtype: 'f32',
    });
    expect(
      resolveHyperparameters('listening-time-by-age', { dtype: 'f32', hidden: [6] }),
    ).toMatchObject({ hidden: [6], dtype: 'f32' });
  });

  it('refuses --dtype f32 with two hidden layers as a usage error naming both flags', () => {
    let refused: unknown;
    try {
      resolveHyperparameters('genre-by-country', { dtype: 'f32', hidden: [16, 8] });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(UsageError);
    expect((refused as UsageError).message).toBe(
      '--dtype f32 trains networks with one hidden layer, but --hidden 16,8 gives 2; give one size (e.g. --hidden 16) or use --dtype f64',
    );
    expect(resolveHyperparameters('genre-by-country', { hidden: [16, 8] }).dtype).toBe('f64');
  });
});
