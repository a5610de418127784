import { Matrix } from '@scratchnet/linalg';
import { describe, expect, it } from 'vitest';
import { PROBABILITY_CLIP, computeLoss, lossFor, outputGradient } from './losses.js';

describe('lossFor', () => {
  it('pairs softmax and sigmoid with classification, identity with regression, nothing else', () => {
    expect(lossFor('classification', 'softmax')).toBe('cross-entropy');
    expect(lossFor('classification', 'sigmoid')).toBe('binary-cross-entropy');
    expect(lossFor('regression', 'identity')).toBe('squared-error');
    for (const a of ['relu', 'tanh', 'identity'] as const)
      expect(lossFor('classification', a)).toBeUndefined();
    for (const a of ['relu', 'tanh', 'sigmoid', 'softmax'] as const)
      expect(lossFor('regression', a)).toBeUndefined();
  });
});

describe('computeLoss', () => {
  it('cross-entropy: −Σ y·log(a) / m', () => {
    const a = Matrix.fromArrays([
      [0.5, 0.25, 0.25],
      [0.1, 0.8, 0.1],
    ]);
    const y = Matrix.fromArrays([
      [1, 0, 0],
      [0, 0, 1],
    ]);
    expect(computeLoss('cross-entropy', a, y)).toBeCloseTo(
      -(Math.log(0.5) + Math.log(0.1)) / 2,
      15,
    );
  });

  it('clips probabilities to [1e-15, 1 − 1e-15] as the original did', () => {
    const y = Matrix.fromArrays([[1, 0]]);
    // A certain, wrong answer costs −log(1e-15) ≈ 34.54, not Infinity.
    expect(computeLoss('cross-entropy', Matrix.fromArrays([[0, 1]]), y)).toBeCloseTo(
      -Math.log(PROBABILITY_CLIP),
      12,
    );
    expect(computeLoss('cross-entropy', Matrix.fromArrays([[0, 1]]), y)).toBeCloseTo(34.538776, 5);
    // A certain, right answer costs −log(1 − 1e-15) ≈ 1.1e-15, not exactly 0.
    expect(computeLoss('cross-entropy', Matrix.fromArrays([[1, 0]]), y)).toBeCloseTo(
      -Math.log(1 - 1e-15),
      25,
    );
    expect(
      computeLoss('binary-cross-entropy', Matrix.fromArrays([[0]]), Matrix.fromArrays([[1]])),
    ).toBeCloseTo(34.538776, 5);
    expect(
      computeLoss('binary-cross-entropy', Matrix.fromArrays([[1]]), Matrix.fromArrays([[0]])),
    ).toBe(-Math.log(1 - (1 - PROBABILITY_CLIP))); // 1 − (1 − 1e-15) is 9.992e-16 in doubles: ≈ 34.5396
  });

  it('binary cross-entropy: −Σ [y·log a + (1−y)·log(1−a)] / m', () => {
    const a = Matrix.fromArrays([[0.9], [0.3]]);
    const y = Matrix.fromArrays([[1], [0]]);
    expect(computeLoss('binary-cross-entropy', a, y)).toBeCloseTo(
      -(Math.log(0.9) + Math.log(0.7)) / 2,
      15,
    );
  });

  it('squared error: Σ (y − ŷ)² / (2m), summed over outputs', () => {
    const a = Matrix.fromArrays([
      [1, 2],
      [3, 4],
    ]);
    const y = Matrix.fromArrays([
      [0, 2],
      [3, 7],
    ]);
    expect(computeLoss('squared-error', a, y)).toBe((1 + 0 + 0 + 9) / 4);
  });
});

describe('outputGradient', () => {
  it('is (a − y) / m', () => {
    const a = Matrix.fromArrays([
      [0.75, 0.25],
      [0.5, 0.5],
    ]);
    const y = Matrix.fromArrays([
      [1, 0],
      [0, 1],
    ]);
    expect(outputGradient(a, y, Matrix.zeros(2, 2)).toArrays()).toEqual([
      [-0.125, 0.125],
      [0.25, -0.25],
    ]);
  });
});
