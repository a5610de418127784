import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LabelEncoder } from './label-encoder.js';
import { OneHotEncoder } from './one-hot-encoder.js';

describe('LabelEncoder', () => {
  it('codes sorted classes 0 … k−1', () => {
    const enc = new LabelEncoder({ name: 'listening_time' }).fit([
      'Night',
      'Morning',
      'Afternoon',
      'Night',
    ]);
    expect(enc.classes).toEqual(['Afternoon', 'Morning', 'Night']);
    expect(Array.from(enc.transform(['Night', 'Afternoon']))).toEqual([2, 0]);
  });

  it('round-trips labels and codes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 4 }), { minLength: 1, maxLength: 30 }),
        (values) => {
          const enc = new LabelEncoder().fit(values);
          const codes = enc.transform(values);
          expect(enc.inverseTransform(codes)).toEqual(values);
          for (const code of codes) expect(code).toBeLessThan(enc.classes.length);
        },
      ),
    );
  });

  it('rejects unknown classes and codes', () => {
    const enc = new LabelEncoder({ name: 'time' }).fit(['a', 'b']);
    expect(() => enc.transform(['c'])).toThrow(
      'unknown class "c" in time (value 1), expected one of a, b',
    );
    expect(() => enc.inverseTransform([2])).toThrow(RangeError);
    expect(() => enc.inverseTransform([0.5])).toThrow(RangeError);
  });

  it('survives a JSON round trip for any strings, lone surrogates and control characters too', () => {
    const unit = fc.oneof(
      fc.constantFrom('\uD800', '\uDFFF', '\u0000', '"', '\\', '\u2028'),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit, minLength: 1 }), { minLength: 1, maxLength: 20 }),
        (values) => {
          const label = new LabelEncoder().fit(values);
          const labelBack = LabelEncoder.fromJSON(JSON.parse(JSON.stringify(label)));
          expect(labelBack.classes).toEqual(label.classes);
          expect(labelBack.transform(values)).toEqual(label.transform(values));
          const oneHot = new OneHotEncoder().fit(values);
          const oneHotBack = OneHotEncoder.fromJSON(JSON.parse(JSON.stringify(oneHot)));
          expect(oneHotBack.categories).toEqual(oneHot.categories);
          expect(oneHotBack.transform(values).data).toEqual(oneHot.transform(values).data);
        },
      ),
    );
  });

  it('survives a JSON round trip and rejects bad JSON', () => {
    const enc = new LabelEncoder({ name: 't' }).fit(['x', 'y', 'z']);
    const back = LabelEncoder.fromJSON(JSON.parse(JSON.stringify(enc)));
    expect(back.classes).toEqual(['x', 'y', 'z']);
    expect(back.name).toBe('t');
    expect(() => LabelEncoder.fromJSON({ type: 'label', classes: ['x', 'x'] })).toThrow(
      /labelEncoder\.classes\[1\]/,
    );
    expect(() => LabelEncoder.fromJSON({ type: 'label' })).toThrow(
      'labelEncoder.classes is undefined, expected an array of strings',
    );
  });
});
