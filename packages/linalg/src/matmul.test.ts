import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AliasError, ShapeError } from './errors.js';
import { gemmBlocked } from './kernels/blocked.js';
import { gemmNaive } from './kernels/naive.js';
import { Matrix } from './matrix.js';
import { matmul } from './matmul.js';
import type { KernelName } from './matmul.js';
import { Rng } from './rng.js';
import { enableRelaxedSimdOnNode20 } from './wasm/test-support.js';
import { wasmSupport } from './wasm/support.js';

enableRelaxedSimdOnNode20();

/** Every kernel this engine can run ('auto' included). */
const kernelNames: KernelName[] = [
  'naive',
  'blocked',
  'auto',
  ...(wasmSupport().simd ? (['simd'] as const) : []),
  ...(wasmSupport().relaxedSimd ? (['relaxed-simd'] as const) : []),
];
const transposeCases = [
  { transposeA: false, transposeB: false, label: 'A·B' },
  { transposeA: true, transposeB: false, label: 'Aᵀ·B' },
  { transposeA: false, transposeB: true, label: 'A·Bᵀ' },
  { transposeA: true, transposeB: true, label: 'Aᵀ·Bᵀ' },
];

/** op(A)·op(B) from nested arrays, written independently of the kernels. */
function reference(a: Matrix, b: Matrix, transA: boolean, transB: boolean): number[][] {
  const x = a.toArrays();
  const y = b.toArrays();
  const opA = (i: number, p: number) => (transA ? x[p]![i]! : x[i]![p]!);
  const opB = (p: number, j: number) => (transB ? y[j]![p]! : y[p]![j]!);
  const m = transA ? a.cols : a.rows;
  const k = transA ? a.rows : a.cols;
  const n = transB ? b.rows : b.cols;
  return Array.from({ length: m }, (_, i) =>
    Array.from({ length: n }, (_, j) => {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += opA(i, p) * opB(p, j);
      return sum;
    }),
  );
}

/** Equal within a relative tolerance, with NaN equal to NaN and infinities matched exactly. */
function close(actual: number, expected: number): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (!Number.isFinite(expected)) return actual === expected;
  return Math.abs(actual - expected) <= 1e-9 * (1 + Math.abs(expected));
}

function expectClose(actual: Matrix, expected: number[][]): void {
  expect(actual.rows).toBe(expected.length);
  actual.toArrays().forEach((row, i) =>
    row.forEach((v, j) => {
      if (!close(v, expected[i]![j]!)) {
        throw new Error(`element (${i}, ${j}) is ${v}, expected ${expected[i]![j]}`);
      }
    }),
  );
}

/** Dimensions around the kernels' edges: 0, 1, odd, and above the packing threshold (32). */
const dim = fc.oneof(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 31, max: 38 }));

/**
 * A random product problem. Values come from a seeded Rng (fast to generate for large shapes);
 * `zeros` is the share of exact zeros (one-hot and ReLU-like operands), `specials` the share of
 * NaN and ±∞.
 */
const problem = fc.record({
  m: dim,
  n: dim,
  k: dim,
  seed: fc.integer(),
  zerosA: fc.constantFrom(0, 0.5, 0.9, 1),
  zerosB: fc.constantFrom(0, 0.5),
  specials: fc.constantFrom(0, 0, 0.002, 0.02),
});

function randomMatrix(rows: number, cols: number, rng: Rng, zeros: number, specials: number) {
  const m = new Matrix(rows, cols);
  const extremes = [Number.NaN, Infinity, -Infinity];
  for (let i = 0; i < m.size; i++) {
    const u = rng.uniform();
    if (u < specials) m.data[i] = extremes[rng.int(3)]!;
    else if (u < specials + zeros) m.data[i] = 0;
    else m.data[i] = rng.uniformRange(-2, 2);
  }
  return m;
}

function operands(
  p: { m: number; n: number; k: number; seed: number; zerosA: number; zerosB: number },
  specials: number,
  transA: boolean,
  transB: boolean,
) {
  const rng = new Rng(p.seed);
  const a = transA
    ? randomMatrix(p.k, p.m, rng, p.zerosA, specials)
    : randomMatrix(p.m, p.k, rng, p.zerosA, specials);
  const b = transB
    ? randomMatrix(p.n, p.k, rng, p.zerosB, specials)
    : randomMatrix(p.k, p.n, rng, p.zerosB, specials);
  return { a, b };
}

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
    for (const kernel of kernelNames) {
      expect(matmul(a, b, { kernel }).toArrays()).toEqual([
        [19, 22],
        [43, 50],
      ]);
      expect(matmul(a, b, { kernel, transposeA: true }).toArrays()).toEqual([
        [26, 30],
        [38, 44],
      ]);
      expect(matmul(a, b, { kernel, transposeB: true }).toArrays()).toEqual([
        [17, 23],
        [39, 53],
      ]);
    }
  });

  for (const kernel of kernelNames) {
    for (const { transposeA, transposeB, label } of transposeCases) {
      it(`${kernel} computes ${label} like the reference on random shapes`, () => {
        fc.assert(
          fc.property(problem, (p) => {
            const { a, b } = operands(p, 0, transposeA, transposeB);
            const c = matmul(a, b, { kernel, transposeA, transposeB });
            expect(c.shape).toBe(`${p.m}×${p.n}`);
            expectClose(c, reference(a, b, transposeA, transposeB));
          }),
          { numRuns: 40 },
        );
      });
    }
  }

  const exactKernels = kernelNames.filter((k) => k === 'blocked' || k === 'simd');
  for (const kernel of exactKernels) {
    for (const { transposeA, transposeB, label } of transposeCases) {
      it(`${kernel} gives the naive kernel's bits for ${label}, NaN and ∞ included`, () => {
        // All three sum each element over p in increasing order, without fused multiply-adds, so
        // they agree exactly; a skipped zero product may only turn a −0 result into +0 or back,
        // which `+ 0` folds away.
        fc.assert(
          fc.property(problem, (p) => {
            const { a, b } = operands(p, p.specials, transposeA, transposeB);
            const naive = matmul(a, b, { kernel: 'naive', transposeA, transposeB });
            const other = matmul(a, b, { kernel, transposeA, transposeB });
            for (let i = 0; i < naive.size; i++) {
              expect(other.data[i]! + 0).toBe(naive.data[i]! + 0);
            }
          }),
          { numRuns: 60 },
        );
      });
    }
  }

  it('propagates NaN and ∞ as IEEE says, also past zeros of A', () => {
    for (const kernel of kernelNames) {
      // 0·∞ is NaN, so a zero in A must not hide an infinity in B.
      const a = Matrix.fromArrays([[0, 1]]);
      const b = Matrix.fromArrays([
        [Infinity, 1],
        [2, 3],
      ]);
      expect(matmul(a, b, { kernel }).toArrays()).toEqual([[Number.NaN, 3]]);
      expect(matmul(Matrix.fromArrays([[0]]), Matrix.fromArrays([[Number.NaN]]), { kernel }).get(0, 0)).toBeNaN(); // prettier-ignore
      expect(matmul(Matrix.fromArrays([[Infinity, 1]]), Matrix.fromArrays([[2], [3]]), { kernel }).get(0, 0)).toBe(Infinity); // prettier-ignore
      expect(matmul(Matrix.fromArrays([[1, 1]]), Matrix.fromArrays([[Infinity], [-Infinity]]), { kernel }).get(0, 0)).toBeNaN(); // prettier-ignore

      // Large one-hot operand (the zero-skipping paths) with one ∞ and one NaN in B.
      for (const size of [8, 40]) {
        const onehot = Matrix.zeros(size, size);
        for (let i = 0; i < size; i++) onehot.set(i, (i * 7) % size, 1);
        const weights = Matrix.filled(size, size, 0.5);
        weights.set(3, 2, Infinity);
        weights.set(5, 0, Number.NaN);
        const c = matmul(onehot, weights, { kernel });
        for (let i = 0; i < size; i++) {
          // Every row of the product meets row 3 and row 5 of B through a 0 or a 1.
          expect(c.get(i, 2)).toBe((i * 7) % size === 3 ? Infinity : Number.NaN);
          expect(c.get(i, 0)).toBeNaN();
          expect(c.get(i, 1)).toBe(0.5);
        }
      }
    }
  });

  it('writes into out, overwriting what was there', () => {
    const a = Matrix.fromArrays([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const b = Matrix.identity(3);
    for (const kernel of kernelNames) {
      const out = Matrix.filled(2, 3, Number.NaN);
      expect(matmul(a, b, { kernel, out })).toBe(out);
      expect(out.toArrays()).toEqual(a.toArrays());
      // An empty inner dimension gives zeros.
      const empty = Matrix.filled(2, 2, 7);
      matmul(Matrix.zeros(2, 0), Matrix.zeros(0, 2), { kernel, out: empty });
      expect(empty.toArrays()).toEqual([
        [0, 0],
        [0, 0],
      ]);
    }
  });

  it('refuses an out that shares memory with an operand', () => {
    const a = Matrix.fromArrays([
      [1, 2],
      [3, 4],
    ]);
    const b = Matrix.identity(2);
    expect(() => matmul(a, b, { out: a })).toThrow(AliasError);
    expect(() => matmul(a, b, { out: b })).toThrow(AliasError);
    const buffer = new Float64Array(8);
    const left = new Matrix(2, 2, buffer.subarray(0, 4));
    const overlapping = new Matrix(2, 2, buffer.subarray(2, 6));
    const separate = new Matrix(2, 2, buffer.subarray(4, 8));
    left.data.set([1, 2, 3, 4]);
    let error: unknown;
    try {
      matmul(left, b, { out: overlapping });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AliasError);
    expect((error as AliasError).code).toBe('ALIASED_OUTPUT');
    expect(matmul(left, b, { out: separate }).toArrays()).toEqual(left.toArrays());
  });

  it('names the operation and both shapes when they do not fit', () => {
    const a = Matrix.zeros(3, 4);
    const b = Matrix.zeros(5, 2);
    let error: unknown;
    try {
      matmul(a, b);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ShapeError);
    expect((error as ShapeError).code).toBe('SHAPE_MISMATCH');
    expect((error as ShapeError).message).toBe('matmul: cannot multiply 3×4 by 5×2');
    expect(() => matmul(a, b, { transposeA: true, transposeB: true })).toThrow(
      'matmul: cannot multiply 3×4ᵀ by 5×2ᵀ',
    );
    expect(() => matmul(a, Matrix.zeros(4, 2), { out: Matrix.zeros(2, 3) })).toThrow(
      'matmul: out is 2×3 but the product is 3×2',
    );
  });

  it('refuses an unknown kernel', () => {
    const a = Matrix.identity(2);
    expect(() => matmul(a, a, { kernel: 'gpu' as KernelName })).toThrow(RangeError);
  });
});

describe('gemm kernels on raw arrays', () => {
  it('overwrite c and leave the rest of a longer c alone', () => {
    for (const gemm of [gemmNaive, gemmBlocked]) {
      const a = new Float64Array([1, 2, 3, 4]); // 2×2
      const b = new Float64Array([1, 0, 0, 1]); // identity
      const c = new Float64Array(6).fill(-1);
      gemm(false, false, 2, 2, 2, a, b, c);
      expect(Array.from(c)).toEqual([1, 2, 3, 4, -1, -1]);
    }
  });
});

describe('blocked kernel buffers', () => {
  it('handles a product whose packed panels are too large to keep, then a small one', () => {
    const rng = new Rng(9);
    const a = randomMatrix(34, 1020, rng, 0.5, 0);
    const b = randomMatrix(1020, 1030, rng, 0, 0);
    const big = matmul(a, b, { kernel: 'blocked' });
    expect(big.data).toEqual(matmul(a, b, { kernel: 'naive' }).data);
    const small = randomMatrix(40, 40, rng, 0, 0);
    const blocked = matmul(small, small, { kernel: 'blocked' });
    expect(blocked.data).toEqual(matmul(small, small, { kernel: 'naive' }).data);
  });
});
