import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chiSquareTest, contingencyTable } from './chiSquare.js';
import { errorCode } from './test-util.js';

describe('contingencyTable', () => {
  it('counts pairs of codes', () => {
    expect(contingencyTable([0, 0, 1, 2, 2, 2], [1, 1, 0, 0, 1, 1])).toEqual([
      [0, 2],
      [1, 0],
      [1, 2],
    ]);
    expect(contingencyTable([0], [0], 2, 3)).toEqual([
      [1, 0, 0],
      [0, 0, 0],
    ]);
  });

  it('sums to n with rows summing to the counts of a', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(5), fc.nat(3)), { minLength: 1, maxLength: 50 }),
        (pairs) => {
          const a = pairs.map((p) => p[0]);
          const b = pairs.map((p) => p[1]);
          const t = contingencyTable(a, b);
          expect(t.flat().reduce((s, v) => s + v, 0)).toBe(pairs.length);
          t.forEach((row, i) => {
            expect(row.reduce((s, v) => s + v, 0)).toBe(a.filter((v) => v === i).length);
          });
        },
      ),
    );
  });

  it('rejects bad input', () => {
    expect(errorCode(() => contingencyTable([0, 1], [0]))).toBe('LENGTH_MISMATCH');
    expect(errorCode(() => contingencyTable([], []))).toBe('EMPTY');
    expect(errorCode(() => contingencyTable([0, 2], [0, 1], 2))).toBe('INVALID_LABEL');
    expect(errorCode(() => contingencyTable([0, 0.5], [0, 1]))).toBe('INVALID_LABEL');
  });
});

describe('chiSquareTest', () => {
  it('matches a hand-worked 2 x 2 table', () => {
    // Totals 30/70 and 40/60 of 100: expected [[12, 18], [28, 42]], every |O - E| = 2, so
    // χ² = 4 (1/12 + 1/18 + 1/28 + 1/42) = 200/252; df 1, p = erfc(√(χ²/2)) = 0.372998...
    // (CPython math.erfc gives 0.37299848361348714), V = √(χ²/100).
    const r = chiSquareTest([
      [10, 20],
      [30, 40],
    ]);
    expect(r.statistic).toBeCloseTo(200 / 252, 14);
    expect(r.degreesOfFreedom).toBe(1);
    expect(r.pValue).toBeCloseTo(0.37299848361348714, 12);
    expect(r.cramersV).toBeCloseTo(Math.sqrt(200 / 252 / 100), 14);
    expect(r.n).toBe(100);
    expect(r.minExpected).toBe(12);
  });

  it('gives P(|Z| > 2) for a 2 x 2 table with χ² = 4', () => {
    // All expected counts 25, each |O - E| = 5: χ² = 4 · 25/25 = 4, p = P(|Z| > 2), V = 0.2.
    const r = chiSquareTest([
      [20, 30],
      [30, 20],
    ]);
    expect(r.statistic).toBeCloseTo(4, 14);
    expect(r.pValue).toBeCloseTo(0.04550026389635842, 12);
    expect(r.cramersV).toBeCloseTo(0.2, 14);
  });

  it('matches a hand-worked 2 x 3 table (df 2, p = e^(-χ²/2))', () => {
    // Totals 40/60 and 30/30/40: expected [[12, 12, 16], [18, 18, 24]],
    // χ² = 4/12 + 4/12 + 16/16 + 4/18 + 4/18 + 16/24 = 25/9, V = √(25/9/100) = 1/6.
    const r = chiSquareTest([
      [10, 10, 20],
      [20, 20, 20],
    ]);
    expect(r.statistic).toBeCloseTo(25 / 9, 13);
    expect(r.degreesOfFreedom).toBe(2);
    expect(r.pValue).toBeCloseTo(Math.exp(-25 / 18), 13);
    expect(r.cramersV).toBeCloseTo(1 / 6, 13);
  });

  it('matches scipy chi2_contingency(correction=False) on larger tables', () => {
    const r = chiSquareTest([
      [3, 0, 7, 2],
      [1, 5, 2, 9],
      [4, 4, 4, 1],
    ]);
    expect(r.statistic).toBeCloseTo(17.35538490544147, 12);
    expect(r.degreesOfFreedom).toBe(6);
    expect(r.pValue).toBeCloseTo(0.008062173636486186, 14);
    const s = chiSquareTest([
      [120, 90, 40],
      [80, 110, 60],
    ]);
    expect(s.statistic).toBeCloseTo(14, 12);
    expect(s.pValue).toBeCloseTo(0.0009118819655545164, 15);
    // V = √(14 / (500 · 1))
    expect(s.cramersV).toBeCloseTo(Math.sqrt(14 / 500), 14);
  });

  it('drops all-zero rows and columns', () => {
    const r = chiSquareTest([
      [20, 0, 30],
      [0, 0, 0],
      [30, 0, 20],
    ]);
    expect(r.rows).toBe(2);
    expect(r.cols).toBe(2);
    expect(r.degreesOfFreedom).toBe(1);
    expect(r.statistic).toBeCloseTo(4, 14);
  });

  it('gives V = 1 for full dependence and χ² = 0, p = 1 for exact independence', () => {
    const dependent = chiSquareTest([
      [10, 0, 0],
      [0, 7, 0],
      [0, 0, 3],
    ]);
    expect(dependent.cramersV).toBeCloseTo(1, 14);
    expect(dependent.statistic).toBeCloseTo(40, 12); // n (min(r, c) - 1) = 20 · 2
    const independent = chiSquareTest([
      [10, 20],
      [20, 40],
    ]);
    expect(independent.statistic).toBe(0);
    expect(independent.pValue).toBe(1);
    expect(independent.cramersV).toBe(0);
  });

  it('is unchanged by transposing; scaling counts scales χ² but not V', () => {
    const table = fc.array(
      fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 3, maxLength: 3 }),
      {
        minLength: 2,
        maxLength: 4,
      },
    );
    fc.assert(
      fc.property(table, (t) => {
        const r = chiSquareTest(t);
        const transposed = chiSquareTest(t[0]!.map((_, j) => t.map((row) => row[j]!)));
        expect(transposed.statistic).toBeCloseTo(r.statistic, 9);
        expect(transposed.pValue).toBeCloseTo(r.pValue, 9);
        const scaled = chiSquareTest(t.map((row) => row.map((v) => 3 * v)));
        expect(scaled.statistic).toBeCloseTo(3 * r.statistic, 8);
        expect(scaled.cramersV).toBeCloseTo(r.cramersV, 9);
        expect(r.pValue).toBeGreaterThan(0);
        expect(r.pValue).toBeLessThanOrEqual(1);
        expect(r.cramersV).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('rejects degenerate and malformed tables', () => {
    expect(
      errorCode(() =>
        chiSquareTest([
          [5, 5],
          [0, 0],
        ]),
      ),
    ).toBe('DEGENERATE_TABLE');
    expect(errorCode(() => chiSquareTest([[5], [6]]))).toBe('DEGENERATE_TABLE');
    expect(
      errorCode(() =>
        chiSquareTest([
          [0, 0],
          [0, 0],
        ]),
      ),
    ).toBe('DEGENERATE_TABLE');
    expect(errorCode(() => chiSquareTest([]))).toBe('EMPTY');
    expect(errorCode(() => chiSquareTest([[1, 2], [3]]))).toBe('INVALID_ARGUMENT');
    expect(
      errorCode(() =>
        chiSquareTest([
          [1, -2],
          [3, 4],
        ]),
      ),
    ).toBe('INVALID_ARGUMENT');
    expect(
      errorCode(() =>
        chiSquareTest([
          [1, NaN],
          [3, 4],
        ]),
      ),
    ).toBe('INVALID_ARGUMENT');
    expect(() =>
      chiSquareTest([
        [5, 5],
        [0, 0],
      ]),
    ).toThrow('chiSquareTest: needs at least 2 non-empty rows and 2 non-empty columns, got 1 x 2');
  });
});
