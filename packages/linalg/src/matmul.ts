import { AliasError, ShapeError, formatShape } from './errors.js';
import { gemmBlocked } from './kernels/blocked.js';
import type { Gemm } from './kernels/gemm.js';
import { gemmNaive } from './kernels/naive.js';
import { Matrix } from './matrix.js';
import { overlaps } from './memory.js';

/** The kernels `matmul` can run: `'blocked'` (default, fast) or `'naive'` (the reference). */
export type KernelName = 'naive' | 'blocked';

const kernels: Record<KernelName, Gemm> = {
  naive: gemmNaive,
  blocked: gemmBlocked,
};

/** Options of {@link matmul}. */
export interface MatmulOptions {
  /** Multiply by Aᵀ instead of A (the transpose is never materialised). */
  transposeA?: boolean;
  /** Multiply by Bᵀ instead of B (the transpose is never materialised). */
  transposeB?: boolean;
  /** Write the product here (it must have the product's shape and not share memory with A or B). */
  out?: Matrix;
  /** Which kernel computes the product; default `'blocked'`. */
  kernel?: KernelName;
}

/**
 * The matrix product op(A)·op(B), where op transposes when `transposeA` / `transposeB` is set.
 * Throws a `ShapeError` naming both shapes when the inner dimensions differ or `out` has the
 * wrong shape, and an `AliasError` when `out` shares memory with `a` or `b` (a product cannot be
 * computed in place).
 */
export function matmul(a: Matrix, b: Matrix, options: MatmulOptions = {}): Matrix {
  const transA = options.transposeA === true;
  const transB = options.transposeB === true;
  const m = transA ? a.cols : a.rows;
  const k = transA ? a.rows : a.cols;
  const kb = transB ? b.cols : b.rows;
  const n = transB ? b.rows : b.cols;
  if (k !== kb) {
    throw new ShapeError(
      `matmul: cannot multiply ${a.shape}${transA ? 'ᵀ' : ''} by ${b.shape}${transB ? 'ᵀ' : ''}`,
    );
  }
  let out = options.out;
  if (out === undefined) {
    out = new Matrix(m, n);
  } else {
    if (out.rows !== m || out.cols !== n) {
      throw new ShapeError(`matmul: out is ${out.shape} but the product is ${formatShape(m, n)}`);
    }
    if (overlaps(out.data, a.data) || overlaps(out.data, b.data)) {
      throw new AliasError('matmul: out shares memory with an operand; pass a separate matrix');
    }
  }
  const name = options.kernel ?? 'blocked';
  const gemm = kernels[name];
  if (gemm === undefined) throw new RangeError(`matmul: unknown kernel '${String(name)}'`);
  gemm(transA, transB, m, n, k, a.data, b.data, out.data);
  return out;
}
