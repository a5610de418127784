import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bootstrapInterval, bootstrapMetric, quantileOfSorted } from './bootstrap.js';
import { accuracy } from './classification.js';
import { r2Score } from './regression.js';
import { errorCode } from './test-util.js';

/** A metric over rows: the mean of `values` at the given indices. */
const meanOf = (values: ArrayLike<number>) => (indices: Int32Array) => {
  let sum = 0;
  for (let i = 0; i < indices.length; i++) sum += values[indices[i]!]!;
  return sum / indices.length;
};

describe('quantileOfSorted', () => {
  it('interpolates linearly like numpy.percentile', () => {
    const s = [1, 2, 3, 4];
    expect(quantileOfSorted(s, 0)).toBe(1);
    expect(quantileOfSorted(s, 1)).toBe(4);
    expect(quantileOfSorted(s, 0.5)).toBe(2.5);
    expect(quantileOfSorted(s, 0.25)).toBe(1.75); // np.percentile([1, 2, 3, 4], 25)
    expect(quantileOfSorted([7], 0.3)).toBe(7);
  });
});

describe('bootstrapInterval', () => {
  it('recovers the textbook interval for a proportion', () => {
    // 400 rows, half of them 1: the standard error of the mean is √(0.5 · 0.5 / 400) = 0.025,
    // so the 95% interval is about 0.5 ± 1.96 · 0.025 = [0.451, 0.549].
    const values = Array.from({ length: 400 }, (_, i) => i % 2);
    const r = bootstrapInterval(meanOf(values), values.length, { seed: 7, resamples: 2000 });
    expect(r.estimate).toBe(0.5);
    expect(r.standardError).toBeGreaterThan(0.0225);
    expect(r.standardError).toBeLessThan(0.0275);
    expect(r.lower).toBeGreaterThan(0.441);
    expect(r.lower).toBeLessThan(0.461);
    expect(r.upper).toBeGreaterThan(0.539);
    expect(r.upper).toBeLessThan(0.559);
    expect(r.confidence).toBe(0.95);
    expect(r.resamples).toBe(2000);
  });

  it('narrows as the confidence drops', () => {
    const values = Array.from({ length: 50 }, (_, i) => (i * 37) % 11);
    const wide = bootstrapInterval(meanOf(values), 50, { resamples: 300, confidence: 0.99 });
    const narrow = bootstrapInterval(meanOf(values), 50, { resamples: 300, confidence: 0.5 });
    expect(narrow.upper - narrow.lower).toBeLessThan(wide.upper - wide.lower);
  });

  it('is reproducible for a seed and differs between seeds', () => {
    const values = Array.from({ length: 30 }, (_, i) => Math.sin(i));
    const a = bootstrapInterval(meanOf(values), 30, { seed: 3, resamples: 200 });
    const b = bootstrapInterval(meanOf(values), 30, { seed: 3, resamples: 200 });
    const c = bootstrapInterval(meanOf(values), 30, { seed: 4, resamples: 200 });
    expect(b).toEqual(a);
    expect(c.lower).not.toBe(a.lower);
  });

  it('gives a point interval for a constant metric', () => {
    const r = bootstrapInterval(() => 0.25, 10, { resamples: 50 });
    expect(r).toMatchObject({ estimate: 0.25, lower: 0.25, upper: 0.25, standardError: 0 });
  });

  it('keeps the interval of a mean within the data range, lower <= upper', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 25 }),
        fc.integer(),
        (values, seed) => {
          const r = bootstrapInterval(meanOf(values), values.length, { seed, resamples: 60 });
          expect(r.lower).toBeLessThanOrEqual(r.upper);
          expect(r.lower).toBeGreaterThanOrEqual(Math.min(...values) - 1e-9);
          expect(r.upper).toBeLessThanOrEqual(Math.max(...values) + 1e-9);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('passes indices in [0, n)', () => {
    let ok = true;
    bootstrapInterval(
      (indices) => {
        for (const i of indices) if (i < 0 || i >= 5) ok = false;
        return 0;
      },
      5,
      { resamples: 100 },
    );
    expect(ok).toBe(true);
  });

  it('rejects bad arguments and non-finite metric values', () => {
    expect(errorCode(() => bootstrapInterval(() => 0, 0))).toBe('EMPTY');
    expect(errorCode(() => bootstrapInterval(() => 0, 1.5))).toBe('INVALID_ARGUMENT');
    expect(errorCode(() => bootstrapInterval(() => 0, 5, { confidence: 1 }))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(errorCode(() => bootstrapInterval(() => 0, 5, { resamples: 0 }))).toBe(
      'INVALID_ARGUMENT',
    );
    expect(errorCode(() => bootstrapInterval(() => 0, 5, { seed: NaN }))).toBe('INVALID_ARGUMENT');
    expect(errorCode(() => bootstrapInterval(() => NaN, 5))).toBe('NOT_FINITE');
  });
});

describe('bootstrapMetric', () => {
  const yTrue = [0, 1, 2, 1, 0, 2, 1, 1, 0, 2];
  const yPred = [0, 1, 1, 1, 0, 2, 0, 1, 2, 2];

  it('draws the same resamples as bootstrapInterval over row indices', () => {
    const options = { seed: 11, resamples: 300 };
    const direct = bootstrapInterval(
      (idx) =>
        accuracy(
          Array.from(idx, (i) => yTrue[i]!),
          Array.from(idx, (i) => yPred[i]!),
        ),
      yTrue.length,
      options,
    );
    const wrapped = bootstrapMetric(yTrue, yPred, accuracy, options);
    expect(wrapped).toEqual(direct);
    expect(wrapped.estimate).toBe(0.7);
  });

  it('works with R², whose resamples may have a constant target', () => {
    const r = bootstrapMetric([1, 2, 3, 4, 5], [1.1, 2.1, 2.9, 4.2, 4.8], r2Score, {
      resamples: 200,
    });
    expect(r.upper).toBeLessThanOrEqual(1);
    expect(r.estimate).toBeCloseTo(1 - 0.11 / 10, 12);
  });

  it('rejects mismatched or empty input', () => {
    expect(errorCode(() => bootstrapMetric([0, 1], [0], accuracy))).toBe('LENGTH_MISMATCH');
    expect(errorCode(() => bootstrapMetric([], [], accuracy))).toBe('EMPTY');
  });
});
