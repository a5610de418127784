import { describe, expect, it } from 'vitest';
import { Matrix } from './matrix.js';
import { matmul } from './matmul.js';

describe('matmul', () => {
  it('multiplies a small example', () => {
    const a = Matrix.fromArrays([
      [1, 2],
      [3, 4],
    ]);
    const b = Matrix.fromArrays([
      [5, 6],
      [7, 8],
    ]);
    expect(matmul(a, b).toArrays()).toEqual([
      [19, 22],
      [43, 50],
    ]);
  });
});
