import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  frequencyGuessAccuracy,
  lookupTableBaseline,
  lookupTableMeanBaseline,
  majorityClassBaseline,
  meanPredictorBaseline,
} from './baselines.js';
import { accuracy } from './classification.js';
import { meanSquaredError, r2Score } from './regression.js';
import { errorCode } from './test-util.js';

describe('majorityClassBaseline', () => {
  it('predicts the most frequent training class', () => {
    const b = majorityClassBaseline([0, 1, 1, 2, 1]);
    expect(b.name).toBe('majority class');
    expect(b.classIndex).toBe(1);
    expect(b.classCounts).toEqual([1, 3, 1]);
    expect(Array.from(b.predict(3))).toEqual([1, 1, 1]);
    expect(Array.from(b.predict([7, 8]))).toEqual([1, 1]);
    // Its accuracy on a test part is that class's share there.
    expect(accuracy([1, 0, 2, 1], b.predict(4))).toBe(0.5);
  });

  it('breaks ties towards the lowest class code and pads counts to `classes`', () => {
    expect(majorityClassBaseline([1, 1, 0, 0]).classIndex).toBe(0);
    expect(majorityClassBaseline([2, 2], 4).classCounts).toEqual([0, 0, 2, 0]);
  });

  it('rejects bad labels', () => {
    expect(errorCode(() => majorityClassBaseline([]))).toBe('EMPTY');
    expect(errorCode(() => majorityClassBaseline([0, 3], 3))).toBe('INVALID_LABEL');
    expect(errorCode(() => majorityClassBaseline([0]).predict(-1))).toBe('INVALID_ARGUMENT');
  });
});

describe('lookupTableBaseline', () => {
  // key 0: labels 1, 1, 0 -> 1; key 1: labels 2, 2, 1 -> 2; key 2: label 0 -> 0;
  // overall counts 0: 2, 1: 3, 2: 2 -> unseen keys get 1.
  const keys = [0, 0, 0, 1, 1, 1, 2];
  const labels = [1, 1, 0, 2, 2, 1, 0];

  it('predicts each key its most frequent training class, the global majority for new keys', () => {
    const b = lookupTableBaseline(keys, labels);
    expect(b.name).toBe('lookup table');
    expect(b.fallbackClass).toBe(1);
    expect([...b.table.entries()]).toEqual([
      [0, 1],
      [1, 2],
      [2, 0],
    ]);
    expect(Array.from(b.predict([2, 0, 1, 7]))).toEqual([0, 1, 2, 1]);
  });

  it('breaks a tie within a key towards the lowest class code', () => {
    const b = lookupTableBaseline([5, 5, 5, 5], [2, 0, 2, 0]);
    expect(b.table.get(5)).toBe(0);
  });

  it('is the best any function of the key can do on the training rows', () => {
    const data = fc
      .integer({ min: 1, max: 40 })
      .chain((n) =>
        fc.tuple(
          fc.array(fc.nat(4), { minLength: n, maxLength: n }),
          fc.array(fc.nat(2), { minLength: n, maxLength: n }),
          fc.array(fc.nat(2), { minLength: 5, maxLength: 5 }),
        ),
      );
    fc.assert(
      fc.property(data, ([trainKeys, trainLabels, someMapping]) => {
        const ceiling = accuracy(
          trainLabels,
          lookupTableBaseline(trainKeys, trainLabels).predict(trainKeys),
        );
        const other = accuracy(
          trainLabels,
          trainKeys.map((k) => someMapping[k]!),
        );
        expect(ceiling).toBeGreaterThanOrEqual(other);
      }),
    );
  });

  it('rejects bad input', () => {
    expect(errorCode(() => lookupTableBaseline([0, 1], [0]))).toBe('LENGTH_MISMATCH');
    expect(errorCode(() => lookupTableBaseline([NaN], [0]))).toBe('NOT_FINITE');
    expect(errorCode(() => lookupTableBaseline([0], [0]).predict([NaN]))).toBe('NOT_FINITE');
    expect(errorCode(() => lookupTableBaseline([], []))).toBe('EMPTY');
  });
});

describe('meanPredictorBaseline', () => {
  it('predicts the training mean; R² 0 on the training rows', () => {
    const train = [1, 2, 3, 6];
    const b = meanPredictorBaseline(train);
    expect(b.name).toBe('mean');
    expect(b.mean).toBe(3);
    expect(Array.from(b.predict(2))).toEqual([3, 3]);
    expect(r2Score(train, b.predict(train))).toBe(0);
    // On a test part whose mean differs, R² drops below 0: SS_res = 1 + 9, SS_tot = 1 + 1.
    expect(r2Score([4, 6], b.predict([0, 0]))).toBe(-4);
  });

  it('rejects bad input', () => {
    expect(errorCode(() => meanPredictorBaseline([]))).toBe('EMPTY');
    expect(errorCode(() => meanPredictorBaseline([1, Infinity]))).toBe('NOT_FINITE');
  });
});

describe('lookupTableMeanBaseline', () => {
  it('predicts each key its mean training target, the global mean for new keys', () => {
    const b = lookupTableMeanBaseline([0, 0, 1], [1, 3, 10]);
    expect(b.name).toBe('lookup table mean');
    expect(b.table.get(0)).toBe(2);
    expect(b.table.get(1)).toBe(10);
    expect(b.fallback).toBeCloseTo(14 / 3, 14);
    const predicted = Array.from(b.predict([1, 0, 9]));
    expect(predicted[0]).toBe(10);
    expect(predicted[1]).toBe(2);
    expect(predicted[2]).toBeCloseTo(14 / 3, 14);
  });

  it('fits the training rows at least as well as the mean predictor', () => {
    const data = fc
      .integer({ min: 1, max: 40 })
      .chain((n) =>
        fc.tuple(
          fc.array(fc.nat(4), { minLength: n, maxLength: n }),
          fc.array(fc.integer({ min: -100, max: 100 }), { minLength: n, maxLength: n }),
        ),
      );
    fc.assert(
      fc.property(data, ([keys, targets]) => {
        const table = lookupTableMeanBaseline(keys, targets).predict(keys);
        const mean = meanPredictorBaseline(targets).predict(keys);
        expect(meanSquaredError(targets, table)).toBeLessThanOrEqual(
          meanSquaredError(targets, mean) + 1e-9,
        );
      }),
    );
  });

  it('rejects bad input', () => {
    expect(errorCode(() => lookupTableMeanBaseline([0], [1, 2]))).toBe('LENGTH_MISMATCH');
    expect(errorCode(() => lookupTableMeanBaseline([], []))).toBe('EMPTY');
    expect(errorCode(() => lookupTableMeanBaseline([0], [NaN]))).toBe('NOT_FINITE');
  });
});

describe('frequencyGuessAccuracy', () => {
  it('is Σ p_train(c) p_test(c)', () => {
    // train 3/4, 1/4; test 1/2, 1/2 -> 3/8 + 1/8
    expect(frequencyGuessAccuracy([0, 0, 0, 1], [0, 1])).toBe(0.5);
    // A class missing from training contributes nothing.
    expect(frequencyGuessAccuracy([0, 0], [0, 1, 2, 2])).toBe(0.25);
    expect(frequencyGuessAccuracy([0, 1, 2, 3, 4], [4, 3, 2, 1, 0])).toBeCloseTo(0.2, 15);
  });

  it('lies in [0, max_c p_test(c)]', () => {
    const labels = fc.array(fc.nat(3), { minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(labels, labels, (train, test) => {
        const guess = frequencyGuessAccuracy(train, test);
        const counts = [0, 0, 0, 0];
        for (const y of test) counts[y]!++;
        expect(guess).toBeGreaterThanOrEqual(0);
        expect(guess).toBeLessThanOrEqual(Math.max(...counts) / test.length + 1e-12);
      }),
    );
  });

  it('rejects bad input', () => {
    expect(errorCode(() => frequencyGuessAccuracy([], [0]))).toBe('EMPTY');
    expect(errorCode(() => frequencyGuessAccuracy([0], []))).toBe('EMPTY');
    expect(errorCode(() => frequencyGuessAccuracy([0], [2], 2))).toBe('INVALID_LABEL');
  });
});
