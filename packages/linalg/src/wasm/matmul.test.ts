import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gemmNaive } from '../kernels/naive.js';
import { SMALL_PRODUCT, matmul, resolveKernel } from '../matmul.js';
import type { KernelName } from '../matmul.js';
import { Matrix } from '../matrix.js';
import { MatmulPool } from './pool.js';
import { WasmUnavailableError, wasmSupport } from './support.js';
import { enableRelaxedSimdOnNode20, errorInBounds, smallCase, values } from './test-support.js';

enableRelaxedSimdOnNode20();

const f32Kernels: KernelName[] = [
  'auto',
  'naive',
  ...(wasmSupport().simd ? (['simd'] as const) : []),
  ...(wasmSupport().relaxedSimd ? (['relaxed-simd'] as const) : []),
];

/** op(A)·op(B) of float32 matrices, with A and B stored as the transposes ask. */
function f32Operands(
  c: { m: number; n: number; k: number; transA: boolean; transB: boolean },
  seed: number,
) {
  const a = Float32Array.from(values(c.m * c.k, seed));
  const b = Float32Array.from(values(c.k * c.n, seed + 1));
  return {
    a: c.transA ? new Matrix(c.k, c.m, a) : new Matrix(c.m, c.k, a),
    b: c.transB ? new Matrix(c.n, c.k, b) : new Matrix(c.k, c.n, b),
  };
}

describe('matmul on float32 matrices', () => {
  for (const kernel of f32Kernels) {
    it(`${kernel}: a float32 product within float32 rounding of the float64 reference`, () => {
      fc.assert(
        fc.property(smallCase(40), fc.nat(), (c, seed) => {
          const { a, b } = f32Operands(c, seed);
          const out = matmul(a, b, { transposeA: c.transA, transposeB: c.transB, kernel });
          expect(out.data).toBeInstanceOf(Float32Array);
          expect(out.dtype).toBe('f32');
          expect(out.shape).toBe(`${c.m}×${c.n}`);
          const a64 = Float64Array.from(a.data);
          const b64 = Float64Array.from(b.data);
          if (kernel === 'naive') {
            // Sums in float64 and rounds once: exactly the float64 product, rounded.
            const ref = new Float64Array(c.m * c.n);
            gemmNaive(c.transA, c.transB, c.m, c.n, c.k, a64, b64, ref);
            expect(out.data).toEqual(Float32Array.from(ref));
          } else {
            expect(errorInBounds(c, a64, b64, out.data, 2 ** -24)).toBeLessThan(1);
          }
        }),
        { numRuns: 60 },
      );
    });
  }

  it('makes float32 zeros, writes into a float32 out, refuses mixed element types', () => {
    const a = Matrix.zeros(2, 3, 'f32');
    a.data.set([1, 2, 3, 4, 5, 6]);
    const out = Matrix.zeros(2, 2, 'f32');
    expect(matmul(a, a, { transposeB: true, out })).toBe(out);
    expect(out.toArrays()).toEqual([
      [14, 32],
      [32, 77],
    ]);
    const f64 = Matrix.zeros(3, 2);
    expect(() => matmul(a as unknown as Matrix, f64)).toThrow(
      'matmul: A is f32 but B is f64; convert one',
    );
    expect(() =>
      matmul(a, a, {
        transposeB: true,
        out: Matrix.zeros(2, 2) as unknown as Matrix<Float32Array>,
      }),
    ).toThrow('matmul: out is f64 but the operands are f32');
    expect(() => matmul(a, a, { transposeB: true, kernel: 'blocked' })).toThrow(/float64 only/);
    expect(() => Matrix.zeros(1, 1, 'f16' as 'f32')).toThrow(RangeError);
  });
});

describe("matmul's automatic kernel choice", () => {
  it('takes relaxed SIMD where it validates, else SIMD, and TypeScript for tiny products', () => {
    const fast = wasmSupport().relaxedSimd
      ? 'relaxed-simd'
      : wasmSupport().simd
        ? 'simd'
        : undefined;
    expect(resolveKernel('auto', 'f64', SMALL_PRODUCT)).toBe(fast ?? 'blocked');
    expect(resolveKernel('auto', 'f32', 10 ** 6)).toBe(fast ?? 'naive');
    expect(resolveKernel('auto', 'f64', SMALL_PRODUCT - 1)).toBe('blocked');
    expect(resolveKernel('auto', 'f32', 8)).toBe('naive');
    expect(resolveKernel('naive', 'f64', 10 ** 9)).toBe('naive');
  });

  it('computes the network’s products like the naive kernel', () => {
    for (const [m, n, k, transposeA] of [
      [3000, 16, 10, false],
      [10, 16, 3000, true],
    ] as const) {
      const a = new Matrix(transposeA ? k : m, transposeA ? m : k, values(m * k, 3));
      const b = new Matrix(k, n, values(k * n, 4));
      const auto = matmul(a, b, { transposeA });
      const naive = matmul(a, b, { transposeA, kernel: 'naive' });
      auto.data.forEach((v, i) => expect(Math.abs(v - naive.data[i]!)).toBeLessThan(1e-12));
    }
  });

  it.skipIf(wasmSupport().simd)(
    'reports a forced WebAssembly kernel on an engine without it',
    () => {
      expect(() => matmul(Matrix.identity(9), Matrix.identity(9), { kernel: 'simd' })).toThrow(
        WasmUnavailableError,
      );
    },
  );
});

describe.skipIf(!wasmSupport().sharedMemory)('MatmulPool.matmul', () => {
  it('multiplies Matrix objects like matmul, float64 and float32, with the same checks', async () => {
    const pool = MatmulPool.create({ threads: 2, minParallelWork: 0 });
    try {
      const a = new Matrix(37, 21, values(37 * 21, 1));
      const b = new Matrix(29, 21, values(29 * 21, 2));
      const c = pool.matmul(a, b, { transposeB: true });
      const ref = matmul(a, b, { transposeB: true, kernel: 'naive' });
      c.data.forEach((v, i) => expect(Math.abs(v - ref.data[i]!)).toBeLessThan(1e-12));
      const a32 = new Matrix(37, 21, Float32Array.from(a.data));
      const b32 = new Matrix(29, 21, Float32Array.from(b.data));
      const c32 = pool.matmul(a32, b32, { transposeB: true });
      expect(c32.data).toBeInstanceOf(Float32Array);
      c32.data.forEach((v, i) => expect(Math.abs(v - ref.data[i]!)).toBeLessThan(1e-4));
      expect(() => pool.matmul(a, b)).toThrow('MatmulPool.matmul: cannot multiply 37×21 by 29×21');
    } finally {
      await pool.close();
    }
  });
});
