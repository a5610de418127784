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

  const limits = { classes: 2, maxRows: 100, trainRows: 5, range: [0, 1] as const };

  it('survive a JSON round trip, and bad JSON is refused, naming the field', () => {
    expect(readStoredBaselines(JSON.parse(JSON.stringify(stored)), limits)).toEqual(stored);
    const bad: [Record<string, unknown> | string, string][] = [
      [{ majorityClass: 2 }, '.majorityClass is 2, expected the index of a largest class count'],
      [{ majorityClass: 1 }, '.majorityClass is 1, expected the index of a largest class count'],
      [{ classCounts: [3] }, '.classCounts must be an array of 2 counts, one per class'],
      [{ lookup: { a: 0.5 } }, '.lookup["a"] is 0.5, expected a class from 0 to 1'],
      [{ lookup: [] }, '.lookup must be an object of input keys'],
      [{ task: 'other' }, '.task is "other", expected "classification" or "regression"'],
      ['nope', ' must be an object'],
    ];
    for (const [change, problem] of bad) {
      const value = typeof change === 'string' ? change : { ...stored, ...change };
      expect(readStoredBaselines(value, limits)).toBe(problem);
    }
  });

  it('bound every count before it sizes anything: 1e308 and 4e9 rows are refused', () => {
    // labelsFromCounts makes one label per counted row: 4e9 rows took 15 GB and minutes.
    const counts: [unknown[], Partial<typeof limits>, string][] = [
      [[1e308, 2], {}, '.classCounts[0] is 1e+308, expected a whole number of rows from 0 to 100'],
      [
        [4e9, 2],
        {},
        '.classCounts[0] is 4000000000, expected a whole number of rows from 0 to 100',
      ],
      [[-1, 2], {}, '.classCounts[0] is -1, expected a whole number of rows from 0 to 100'],
      [[1.5, 2], {}, '.classCounts[0] is 1.5, expected a whole number of rows from 0 to 100'],
      [[null, 2], {}, '.classCounts[0] is null, expected a whole number of rows from 0 to 100'],
      [[3, 3], {}, '.classCounts add up to 6 rows, expected 5 (training.split.train)'],
      [[0, 0], { trainRows: undefined }, '.classCounts add up to 0 rows, expected 1 to 100'],
      [[60, 60], { trainRows: undefined }, '.classCounts add up to 120 rows, expected 1 to 100'],
    ];
    for (const [classCounts, change, problem] of counts) {
      const { trainRows, ...rest } = { ...limits, ...change };
      const bounds = trainRows === undefined ? rest : { ...rest, trainRows };
      expect(readStoredBaselines({ ...stored, classCounts }, bounds)).toBe(problem);
    }
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
    const limits = { classes: 1, maxRows: 100, range: [1, 20] as const };
    expect(readStoredBaselines(JSON.parse(JSON.stringify(stored)), limits)).toEqual(stored);
    expect(readStoredBaselines({ ...stored, mean: null }, limits)).toBe(
      '.mean is null, expected a number from 1 to 20',
    );
    expect(readStoredBaselines({ ...stored, mean: 1e308 }, limits)).toBe(
      '.mean is 1e+308, expected a number from 1 to 20',
    );
    expect(readStoredBaselines({ ...stored, lookup: { a: -1e308 } }, limits)).toBe(
      '.lookup["a"] is -1e+308, expected a number from 1 to 20',
    );
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
