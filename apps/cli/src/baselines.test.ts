import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  classBaselinePredictions,
  fitClassBaselines,
  fitRegressionBaselines,
  inputKey,
  labelsFromCounts,
  readStoredBaselines,
  regressionBaselinePredictions,
} from './baselines.js';

describe('classification baselines', () => {
  const stored = fitClassBaselines(['a', 'a', 'b', 'b', 'b'], Int32Array.from([0, 0, 1, 1, 0]), 2);

  it('keep the majority class, the class counts and the most frequent class per key', () => {
    expect(stored).toEqual({
      task: 'classification',
      classCounts: [3, 2],
      majorityClass: 0,
      lookup: { a: 0, b: 1 },
    });
  });

  it('predict the majority class for every row, and per key with the majority for unseen keys', () => {
    const [majority, lookup] = classBaselinePredictions(
      stored as Extract<typeof stored, { task: 'classification' }>,
      ['a', 'b', 'never seen'],
    );
    expect(majority).toEqual({ name: 'majority class', predictions: Int32Array.from([0, 0, 0]) });
    expect(lookup).toEqual({ name: 'lookup table', predictions: Int32Array.from([0, 1, 0]) });
  });

  it('survive a JSON round trip, and bad JSON is refused', () => {
    expect(readStoredBaselines(JSON.parse(JSON.stringify(stored)), 2)).toEqual(stored);
    expect(readStoredBaselines({ ...stored, majorityClass: 2 }, 2)).toBeUndefined();
    expect(readStoredBaselines({ ...stored, classCounts: [3] }, 2)).toBeUndefined();
    expect(readStoredBaselines({ ...stored, lookup: { a: 0.5 } }, 2)).toBeUndefined();
    expect(readStoredBaselines('nope', 2)).toBeUndefined();
  });
});

describe('regression baselines', () => {
  const stored = fitRegressionBaselines(['x', 'x', 'y'], Float64Array.from([1, 3, 10]));

  it('keep the training mean and the mean per key', () => {
    expect(stored).toEqual({ task: 'regression', mean: 14 / 3, lookup: { x: 2, y: 10 } });
  });

  it('predict the mean, and the mean per key with the training mean for unseen keys', () => {
    const [mean, lookup] = regressionBaselinePredictions(
      stored as Extract<typeof stored, { task: 'regression' }>,
      ['y', 'z'],
    );
    expect(mean!.predictions).toEqual(Float64Array.from([14 / 3, 14 / 3]));
    expect(lookup!.predictions).toEqual(Float64Array.from([10, 14 / 3]));
    expect(readStoredBaselines({ ...stored, mean: null }, 1)).toBeUndefined();
  });
});

describe('labelsFromCounts', () => {
  it('gives each class as many labels as its count', () => {
    expect(labelsFromCounts([2, 0, 1])).toEqual(Int32Array.from([0, 0, 2]));
  });
});

describe('inputKey', () => {
  it('is the value itself for one input', () => {
    expect(inputKey(['Japan'])).toBe('Japan');
    expect(inputKey([34])).toBe('34');
  });

  it('tells different inputs apart, whatever the values hold', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string(), { minLength: 2, maxLength: 2 }),
        fc.array(fc.string(), { minLength: 2, maxLength: 2 }),
        (a, b) => {
          expect(inputKey(a) === inputKey(b)).toBe(a[0] === b[0] && a[1] === b[1]);
        },
      ),
    );
  });
});
