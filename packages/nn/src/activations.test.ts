import { Matrix } from '@scratchnet/linalg';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { activate, activationBackward, sigmoid } from './activations.js';

const row = (values: number[]) => Matrix.fromArrays([values]);

describe('activate', () => {
  it('computes relu, sigmoid, tanh and identity element by element', () => {
    const z = row([-2, 0, 0.5, 3]);
    const out = Matrix.zeros(1, 4);
    expect(Array.from(activate('relu', z, out).data)).toEqual([0, 0, 0.5, 3]);
    expect(Array.from(activate('identity', z, out).data)).toEqual([-2, 0, 0.5, 3]);
    activate('sigmoid', z, out).data.forEach((v, i) =>
      expect(v).toBeCloseTo(1 / (1 + Math.exp(-z.data[i]!)), 15),
    );
    activate('tanh', z, out).data.forEach((v, i) => expect(v).toBe(Math.tanh(z.data[i]!)));
  });

  it('keeps sigmoid finite and accurate at extreme inputs', () => {
    expect(sigmoid(-800)).toBe(0);
    expect(sigmoid(800)).toBe(1);
    expect(sigmoid(-40)).toBeCloseTo(Math.exp(-40), 30);
    expect(sigmoid(0)).toBe(0.5);
  });

  it('computes softmax stably: huge logits give the same answer as small ones', () => {
    const small = activate('softmax', row([1, 2, 3]), Matrix.zeros(1, 3));
    const huge = activate('softmax', row([1001, 1002, 1003]), Matrix.zeros(1, 3));
    const e = [Math.exp(1), Math.exp(2), Math.exp(3)];
    const s = e[0]! + e[1]! + e[2]!;
    small.data.forEach((v, i) => expect(v).toBeCloseTo(e[i]! / s, 15));
    huge.data.forEach((v, i) => expect(v).toBeCloseTo(small.data[i]!, 15));
    expect(Array.from(activate('softmax', row([-1e308, 1e308]), Matrix.zeros(1, 2)).data)).toEqual([
      0, 1,
    ]);
  });

  it('softmax rows are probabilities and ignore a constant added to the row (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 2, maxLength: 6 }),
        fc.double({ min: -500, max: 500, noNaN: true }),
        (logits, shift) => {
          const p = activate('softmax', row(logits), Matrix.zeros(1, logits.length));
          const q = activate(
            'softmax',
            row(logits.map((v) => v + shift)),
            Matrix.zeros(1, logits.length),
          );
          expect(p.data.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
          p.data.forEach((v, i) => {
            expect(v).toBeGreaterThanOrEqual(0);
            expect(q.data[i]).toBeCloseTo(v, 9);
          });
        },
      ),
    );
  });

  it('works row by row and in place', () => {
    const z = Matrix.fromArrays([
      [0, 0],
      [0, Math.log(3)],
    ]);
    activate('softmax', z, z);
    expect(z.get(0, 0)).toBe(0.5);
    expect(z.get(1, 0)).toBeCloseTo(0.25, 15);
    expect(z.get(1, 1)).toBeCloseTo(0.75, 15);
  });
});

describe('activationBackward', () => {
  it('multiplies da by each derivative', () => {
    const z = row([-1, 0, 2]);
    const da = row([10, 10, 10]);
    const out = Matrix.zeros(1, 3);
    // ReLU: [z > 0], so the kink at 0 passes nothing.
    expect(Array.from(activationBackward('relu', z, z, da, out).data)).toEqual([0, 0, 10]);
    const s = activate('sigmoid', z, Matrix.zeros(1, 3));
    activationBackward('sigmoid', z, s, da, out).data.forEach((v, i) =>
      expect(v).toBeCloseTo(10 * sigmoid(z.data[i]!) * (1 - sigmoid(z.data[i]!)), 14),
    );
    const t = activate('tanh', z, Matrix.zeros(1, 3));
    activationBackward('tanh', z, t, da, out).data.forEach((v, i) =>
      expect(v).toBeCloseTo(10 / Math.cosh(z.data[i]!) ** 2, 13),
    );
    expect(Array.from(activationBackward('identity', z, z, da, out).data)).toEqual([10, 10, 10]);
    expect(() => activationBackward('softmax', z, z, da, out)).toThrow(/only allowed as an output/);
  });
});

describe('ReLU as max(0, z)', () => {
  it('keeps a NaN a NaN, gives +0 (never −0) for zero and negative inputs, and slope 0 at the kink', () => {
    const z = Matrix.fromArrays([[NaN, -0, 0, -2, 3]]);
    const a = activate('relu', z, Matrix.zeros(1, 5));
    expect(Number.isNaN(a.data[0])).toBe(true);
    expect([1, 2, 3].map((i) => Object.is(a.data[i], 0))).toEqual([true, true, true]);
    expect(a.data[4]).toBe(3);
    const dz = activationBackward(
      'relu',
      z,
      a,
      Matrix.fromArrays([[5, 5, 5, 5, 5]]),
      Matrix.zeros(1, 5),
    );
    expect(Array.from(dz.data)).toEqual([0, 0, 0, 0, 5]);
  });
});
