import { Matrix } from '@scratchnet/linalg';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StandardScaler } from './standard-scaler.js';
import { awkwardDouble, bits } from './test-numbers.js';

const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true });

describe('StandardScaler', () => {
  it('uses the mean and the population standard deviation, as scikit-learn', () => {
    const s = new StandardScaler().fit(Float64Array.of(1, 2, 3, 4));
    expect(s.mean[0]).toBe(2.5);
    expect(s.scale[0]).toBeCloseTo(Math.sqrt(1.25), 15);
    expect(Array.from(s.transform([1, 4]))).toEqual([
      -1.5 / Math.sqrt(1.25),
      1.5 / Math.sqrt(1.25),
    ]);
  });

  it('scales each column of a matrix on its own', () => {
    const m = Matrix.fromArrays([
      [1, 100],
      [3, 300],
    ]);
    const s = new StandardScaler().fit(m);
    expect(Array.from(s.mean)).toEqual([2, 200]);
    expect(Array.from(s.scale)).toEqual([1, 100]);
    expect(s.transform(m).toArrays()).toEqual([
      [-1, -1],
      [1, 1],
    ]);
  });

  it('maps a constant column to 0 instead of dividing by zero', () => {
    const s = new StandardScaler().fit(Float64Array.of(0.1, 0.1, 0.1));
    expect(s.scale[0]).toBe(1);
    expect(Array.from(s.transform([0.1, 1.1]))).toEqual([0, 1]);
  });

  it('gives standardised training columns mean 0 and variance 1', () => {
    fc.assert(
      fc.property(fc.array(finite, { minLength: 2, maxLength: 50 }), (values) => {
        fc.pre(Math.max(...values) - Math.min(...values) > 1e-3);
        const s = new StandardScaler().fit(values);
        const z = s.transform(values);
        const mean = z.reduce((a, b) => a + b, 0) / z.length;
        const variance = z.reduce((a, b) => a + (b - mean) ** 2, 0) / z.length;
        expect(Math.abs(mean)).toBeLessThan(1e-6);
        expect(Math.abs(variance - 1)).toBeLessThan(1e-6);
      }),
    );
  });

  it('inverts its transform', () => {
    fc.assert(
      fc.property(
        fc.array(finite, { minLength: 1, maxLength: 30 }),
        fc.array(finite, { maxLength: 10 }),
        (fitOn, values) => {
          const s = new StandardScaler().fit(fitOn);
          const back = s.inverseTransform(s.transform(values));
          back.forEach((x, i) => expect(x).toBeCloseTo(values[i]!, 3));
          values.forEach((x) =>
            expect(s.inverseTransformValue(s.transformValue(x))).toBeCloseTo(x, 3),
          );
        },
      ),
    );
  });

  it('survives a JSON round trip bit for bit, −0, subnormals and ±MAX_VALUE too', () => {
    fc.assert(
      fc.property(fc.array(awkwardDouble, { minLength: 1, maxLength: 20 }), (values) => {
        const s = new StandardScaler({ name: 'age' }).fit(values);
        for (const x of [...s.mean, ...s.scale]) expect(Number.isFinite(x)).toBe(true);
        const back = StandardScaler.fromJSON(JSON.parse(JSON.stringify(s)));
        expect(bits(back.mean)).toEqual(bits(s.mean));
        expect(bits(back.scale)).toEqual(bits(s.scale));
        expect(bits(back.transform(values))).toEqual(bits(s.transform(values)));
        expect(back.name).toBe('age');
      }),
    );
  });

  it('keeps a mean that rounds to −0 as 0, and a spread of ±1e200 as a finite scale', () => {
    // Found by a CI run: the mean of these is −0, and JSON.stringify(-0) is "0".
    const tiny = new StandardScaler().fit([5e-324, -1e-323]);
    expect(Object.is(tiny.mean[0], 0)).toBe(true);
    const huge = new StandardScaler().fit([1e200, -1e200]);
    expect(huge.scale[0]).toBe(1e200);
    expect(Array.from(StandardScaler.fromJSON(JSON.parse(JSON.stringify(huge))).scale)).toEqual([
      1e200,
    ]);
    const widest = new StandardScaler().fit([Number.MAX_VALUE, -Number.MAX_VALUE]);
    expect([widest.mean[0], widest.scale[0]]).toEqual([0, Number.MAX_VALUE]);
    expect(Array.from(widest.transform([Number.MAX_VALUE, -Number.MAX_VALUE]))).toEqual([1, -1]);
  });

  it('rejects bad JSON', () => {
    expect(() => StandardScaler.fromJSON({ type: 'standard', mean: [1], scale: [0] })).toThrow(
      'standardScaler.scale[0] is 0, expected a positive number',
    );
    expect(() => StandardScaler.fromJSON({ type: 'standard', mean: [1, 2], scale: [1] })).toThrow(
      /standardScaler\.scale\.length is 1, expected 2/,
    );
    expect(() => StandardScaler.fromJSON({ type: 'standard', mean: ['1'], scale: [1] })).toThrow(
      'standardScaler.mean[0] is "1", expected a finite number',
    );
  });

  it('refuses non-finite data, no rows, the wrong width and use before fit', () => {
    expect(() => new StandardScaler().fit([1, NaN])).toThrow(/not finite/);
    expect(() => new StandardScaler().fit([])).toThrow(/0 rows/);
    expect(() => new StandardScaler().fit([1, 2]).transform(new Matrix(1, 2))).toThrow(
      /fitted on 1 columns, got 2/,
    );
    expect(() => new StandardScaler().transform([1])).toThrow(/call fit\(\) first/);
  });
});
