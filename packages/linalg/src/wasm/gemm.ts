import type { FloatArray } from '../dtype.js';
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

/** Each `WasmArena`'s runtime, by the memory buffer its matrices view. */
const arenaRuntimes = new WeakMap<ArrayBufferLike, WasmGemmRuntime>();

/** Lets products on an arena's matrices run in the arena's own memory, without copies. */
export function registerArena(runtime: WasmGemmRuntime): void {
  arenaRuntimes.set(runtime.memory.buffer, runtime);
}

/** The arena runtime whose memory `x` views, if any. */
export function arenaRuntimeOf(x: FloatArray): WasmGemmRuntime | undefined {
  return arenaRuntimes.get(x.buffer);
}

/** The calling thread's runtime of a variant: one private memory, created on first use. */
export function runtime(variant: SimdVariant): WasmGemmRuntime {
  let r = runtimes.get(variant);
  if (r === undefined) {
    r = new WasmGemmRuntime(variant, false);
    runtimes.set(variant, r);
  }
  return r;
}

/**
 * The runtime that computes a product: the arena's, when the product or an operand lives in an
 * arena of this variant (those operands are then read and written in place), else the shared one.
 */
function runtimeFor(
  variant: SimdVariant,
  a: FloatArray,
  b: FloatArray,
  c: FloatArray,
): WasmGemmRuntime {
  const r =
    arenaRuntimes.get(c.buffer) ?? arenaRuntimes.get(a.buffer) ?? arenaRuntimes.get(b.buffer);
  return r !== undefined && r.variant === variant ? r : runtime(variant);
}

/**
 * The WebAssembly SIMD kernel, float64 (see {@link Gemm}). Copies `a` and `b` into WebAssembly
 * memory and the product back out on every call (those copies are part of its cost), except for
 * matrices that live in a `WasmArena`, which it reads and writes in place. Throws a
 * `WasmUnavailableError` where the engine has no WebAssembly SIMD.
 */
export const gemmSimd: Gemm = (transA, transB, m, n, k, a, b, c) =>
  runtimeFor('simd', a, b, c).gemm('f64', transA, transB, m, n, k, a, b, c);

/**
 * The WebAssembly relaxed-SIMD kernel (fused multiply-add), float64. As {@link gemmSimd}; throws
 * a `WasmUnavailableError` where relaxed SIMD does not validate (Node 20 without
 * `--experimental-wasm-relaxed-simd`). Fused rounding makes results differ from the other
 * kernels in the last bits.
 */
export const gemmRelaxedSimd: Gemm = (transA, transB, m, n, k, a, b, c) =>
  runtimeFor('relaxed-simd', a, b, c).gemm('f64', transA, transB, m, n, k, a, b, c);

/** The WebAssembly SIMD kernel, float32 (see {@link gemmSimd}). */
export const gemmSimdF32: GemmF32 = (transA, transB, m, n, k, a, b, c) =>
  runtimeFor('simd', a, b, c).gemm('f32', transA, transB, m, n, k, a, b, c);

/** The WebAssembly relaxed-SIMD kernel, float32 (see {@link gemmRelaxedSimd}). */
export const gemmRelaxedSimdF32: GemmF32 = (transA, transB, m, n, k, a, b, c) =>
  runtimeFor('relaxed-simd', a, b, c).gemm('f32', transA, transB, m, n, k, a, b, c);
