import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { correctness, negatedSquaredErrors, permutationTest } from './permutation.js';
import { errorCode } from './test-util.js';

/** P(Binomial(m, 1/2) >= k), summed exactly. */
function binomialUpperTail(m: number, k: number): number {
  let coefficient = 1; // C(m, j)
  let sum = 0;
  for (let j = 0; j <= m; j++) {
    if (j >= k) sum += coefficient;
    coefficient = (coefficient * (m - j)) / (j + 1);
  }
  return sum / 2 ** m;
}

/** Per-row correctness of a model and a baseline: `b` rows only the model gets right, `c` rows
 * only the baseline, `both` rows both, `neither` rows neither. */
function discordant(b: number, c: number, both: number, neither: number) {
  const model = [
    ...Array<number>(b).fill(1),
    ...Array<number>(c).fill(0),
    ...Array<number>(both).fill(1),
    ...Array<number>(neither).fill(0),
  ];
  const baseline = [
    ...Array<number>(b).fill(0),
    ...Array<number>(c).fill(1),
    ...Array<number>(both).fill(1),
    ...Array<number>(neither).fill(0),
  ];
  return { model, baseline, n: b + c + both + neither };
}

describe('permutationTest', () => {
  it('is the exact one-sided McNemar test on 0/1 correctness when few rows differ', () => {
    // 8 rows only the model gets right, 2 only the baseline: p = P(Bin(10, 1/2) >= 8)
    // = (45 + 10 + 1) / 1024 = 0.0546875.
    const { model, baseline, n } = discordant(8, 2, 30, 20);
    const r = permutationTest(model, baseline);
    expect(r.exact).toBe(true);
    expect(r.permutations).toBe(1024);
    expect(r.pValue).toBe(56 / 1024);
    expect(r.pValue).toBe(binomialUpperTail(10, 8));
    expect(r.observed).toBeCloseTo(6 / n, 15);
  });

  it('approximates the exact p-value by Monte Carlo', () => {
    const { model, baseline } = discordant(8, 2, 30, 20);
    const r = permutationTest(model, baseline, {
      seed: 5,
      permutations: 20_000,
      exact: false,
    });
    expect(r.exact).toBe(false);
    expect(r.permutations).toBe(20_000);
    // Monte Carlo standard error √(0.055 · 0.945 / 20000) ≈ 0.0016.
    expect(Math.abs(r.pValue - 0.0546875)).toBeLessThan(0.006);

    // 45 discordant rows are too many to enumerate: P(Bin(45, 1/2) >= 30) ≈ 0.018.
    const big = discordant(30, 15, 100, 50);
    const p = permutationTest(big.model, big.baseline, { seed: 1 }).pValue;
    expect(Math.abs(p - binomialUpperTail(45, 30))).toBeLessThan(0.005);
  });

  it('gives p = 1 when the two agree everywhere and a large p when the model is worse', () => {
    const same = permutationTest([1, 0, 1], [1, 0, 1]);
    expect(same).toEqual({ pValue: 1, observed: 0, permutations: 1, exact: true });
    const worse = discordant(2, 8, 10, 10);
    expect(permutationTest(worse.model, worse.baseline).pValue).toBe(binomialUpperTail(10, 2));
  });

  it('counts sign patterns equal to the observed one as ties despite rounding', () => {
    // Differences 0.1, 0.2, 0.3, -0.3; in tenths 1, 2, 3, -3 with observed sum 3. Count the sign
    // patterns with integer sum >= 3 exactly, then compare with the floating-point test.
    const tenths = [1, 2, 3, -3];
    let atLeast = 0;
    for (let mask = 0; mask < 16; mask++) {
      let s = 0;
      tenths.forEach((d, i) => (s += (mask >> i) & 1 ? -d : d));
      if (s >= 3) atLeast++;
    }
    const r = permutationTest([0.1, 0.2, 0.3, -0.3], [0, 0, 0, 0]);
    expect(r.pValue).toBe(atLeast / 16);
  });

  it('gives a p-value in (0, 1], reproducible for a seed', () => {
    const scores = fc.array(fc.tuple(fc.nat(1), fc.nat(1)), { minLength: 1, maxLength: 60 });
    fc.assert(
      fc.property(scores, fc.integer(), (rows, seed) => {
        const model = rows.map((r) => r[0]);
        const baseline = rows.map((r) => r[1]);
        const options = { seed, permutations: 200 };
        const r = permutationTest(model, baseline, options);
        expect(r.pValue).toBeGreaterThan(0);
        expect(r.pValue).toBeLessThanOrEqual(1);
        expect(permutationTest(model, baseline, options)).toEqual(r);
      }),
      { numRuns: 60 },
    );
  });

  it('rejects bad input', () => {
    expect(errorCode(() => permutationTest([1, 0], [1]))).toBe('LENGTH_MISMATCH');
    expect(errorCode(() => permutationTest([], []))).toBe('EMPTY');
    expect(errorCode(() => permutationTest([NaN], [1]))).toBe('NOT_FINITE');
    expect(errorCode(() => permutationTest([1], [0], { permutations: 0 }))).toBe(
      'INVALID_ARGUMENT',
    );
  });
});

describe('per-row scores', () => {
  it('correctness marks matching rows with 1', () => {
    expect(Array.from(correctness([0, 1, 2, 2], [0, 2, 2, 1]))).toEqual([1, 0, 1, 0]);
    expect(errorCode(() => correctness([0, 0.5], [0, 1]))).toBe('INVALID_LABEL');
  });

  it('negatedSquaredErrors is minus the squared error of each row', () => {
    expect(Array.from(negatedSquaredErrors([1, 2, 3], [1, 4, 2.5]))).toEqual([-0, -4, -0.25]);
    expect(errorCode(() => negatedSquaredErrors([1], [1, 2]))).toBe('LENGTH_MISMATCH');
  });
});
