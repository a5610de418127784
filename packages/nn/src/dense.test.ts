import { Matrix, Rng, addRowVector, scale, subtract, sumColumns } from '@scratchnet/linalg';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { activate, activationBackward } from './activations.js';
import {
  addBiasActivate,
  crossEntropyAndAccuracy,
  crossEntropyAt,
  lossAndOutputGradient,
  outputGradientAndSums,
  reluBackwardAndSums,
  targetNonzeros,
} from './dense.js';
import { computeLoss } from './losses.js';
import { accuracy } from './scores.js';

/**
 * A rows×cols matrix of seeded values in [−2, 2), with about `zeros` of them set to 0 and, with
 * `specials`, about 1 in 10 of them NaN, ∞ or −∞.
 */
function random(rows: number, cols: number, seed: number, zeros = 0, specials = false): Matrix {
  const rng = new Rng(seed);
  const m = Matrix.zeros(rows, cols);
  const extremes = [NaN, Infinity, -Infinity];
  for (let i = 0; i < m.data.length; i++) {
    m.data[i] = rng.uniform() < zeros ? 0 : rng.uniformRange(-2, 2);
    if (specials && rng.int(10) === 0) m.data[i] = extremes[rng.int(3)]!;
  }
  return m;
}

const shapes = fc.record({
  rows: fc.integer({ min: 1, max: 40 }),
  n: fc.integer({ min: 1, max: 12 }),
  seed: fc.integer({ min: 0, max: 1e6 }),
  zeros: fc.constantFrom(0, 0.5, 0.9, 1),
  specials: fc.boolean(),
});

// Fused passes promise the same bits as the separate operations they replace.
const sameBits = (actual: Matrix, expected: Matrix) =>
  expect(Array.from(actual.data)).toEqual(Array.from(expected.data));

describe('fused element-wise passes', () => {
  it('bias + relu and bias + softmax match addRowVector then activate (property)', () => {
    fc.assert(
      fc.property(shapes, ({ rows, n, seed, zeros, specials }) => {
        for (const activation of ['relu', 'softmax'] as const) {
          const z = random(rows, n + 1, seed, zeros, specials);
          const b = random(1, n + 1, seed + 1);
          const expectedZ = addRowVector(z, b);
          const expectedA = activate(activation, expectedZ, Matrix.zeros(rows, n + 1));
          const a = Matrix.zeros(rows, n + 1);
          addBiasActivate(activation, z, b, a);
          sameBits(z, expectedZ);
          sameBits(a, expectedA);
        }
      }),
    );
  });

  it('relu propagates NaN (never a silent 0), in the fused pass and in activate alike', () => {
    const z = Matrix.fromArrays([[NaN, -Infinity, Infinity, -1]]);
    const fused = Matrix.zeros(1, 4);
    addBiasActivate('relu', z.clone(), Matrix.zeros(1, 4), fused);
    const plain = activate('relu', z, Matrix.zeros(1, 4));
    expect(Array.from(plain.data)).toEqual([NaN, NaN, Infinity, 0]);
    expect(Array.from(fused.data)).toEqual(Array.from(plain.data));
  });

  it('relu gives +0, never −0, for negative and zero inputs', () => {
    const z = Matrix.fromArrays([[-3, -0, 0, 2]]);
    const a = Matrix.zeros(1, 4);
    addBiasActivate('relu', z, Matrix.zeros(1, 4), a);
    expect(Array.from(a.data)).toEqual([0, 0, 0, 2]);
    expect(Object.is(a.data[0], 0) && Object.is(a.data[1], 0)).toBe(true);
  });

  it('the output gradient and its column sums match subtract, scale and sumColumns (property)', () => {
    fc.assert(
      fc.property(shapes, ({ rows, n, seed }) => {
        const a = random(rows, n, seed);
        const y = random(rows, n, seed + 1, 0.8);
        const expected = scale(subtract(a, y), 1 / rows);
        const dz = Matrix.zeros(rows, n);
        const db = Matrix.zeros(1, n);
        outputGradientAndSums(a, y, dz, db);
        sameBits(dz, expected);
        sameBits(db, sumColumns(expected));
      }),
    );
  });

  it('the relu backward step and its column sums match activationBackward and sumColumns (property)', () => {
    fc.assert(
      fc.property(shapes, ({ rows, n, seed, zeros, specials }) => {
        const z = random(rows, n, seed, zeros, specials);
        const da = random(rows, n, seed + 1, 0, specials);
        const expected = activationBackward('relu', z, z, da, Matrix.zeros(rows, n));
        const db = Matrix.zeros(1, n);
        reluBackwardAndSums(z, da, db);
        sameBits(da, expected);
        sameBits(db, sumColumns(expected));
      }),
    );
  });

  it('the fused loss and output gradient match computeLoss and outputGradientAndSums (property)', () => {
    fc.assert(
      fc.property(shapes, ({ rows, n, seed, zeros }) => {
        for (const loss of ['cross-entropy', 'binary-cross-entropy', 'squared-error'] as const) {
          // Probabilities in [0, 1] (some exactly 0 or 1, to hit the clipping) and 0/1 targets.
          const a = random(rows, n, seed, zeros);
          a.data.forEach(
            (v, i) => (a.data[i] = Math.min(1, Math.abs(v) / 2 + (i % 7 === 3 ? 1 : 0))),
          );
          const y = random(rows, n, seed + 1, 0.7);
          y.data.forEach((v, i) => (y.data[i] = v === 0 ? 0 : 1));
          const dz = Matrix.zeros(rows, n);
          const db = Matrix.zeros(1, n);
          const expectedDz = Matrix.zeros(rows, n);
          const expectedDb = Matrix.zeros(1, n);
          outputGradientAndSums(a, y, expectedDz, expectedDb);
          expect(
            Object.is(lossAndOutputGradient(loss, a, y, dz, db), computeLoss(loss, a, y)),
          ).toBe(true);
          if (loss === 'cross-entropy') {
            // From y's nonzeros alone: the same terms in the same order.
            expect(Object.is(crossEntropyAt(a, targetNonzeros(y)), computeLoss(loss, a, y))).toBe(
              true,
            );
          }
          sameBits(dz, expectedDz);
          sameBits(db, expectedDb);
        }
      }),
    );
  });

  it('the fused validation scores match computeLoss and accuracy (property)', () => {
    fc.assert(
      fc.property(shapes, ({ rows, n, seed, zeros }) => {
        // Softmax-like outputs with ties (rounded to tenths) and one-hot or all-zero targets.
        const a = random(rows, n + 1, seed, zeros);
        a.data.forEach((v, i) => (a.data[i] = Math.round(Math.abs(v) * 5) / 10));
        const rng = new Rng(seed + 1);
        const y = Matrix.zeros(rows, n + 1);
        for (let i = 0; i < rows; i++) {
          if (rng.uniform() < 0.9) y.set(i, rng.int(n + 1), 1);
        }
        const scores = { loss: NaN, accuracy: NaN };
        crossEntropyAndAccuracy(a, y, scores);
        expect(Object.is(scores.loss, computeLoss('cross-entropy', a, y))).toBe(true);
        expect(scores.accuracy).toBe(accuracy(a, y));
      }),
    );
  });
});
