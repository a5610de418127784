import { dtypeOf } from './dtype.js';
import type { Dtype, FloatArray } from './dtype.js';
import { AliasError, ShapeError, formatShape } from './errors.js';
import { gemmBlocked } from './kernels/blocked.js';
import type { Gemm } from './kernels/gemm.js';
import { gemmNaive } from './kernels/naive.js';
import { Matrix } from './matrix.js';
import { overlaps } from './memory.js';
import { gemmRelaxedSimd, gemmRelaxedSimdF32, gemmSimd, gemmSimdF32 } from './wasm/gemm.js';
import type { GemmF32 } from './wasm/gemm.js';
import { bestVariant } from './wasm/support.js';

/**
 * The kernels `matmul` can run:
 * - `'auto'` (default): the WebAssembly relaxed-SIMD kernel where the engine validates it, else
 *   the WebAssembly SIMD kernel, else `'blocked'`; products under {@link SMALL_PRODUCT}
 *   multiply-adds always take the TypeScript path, where calling into WebAssembly costs more;
 * - `'simd'`, `'relaxed-simd'`: the WebAssembly kernels (a `WasmUnavailableError` where missing);
 * - `'blocked'`: the register-blocked TypeScript kernel (float64 only);
 * - `'naive'`: the reference triple loop.
 */
export type KernelName = 'auto' | 'naive' | 'blocked' | 'simd' | 'relaxed-simd';

/** Products with fewer multiply-adds (m·n·k) than this stay in TypeScript under `'auto'`. */
export const SMALL_PRODUCT = 512;

/** Options of {@link matmul}. */
export interface MatmulOptions<D extends FloatArray = Float64Array> {
  /** Multiply by Aᵀ instead of A (the transpose is never materialised). */
  transposeA?: boolean;
  /** Multiply by Bᵀ instead of B (the transpose is never materialised). */
  transposeB?: boolean;
  /**
   * Write the product here (it must have the product's shape and element type and not share
   * memory with A or B).
   */
  out?: Matrix<D>;
  /** Which kernel computes the product; default `'auto'`. */
  kernel?: KernelName;
}

/** A product's dimensions once `checkProduct` accepted it. */
export interface Product<D extends FloatArray> {
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  dtype: Dtype;
  out: Matrix<D>;
}

/**
 * Checks op(A)·op(B) for `caller` and returns its dimensions and output matrix (`options.out`,
 * or a new one of A's element type). Throws a `ShapeError` when the inner dimensions differ or
 * `out` has the wrong shape, a `TypeError` when the element types differ, and an `AliasError`
 * when `out` shares memory with `a` or `b`.
 */
export function checkProduct<D extends FloatArray>(
  caller: string,
  a: Matrix<D>,
  b: Matrix<D>,
  options: MatmulOptions<D>,
): Product<D> {
  const transA = options.transposeA === true;
  const transB = options.transposeB === true;
  const m = transA ? a.cols : a.rows;
  const k = transA ? a.rows : a.cols;
  const kb = transB ? b.cols : b.rows;
  const n = transB ? b.rows : b.cols;
  if (k !== kb) {
    throw new ShapeError(
      `${caller}: cannot multiply ${a.shape}${transA ? 'ᵀ' : ''} by ${b.shape}${transB ? 'ᵀ' : ''}`,
    );
  }
  const dtype = dtypeOf(a.data);
  if (dtypeOf(b.data) !== dtype) {
    throw new TypeError(`${caller}: A is ${dtype} but B is ${dtypeOf(b.data)}; convert one`);
  }
  let out = options.out;
  if (out === undefined) {
    const data = dtype === 'f64' ? new Float64Array(m * n) : new Float32Array(m * n);
    out = new Matrix(m, n, data as D);
  } else {
    if (out.rows !== m || out.cols !== n) {
      throw new ShapeError(
        `${caller}: out is ${out.shape} but the product is ${formatShape(m, n)}`,
      );
    }
    if (dtypeOf(out.data) !== dtype) {
      throw new TypeError(`${caller}: out is ${dtypeOf(out.data)} but the operands are ${dtype}`);
    }
    if (overlaps(out.data, a.data) || overlaps(out.data, b.data)) {
      throw new AliasError(`${caller}: out shares memory with an operand; pass a separate matrix`);
    }
  }
  return { m, n, k, transA, transB, dtype, out };
}

const f64Kernels: Record<Exclude<KernelName, 'auto'>, Gemm> = {
  naive: gemmNaive,
  blocked: gemmBlocked,
  simd: gemmSimd,
  'relaxed-simd': gemmRelaxedSimd,
};

// The naive loop reads float32 values into doubles, sums in float64 and rounds once on store.
const f32Kernels: Record<Exclude<KernelName, 'auto' | 'blocked'>, GemmF32> = {
  naive: gemmNaive as unknown as GemmF32,
  simd: gemmSimdF32,
  'relaxed-simd': gemmRelaxedSimdF32,
};

/** The kernel `name` stands for on a product of `work` multiply-adds. */
export function resolveKernel(
  name: KernelName,
  dtype: Dtype,
  work: number,
): Exclude<KernelName, 'auto'> {
  if (name !== 'auto') return name;
  const fast = work < SMALL_PRODUCT ? undefined : bestVariant();
  if (fast !== undefined) return fast;
  return dtype === 'f64' ? 'blocked' : 'naive';
}

/**
 * The matrix product op(A)·op(B), where op transposes when `transposeA` / `transposeB` is set,
 * of two float64 or two float32 matrices (the product has their element type). Throws a
 * `ShapeError` naming both shapes when the inner dimensions differ or `out` has the wrong shape,
 * a `TypeError` when element types differ, an `AliasError` when `out` shares memory with `a` or
 * `b` (a product cannot be computed in place), a `RangeError` for an unknown kernel or
 * `'blocked'` on float32, and a `WasmUnavailableError` when a WebAssembly kernel is forced on an
 * engine without it.
 */
export function matmul(a: Matrix, b: Matrix, options?: MatmulOptions): Matrix;
export function matmul(
  a: Matrix<Float32Array>,
  b: Matrix<Float32Array>,
  options?: MatmulOptions<Float32Array>,
): Matrix<Float32Array>;
export function matmul(
  a: Matrix<FloatArray>,
  b: Matrix<FloatArray>,
  options: MatmulOptions<FloatArray> = {},
): Matrix<FloatArray> {
  const { m, n, k, transA, transB, dtype, out } = checkProduct('matmul', a, b, options);
  const requested = options.kernel ?? 'auto';
  const name = resolveKernel(requested, dtype, m * n * k);
  if (dtype === 'f64') {
    const gemm = Object.hasOwn(f64Kernels, name) ? f64Kernels[name] : undefined;
    if (gemm === undefined) throw new RangeError(`matmul: unknown kernel '${String(requested)}'`);
    gemm(
      transA,
      transB,
      m,
      n,
      k,
      a.data as Float64Array,
      b.data as Float64Array,
      out.data as Float64Array,
    );
  } else {
    const gemm = Object.hasOwn(f32Kernels, name)
      ? f32Kernels[name as keyof typeof f32Kernels]
      : undefined;
    if (gemm === undefined) {
      throw new RangeError(
        name === 'blocked'
          ? "matmul: the 'blocked' kernel is float64 only (use 'auto', 'simd', 'relaxed-simd' or 'naive')"
          : `matmul: unknown kernel '${String(requested)}'`,
      );
    }
    gemm(
      transA,
      transB,
      m,
      n,
      k,
      a.data as Float32Array,
      b.data as Float32Array,
      out.data as Float32Array,
    );
  }
  return out;
}
