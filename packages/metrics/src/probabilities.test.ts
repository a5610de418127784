import { Matrix } from '@scratchnet/linalg';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accuracy } from './classification.js';
import { argmax, logLoss, topKAccuracy } from './probabilities.js';
import { errorCode } from './test-util.js';

const m = (rows: number[][]) => Matrix.fromArrays(rows);

describe('logLoss', () => {
  it('is the mean negative log-probability of the true class', () => {
    // -(ln 0.8 + ln 0.6) / 2 = (0.2231435513142097 + 0.5108256237659907) / 2
    const p = m([
      [0.8, 0.2],
      [0.4, 0.6],
    ]);
    expect(logLoss([0, 1], p)).toBeCloseTo(0.3669845875401002, 15);
  });

  it('is ln k for the uniform distribution and ~0 when perfect', () => {
    const uniform = m([
      [1 / 3, 1 / 3, 1 / 3],
      [1 / 3, 1 / 3, 1 / 3],
    ]);
    expect(logLoss([0, 2], uniform)).toBeCloseTo(1.0986122886681098, 15);
    expect(
      logLoss(
        [1, 0],
        m([
          [0, 1],
          [1, 0],
        ]),
      ),
    ).toBeCloseTo(0, 14);
  });

  it('clips a zero probability of the true class at eps', () => {
    const wrong = m([[1, 0]]);
    // -ln(1e-15) = 15 ln 10
    expect(logLoss([1], wrong)).toBeCloseTo(34.538776394910684, 12);
    expect(logLoss([1], wrong, { eps: 1e-3 })).toBeCloseTo(6.907755278982137, 12);
    expect(logLoss([1], wrong, { eps: 0 })).toBe(Infinity);
  });

  it('rejects rows that are not distributions', () => {
    expect(errorCode(() => logLoss([0], m([[1.2, -0.2]])))).toBe('NOT_A_DISTRIBUTION');
    expect(errorCode(() => logLoss([0], m([[NaN, 1]])))).toBe('NOT_A_DISTRIBUTION');
    expect(errorCode(() => logLoss([0], m([[0.5, 0.4]])))).toBe('NOT_A_DISTRIBUTION');
    expect(() =>
      logLoss(
        [0, 0],
        m([
          [0.5, 0.5],
          [0.5, 0.4],
        ]),
      ),
    ).toThrow('logLoss: probabilities row 1 sums to 0.9, expected 1 (tolerance 0.000001)');
    // Within the tolerance is fine; a wider tolerance accepts more.
    expect(logLoss([0], m([[0.5, 0.5 + 1e-9]]))).toBeCloseTo(Math.LN2, 8);
    expect(logLoss([0], m([[0.5, 0.4]]), { tolerance: 0.2 })).toBeCloseTo(Math.LN2, 14);
  });

  it('rejects mismatched shapes, labels and options', () => {
    const p = m([[0.5, 0.5]]);
    expect(errorCode(() => logLoss([0, 1], p))).toBe('LENGTH_MISMATCH');
    expect(errorCode(() => logLoss([2], p))).toBe('INVALID_LABEL');
    expect(errorCode(() => logLoss([], new Matrix(0, 2)))).toBe('EMPTY');
    expect(errorCode(() => logLoss([0], new Matrix(1, 0)))).toBe('EMPTY');
    expect(errorCode(() => logLoss([0], p, { eps: 1 }))).toBe('INVALID_ARGUMENT');
    expect(errorCode(() => logLoss([0], p, { tolerance: -1 }))).toBe('INVALID_ARGUMENT');
  });
});

describe('topKAccuracy', () => {
  const p = m([
    [0.5, 0.3, 0.2], // true 1: second
    [0.4, 0.4, 0.2], // true 1: tied with class 0, which ranks first (lower code)
    [0.2, 0.4, 0.4], // true 2: tied with class 1, which ranks first
    [0.1, 0.1, 0.8], // true 0: tied with class 1 for second place, ranks second
  ]);
  const y = [1, 1, 2, 0];

  it('counts rows whose true class is in the top k, ties to the lower class code', () => {
    expect(topKAccuracy(y, p, 1)).toBe(0);
    expect(topKAccuracy(y, p, 2)).toBe(1);
    expect(topKAccuracy(y, p, 3)).toBe(1);
    expect(topKAccuracy([0, 0, 1, 1], p, 1)).toBe(3 / 4);
  });

  it('with k = 1 equals the accuracy of argmax', () => {
    const rows = fc.array(
      fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 4, maxLength: 4 }),
      {
        minLength: 1,
        maxLength: 20,
      },
    );
    fc.assert(
      fc.property(rows, fc.array(fc.nat(3), { minLength: 20, maxLength: 20 }), (scores, labels) => {
        const probs = m(scores);
        const yTrue = labels.slice(0, scores.length);
        expect(topKAccuracy(yTrue, probs, 1)).toBe(accuracy(yTrue, argmax(probs)));
        // Monotone in k, 1 at k = cols.
        let previous = 0;
        for (let k = 1; k <= 4; k++) {
          const acc = topKAccuracy(yTrue, probs, k);
          expect(acc).toBeGreaterThanOrEqual(previous);
          previous = acc;
        }
        expect(previous).toBe(1);
      }),
    );
  });

  it('rejects k outside [1, cols] and non-finite scores', () => {
    expect(errorCode(() => topKAccuracy(y, p, 0))).toBe('INVALID_ARGUMENT');
    expect(errorCode(() => topKAccuracy(y, p, 4))).toBe('INVALID_ARGUMENT');
    expect(errorCode(() => topKAccuracy(y, p, 1.5))).toBe('INVALID_ARGUMENT');
    expect(errorCode(() => topKAccuracy([0], m([[NaN, 1]]), 1))).toBe('NOT_FINITE');
  });
});

describe('argmax', () => {
  it('picks the highest score per row, the lowest class code on ties', () => {
    expect(
      Array.from(
        argmax(
          m([
            [0.1, 0.7, 0.2],
            [0.4, 0.2, 0.4],
            [0.3, 0.3, 0.3],
            [-5, -1, -3],
          ]),
        ),
      ),
    ).toEqual([1, 0, 0, 1]);
  });

  it('rejects empty and non-finite input', () => {
    expect(errorCode(() => argmax(new Matrix(0, 3)))).toBe('EMPTY');
    expect(errorCode(() => argmax(m([[0, Infinity]])))).toBe('NOT_FINITE');
  });
});
