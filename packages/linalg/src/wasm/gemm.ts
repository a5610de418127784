import type { Gemm } from '../kernels/gemm.js';
import { WasmGemmRuntime } from './runtime.js';
import type { SimdVariant } from './support.js';

/** {@link Gemm} on float32 arrays: `c ← op(a)·op(b)` with the same argument convention. */
export type GemmF32 = (
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
) => void;

const runtimes = new Map<SimdVariant, WasmGemmRuntime>();

/** The calling thread's runtime of a variant: one private memory, created on first use. */
function runtime(variant: SimdVariant): WasmGemmRuntime {
  let r = runtimes.get(variant);
  if (r === undefined) {
    r = new WasmGemmRuntime(variant, false);
    runtimes.set(variant, r);
  }
  return r;
}

/**
 * The WebAssembly SIMD kernel, float64 (see {@link Gemm}). Copies `a` and `b` into WebAssembly
 * memory and the product back out on every call (those copies are part of its cost). Throws a
 * `WasmUnavailableError` where the engine has no WebAssembly SIMD.
 */
export const gemmSimd: Gemm = (transA, transB, m, n, k, a, b, c) =>
  runtime('simd').gemm('f64', transA, transB, m, n, k, a, b, c);

/**
 * The WebAssembly relaxed-SIMD kernel (fused multiply-add), float64. As {@link gemmSimd}; throws
 * a `WasmUnavailableError` where relaxed SIMD does not validate (Node 20 without
 * `--experimental-wasm-relaxed-simd`). Fused rounding makes results differ from the other
 * kernels in the last bits.
 */
export const gemmRelaxedSimd: Gemm = (transA, transB, m, n, k, a, b, c) =>
  runtime('relaxed-simd').gemm('f64', transA, transB, m, n, k, a, b, c);

/** The WebAssembly SIMD kernel, float32 (see {@link gemmSimd}). */
export const gemmSimdF32: GemmF32 = (transA, transB, m, n, k, a, b, c) =>
  runtime('simd').gemm('f32', transA, transB, m, n, k, a, b, c);

/** The WebAssembly relaxed-SIMD kernel, float32 (see {@link gemmRelaxedSimd}). */
export const gemmRelaxedSimdF32: GemmF32 = (transA, transB, m, n, k, a, b, c) =>
  runtime('relaxed-simd').gemm('f32', transA, transB, m, n, k, a, b, c);
