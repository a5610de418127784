/**
 * A general matrix multiply on raw row-major arrays, BLAS `dgemm`-like with α = 1, β = 0:
 * `c ← op(a) · op(b)`, where op(a) is m×k and op(b) is k×n, and c (m×n) is overwritten.
 *
 * - `transA = false`: `a` holds an m×k matrix (row stride k); `true`: `a` holds a k×m matrix
 *   (row stride m) and op(a) is its transpose.
 * - `transB = false`: `b` holds a k×n matrix (row stride n); `true`: `b` holds an n×k matrix
 *   (row stride k) and op(b) is its transpose.
 *
 * `c` must not overlap `a` or `b`. Every kernel (naive, blocked, and later WebAssembly ones) has
 * this signature so they can be swapped behind `matmul`.
 */
export type Gemm = (
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
) => void;
