import { Matrix } from '@scratchnet/linalg';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataError } from './errors.js';
import { OneHotEncoder } from './one-hot-encoder.js';

const labels = fc.array(fc.constantFrom('UK', 'Japan', 'USA', 'South Korea', 'Brazil', 'é', ''), {
  minLength: 1,
  maxLength: 40,
});

describe('OneHotEncoder', () => {
  it('sorts categories and sets one 1 per row', () => {
    const enc = new OneHotEncoder({ name: 'country' }).fit(['UK', 'Japan', 'UK', 'Brazil']);
    expect(enc.categories).toEqual(['Brazil', 'Japan', 'UK']);
    expect(enc.transform(['UK', 'Brazil']).toArrays()).toEqual([
      [0, 0, 1],
      [1, 0, 0],
    ]);
    expect(enc.featureNames()).toEqual(['country=Brazil', 'country=Japan', 'country=UK']);
  });

  it('sorts by code units, the same on every machine', () => {
    expect(new OneHotEncoder().fit(['b', 'B', 'a', 'É', 'E']).categories).toEqual([
      'B',
      'E',
      'a',
      'b',
      'É',
    ]);
  });

  it('rejects an unknown category clearly, or leaves its row zero when asked to', () => {
    const enc = new OneHotEncoder({ name: 'country' }).fit(['UK', 'Japan']);
    expect(() => enc.transform(['UK', 'Mexico'])).toThrow(DataError);
    expect(() => enc.transform(['UK', 'Mexico'])).toThrow(
      'unknown category "Mexico" in country (value 2), expected one of the categories seen in training: Japan, UK',
    );
    expect(enc.transform(['Mexico', 'UK'], { handleUnknown: 'ignore' }).toArrays()).toEqual([
      [0, 0],
      [0, 1],
    ]);
  });

  it('round-trips: inverseTransform(transform(x)) = x, each row summing to 1', () => {
    fc.assert(
      fc.property(labels, labels, (fitOn, extra) => {
        const enc = new OneHotEncoder().fit([...fitOn, ...extra]);
        const values = [...extra, ...fitOn];
        const m = enc.transform(values);
        expect(enc.inverseTransform(m)).toEqual(values);
        for (let i = 0; i < m.rows; i++) expect(m.row(i).reduce((a, b) => a + b, 0)).toBe(1);
      }),
    );
  });

  it('decodes probabilities by argmax, the first column on ties', () => {
    const enc = new OneHotEncoder().fit(['a', 'b', 'c']);
    const p = Matrix.fromArrays([
      [0.2, 0.5, 0.3],
      [0.4, 0.4, 0.2],
      [-3, -1, -2],
    ]);
    expect(enc.inverseTransform(p)).toEqual(['b', 'a', 'b']);
  });

  it('writes into a slice of a wider matrix', () => {
    const enc = new OneHotEncoder().fit(['x', 'y']);
    const out = new Matrix(2, 4);
    enc.transformInto(['y', 'x'], out, 1);
    expect(out.toArrays()).toEqual([
      [0, 0, 1, 0],
      [0, 1, 0, 0],
    ]);
    expect(() => enc.transformInto(['x', 'y'], out, 3)).toThrow(RangeError);
  });

  it('survives a JSON round trip, and names what is wrong in bad JSON', () => {
    fc.assert(
      fc.property(labels, (values) => {
        const enc = new OneHotEncoder({ name: 'c' }).fit(values);
        const back = OneHotEncoder.fromJSON(JSON.parse(JSON.stringify(enc)));
        expect(back.categories).toEqual(enc.categories);
        expect(back.name).toBe('c');
        expect(back.transform(values).data).toEqual(enc.transform(values).data);
      }),
    );
    expect(() => OneHotEncoder.fromJSON({ type: 'label', categories: ['a'] })).toThrow(
      'oneHotEncoder.type is "label", expected "one-hot"',
    );
    expect(() => OneHotEncoder.fromJSON({ type: 'one-hot', categories: ['b', 'a'] })).toThrow(
      /oneHotEncoder\.categories\[1\] is "a", expected a value after "b"/,
    );
    expect(() => OneHotEncoder.fromJSON({ type: 'one-hot', categories: ['a', 3] })).toThrow(
      'oneHotEncoder.categories[1] is 3, expected a string',
    );
    expect(() => OneHotEncoder.fromJSON({ type: 'one-hot', categories: [] })).toThrow(/is empty/);
    expect(() => OneHotEncoder.fromJSON(null)).toThrow('oneHotEncoder is null, expected an object');
  });

  it('must be fitted first, on at least one value', () => {
    expect(() => new OneHotEncoder().transform(['a'])).toThrow(/call fit\(\) first/);
    expect(() => new OneHotEncoder().fit([])).toThrow(RangeError);
  });
});
