import { Matrix } from '@scratchnet/linalg';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitMatrix, splitSizes, takeRows, trainValTestSplit } from './split.js';
import type { Split } from './split.js';

const fractions = fc
  .tuple(
    fc.integer({ min: 0, max: 10 }),
    fc.integer({ min: 0, max: 10 }),
    fc.integer({ min: 0, max: 10 }),
  )
  .filter(([a, b, c]) => a + b + c > 0)
  .map(([a, b, c]): [number, number, number] => [
    a / (a + b + c),
    b / (a + b + c),
    1 - (a + b) / (a + b + c),
  ]);

function all(split: Split): number[] {
  return [...split.train, ...split.validation, ...split.test];
}

describe('splitSizes', () => {
  it('gives 3000 / 1000 / 1000 for 5000 rows, and adds up for any n', () => {
    expect(splitSizes(5000)).toEqual([3000, 1000, 1000]);
    expect(splitSizes(10, [1 / 3, 1 / 3, 1 / 3])).toEqual([4, 3, 3]);
    fc.assert(
      fc.property(fc.nat(10_000), fractions, (n, f) => {
        const sizes = splitSizes(n, f);
        expect(sizes[0] + sizes[1] + sizes[2]).toBe(n);
        sizes.forEach((size, k) => expect(Math.abs(size - n * f[k]!)).toBeLessThan(1 + 1e-9));
      }),
    );
  });

  it('refuses fractions that do not add up to 1', () => {
    expect(() => splitSizes(10, [0.5, 0.5, 0.5])).toThrow(/adding up to 1/);
    expect(() => splitSizes(10, [1.2, -0.1, -0.1])).toThrow(RangeError);
    expect(() => splitSizes(-1)).toThrow(RangeError);
  });
});

describe('trainValTestSplit', () => {
  it('splits disjointly, covering every row once, with the planned sizes', () => {
    fc.assert(
      fc.property(fc.nat(500), fractions, fc.integer(), (n, f, seed) => {
        const split = trainValTestSplit(n, { seed, fractions: f });
        expect(all(split).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
        expect([split.train.length, split.validation.length, split.test.length]).toEqual(
          splitSizes(n, f),
        );
      }),
    );
  });

  it('gives the same split for the same seed and another for another seed', () => {
    const a = trainValTestSplit(1000, { seed: 7 });
    expect(trainValTestSplit(1000, { seed: 7 })).toEqual(a);
    expect(trainValTestSplit(1000, { seed: 8 }).train).not.toEqual(a.train);
    expect(trainValTestSplit(1000)).toEqual(trainValTestSplit(1000, { seed: 42 }));
  });

  it('shuffles: the training part is not just the first rows', () => {
    const { train } = trainValTestSplit(100, { seed: 1 });
    expect(Array.from(train)).not.toEqual(Array.from({ length: 60 }, (_, i) => i));
  });

  it('keeps every class share in every part when stratified', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 400 }),
        fractions,
        fc.integer(),
        (labels, f, seed) => {
          const split = trainValTestSplit(labels.length, { seed, fractions: f, stratify: labels });
          expect(all(split).sort((a, b) => a - b)).toEqual(labels.map((_, i) => i));
          expect([split.train.length, split.validation.length, split.test.length]).toEqual(
            splitSizes(labels.length, f),
          );
          for (const cls of new Set(labels)) {
            const total = labels.filter((l) => l === cls).length;
            [split.train, split.validation, split.test].forEach((part, k) => {
              const inPart = Array.from(part).filter((i) => labels[i] === cls).length;
              // Within a couple of rows of the exact proportional share.
              expect(Math.abs(inPart - total * f[k]!)).toBeLessThanOrEqual(2);
            });
          }
        },
      ),
    );
  });

  it('stratified on 5000 rows with unequal classes, each part keeps the proportions to a row', () => {
    const labels = Array.from({ length: 5000 }, (_, i) => (i % 10 < 5 ? 0 : i % 10 < 8 ? 1 : 2));
    const split = trainValTestSplit(5000, { seed: 3, stratify: labels });
    const count = (part: Int32Array, c: number) =>
      Array.from(part).filter((i) => labels[i] === c).length;
    expect([0, 1, 2].map((c) => count(split.train, c))).toEqual([1500, 900, 600]);
    expect([0, 1, 2].map((c) => count(split.validation, c))).toEqual([500, 300, 200]);
    expect([0, 1, 2].map((c) => count(split.test, c))).toEqual([500, 300, 200]);
    expect(trainValTestSplit(5000, { seed: 3, stratify: labels })).toEqual(split);
  });

  it('refuses labels of the wrong length', () => {
    expect(() => trainValTestSplit(3, { stratify: [0, 1] })).toThrow(/2 labels for 3 rows/);
  });
});

describe('takeRows and splitMatrix', () => {
  it('take the split rows of a matrix, in split order', () => {
    const m = Matrix.fromArrays([[0], [10], [20], [30], [40]]);
    expect(takeRows(m, [3, 0]).toArrays()).toEqual([[30], [0]]);
    const split = trainValTestSplit(5, { seed: 1 });
    const parts = splitMatrix(m, split);
    expect(Array.from(parts.validation.data)).toEqual(Array.from(split.validation, (i) => i * 10));
    expect(() => takeRows(m, [5])).toThrow(RangeError);
  });
});
