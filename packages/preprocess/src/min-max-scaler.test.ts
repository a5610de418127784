import { Matrix } from '@scratchnet/linalg';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MinMaxScaler } from './min-max-scaler.js';
import { awkwardDouble, bits } from './test-numbers.js';

const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true });

describe('MinMaxScaler', () => {
  it('maps the fitted range onto [0, 1], or the range asked for', () => {
    const s = new MinMaxScaler().fit(Float64Array.of(10, 20, 30));
    expect(Array.from(s.transform([10, 15, 30, 40]))).toEqual([0, 0.25, 1, 1.5]);
    const t = new MinMaxScaler({ featureRange: [-1, 1] }).fit([0, 4]);
    expect(Array.from(t.transform([0, 1, 4]))).toEqual([-1, -0.5, 1]);
  });

  it('scales each column on its own, a constant column to the low end', () => {
    const s = new MinMaxScaler().fit(
      Matrix.fromArrays([
        [1, 5],
        [3, 5],
      ]),
    );
    expect(s.transform(Matrix.fromArrays([[2, 5]])).toArrays()).toEqual([[0.5, 0]]);
  });

  it('keeps the training data inside the range and inverts its transform', () => {
    fc.assert(
      fc.property(fc.array(finite, { minLength: 1, maxLength: 40 }), (values) => {
        const s = new MinMaxScaler().fit(values);
        const y = s.transform(values);
        for (const v of y) {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(1 + 1e-12);
        }
        s.inverseTransform(y).forEach((x, i) => expect(x).toBeCloseTo(values[i]!, 3));
        expect(s.inverseTransformValue(s.transformValue(values[0]!))).toBeCloseTo(values[0]!, 3);
      }),
    );
  });

  it('survives a JSON round trip bit for bit, −0, subnormals and ±MAX_VALUE too', () => {
    fc.assert(
      fc.property(fc.array(awkwardDouble, { minLength: 1, maxLength: 20 }), (values) => {
        const s = new MinMaxScaler({ name: 'm', featureRange: [-1, 1] });
        const spread = Math.max(...values) - Math.min(...values);
        if (!Number.isFinite(spread)) {
          expect(() => s.fit(values)).toThrow(/a range wider than the largest number/);
          return;
        }
        s.fit(values);
        const back = MinMaxScaler.fromJSON(JSON.parse(JSON.stringify(s)));
        expect(back.featureRange).toEqual([-1, 1]);
        expect(bits(back.dataMin)).toEqual(bits(s.dataMin));
        expect(bits(back.dataMax)).toEqual(bits(s.dataMax));
        expect(bits(back.transform(values))).toEqual(bits(s.transform(values)));
      }),
    );
  });

  it('keeps −0 as 0, and refuses a range that overflows', () => {
    const s = new MinMaxScaler().fit([-0, -0]);
    expect(Object.is(s.dataMin[0], 0) && Object.is(s.dataMax[0], 0)).toBe(true);
    expect(() => new MinMaxScaler({ name: 'x' }).fit([1e308, -1e308])).toThrow(
      'MinMaxScaler(x): column 0 spans -1e+308 to 1e+308, a range wider than the largest number; rescale it first',
    );
    expect(() =>
      MinMaxScaler.fromJSON({ type: 'min-max', min: [-1e308], max: [1e308], featureRange: [0, 1] }),
    ).toThrow('minMaxScaler.max[0] is 1e+308, expected a finite range from min[0] = -1e+308');
  });

  it('rejects bad JSON', () => {
    const s = new MinMaxScaler({ name: 'm', featureRange: [-1, 1] }).fit([3, 9]);
    const back = MinMaxScaler.fromJSON(JSON.parse(JSON.stringify(s)));
    expect(Array.from(back.transform([6]))).toEqual([0]);
    expect(() =>
      MinMaxScaler.fromJSON({ type: 'min-max', min: [2], max: [1], featureRange: [0, 1] }),
    ).toThrow('minMaxScaler.max[0] is 1, expected a number ≥ min[0] = 2');
    expect(() =>
      MinMaxScaler.fromJSON({ type: 'min-max', min: [0], max: [1], featureRange: [1, 0] }),
    ).toThrow(/featureRange/);
  });

  it('refuses an empty or inverted feature range and non-finite data', () => {
    expect(() => new MinMaxScaler({ featureRange: [1, 1] })).toThrow(RangeError);
    expect(() => new MinMaxScaler().fit([Infinity])).toThrow(/not finite/);
  });
});
