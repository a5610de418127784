import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errorCode } from './test-util.js';
import { accuracy, classificationReport, confusionMatrix } from './classification.js';

// Worked by hand (and matching scikit-learn's definitions):
//   yTrue = 0 0 0 1 1 2 2 2
//   yPred = 0 1 0 1 0 2 1 2
//   confusion [true][pred] = [[2,1,0],[1,1,0],[0,1,2]], accuracy 5/8
//   class 0: tp 2, predicted 3, support 3 -> P 2/3, R 2/3, F1 4/6 = 2/3
//   class 1: tp 1, predicted 3, support 2 -> P 1/3, R 1/2, F1 2/5
//   class 2: tp 2, predicted 2, support 3 -> P 1,   R 2/3, F1 4/5
//   macro F1 = (2/3 + 2/5 + 4/5) / 3 = 28/45; weighted F1 = (3·2/3 + 2·2/5 + 3·4/5) / 8 = 0.65
const yTrue = [0, 0, 0, 1, 1, 2, 2, 2];
const yPred = [0, 1, 0, 1, 0, 2, 1, 2];

const labelPairs = fc
  .integer({ min: 1, max: 40 })
  .chain((n) =>
    fc.tuple(
      fc.array(fc.integer({ min: 0, max: 4 }), { minLength: n, maxLength: n }),
      fc.array(fc.integer({ min: 0, max: 4 }), { minLength: n, maxLength: n }),
    ),
  );

describe('accuracy', () => {
  it('is the fraction of matching rows', () => {
    expect(accuracy(yTrue, yPred)).toBe(5 / 8);
    expect(accuracy(Int32Array.from([1, 1]), Float64Array.from([1, 1]))).toBe(1);
    expect(accuracy([0, 1, 0, 1], [1, 0, 1, 0])).toBe(0);
  });

  it('stays in [0, 1] and is symmetric in its arguments', () => {
    fc.assert(
      fc.property(labelPairs, ([a, b]) => {
        const acc = accuracy(a, b);
        expect(acc).toBeGreaterThanOrEqual(0);
        expect(acc).toBeLessThanOrEqual(1);
        expect(accuracy(b, a)).toBe(acc);
      }),
    );
  });

  it('rejects mismatched, empty and non-class inputs', () => {
    expect(errorCode(() => accuracy([0, 1], [0]))).toBe('LENGTH_MISMATCH');
    expect(errorCode(() => accuracy([], []))).toBe('EMPTY');
    expect(errorCode(() => accuracy([0, 1.5], [0, 1]))).toBe('INVALID_LABEL');
    expect(errorCode(() => accuracy([0, 1], [0, -1]))).toBe('INVALID_LABEL');
    expect(errorCode(() => accuracy([0, NaN], [0, 1]))).toBe('INVALID_LABEL');
    expect(() => accuracy([0, 1], [0])).toThrow('accuracy: yTrue has 2 rows but yPred has 1');
  });
});

describe('confusionMatrix', () => {
  it('counts [true][pred] pairs', () => {
    expect(confusionMatrix(yTrue, yPred)).toEqual([
      [2, 1, 0],
      [1, 1, 0],
      [0, 1, 2],
    ]);
  });

  it('pads to the given number of classes and checks labels against it', () => {
    expect(confusionMatrix([0, 1], [1, 1], 3)).toEqual([
      [0, 1, 0],
      [0, 1, 0],
      [0, 0, 0],
    ]);
    expect(errorCode(() => confusionMatrix([0, 3], [0, 1], 3))).toBe('INVALID_LABEL');
    expect(errorCode(() => confusionMatrix([0, 1], [0, 1], 0))).toBe('INVALID_ARGUMENT');
    expect(errorCode(() => confusionMatrix([0, 1], [0, 1], 2.5))).toBe('INVALID_ARGUMENT');
  });

  it('sums to n, its diagonal to the correct rows, its rows to the supports', () => {
    fc.assert(
      fc.property(labelPairs, ([a, b]) => {
        const m = confusionMatrix(a, b);
        const total = m.flat().reduce((s, v) => s + v, 0);
        expect(total).toBe(a.length);
        const diagonal = m.reduce((s, row, i) => s + row[i]!, 0);
        expect(diagonal / a.length).toBe(accuracy(a, b));
        m.forEach((row, c) => {
          expect(row.reduce((s, v) => s + v, 0)).toBe(a.filter((y) => y === c).length);
        });
      }),
    );
  });
});

describe('classificationReport', () => {
  it('matches the hand-worked per-class scores and averages', () => {
    const r = classificationReport(yTrue, yPred);
    const expected = [
      { precision: 2 / 3, recall: 2 / 3, f1: 2 / 3, support: 3 },
      { precision: 1 / 3, recall: 1 / 2, f1: 2 / 5, support: 2 },
      { precision: 1, recall: 2 / 3, f1: 4 / 5, support: 3 },
    ];
    r.perClass.forEach((scores, c) => {
      expect(scores.precision).toBeCloseTo(expected[c]!.precision, 12);
      expect(scores.recall).toBeCloseTo(expected[c]!.recall, 12);
      expect(scores.f1).toBeCloseTo(expected[c]!.f1, 12);
      expect(scores.support).toBe(expected[c]!.support);
    });
    expect(r.macroF1).toBeCloseTo(28 / 45, 12);
    expect(r.weightedF1).toBeCloseTo(0.65, 12);
    expect(r.macroPrecision).toBeCloseTo(2 / 3, 12);
    expect(r.macroRecall).toBeCloseTo(11 / 18, 12);
    expect(r.accuracy).toBe(5 / 8);
  });

  it('scores a never-predicted class 0 (zero_division=0)', () => {
    // Class 0: tp 2, predicted 4, support 2 -> P 1/2, R 1, F1 4/6. Class 1: never predicted.
    const r = classificationReport([0, 0, 1, 1], [0, 0, 0, 0]);
    expect(r.perClass[1]).toEqual({ precision: 0, recall: 0, f1: 0, support: 2 });
    expect(r.perClass[0]!.f1).toBeCloseTo(2 / 3, 12);
    expect(r.macroF1).toBeCloseTo(1 / 3, 12);
    expect(r.weightedF1).toBeCloseTo(1 / 3, 12);
  });

  it('counts a class only predicted (support 0) in the macro average, like scikit-learn', () => {
    // sklearn f1_score([0, 0], [0, 1], average='macro', zero_division=0) = (2/3 + 0) / 2
    const r = classificationReport([0, 0], [0, 1]);
    expect(r.perClass[1]).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(r.macroF1).toBeCloseTo(1 / 3, 12);
    expect(r.weightedF1).toBeCloseTo(2 / 3, 12);
  });

  it('leaves classes absent from both arrays out of the macro averages', () => {
    const r = classificationReport([0, 0, 1, 1], [0, 0, 0, 0], 4);
    expect(r.perClass).toHaveLength(4);
    expect(r.perClass[3]).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(r.macroF1).toBeCloseTo(1 / 3, 12);
  });

  it('handles one class, perfect and worst predictions', () => {
    const one = classificationReport([0, 0, 0], [0, 0, 0]);
    expect(one.perClass).toEqual([{ precision: 1, recall: 1, f1: 1, support: 3 }]);
    expect(one.macroF1).toBe(1);
    expect(one.weightedF1).toBe(1);
    const perfect = classificationReport([2, 0, 1, 2], [2, 0, 1, 2]);
    expect(perfect.macroF1).toBe(1);
    expect(perfect.accuracy).toBe(1);
    const worst = classificationReport([0, 1, 0, 1], [1, 0, 1, 0]);
    expect(worst.macroF1).toBe(0);
    expect(worst.weightedF1).toBe(0);
    expect(worst.accuracy).toBe(0);
  });

  it('keeps every score in [0, 1] and supports summing to n', () => {
    fc.assert(
      fc.property(labelPairs, ([a, b]) => {
        const r = classificationReport(a, b);
        for (const s of r.perClass) {
          for (const v of [s.precision, s.recall, s.f1]) {
            expect(v).toBeGreaterThanOrEqual(0);
            expect(v).toBeLessThanOrEqual(1);
          }
        }
        expect(r.perClass.reduce((s, c) => s + c.support, 0)).toBe(a.length);
        expect(r.macroF1).toBeGreaterThanOrEqual(0);
        expect(r.macroF1).toBeLessThanOrEqual(1);
        expect(r.accuracy).toBe(accuracy(a, b));
      }),
    );
  });
});
