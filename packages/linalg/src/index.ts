/**
 * @scratchnet/linalg — row-major matrices (float64, or float32 for products), element-wise and
 * row/column operations, a seeded random generator, and matrix-product kernels: TypeScript, and
 * WebAssembly SIMD (float64 and float32, optionally on worker threads). Depends on nothing.
 */
export { AliasError, ShapeError, formatShape } from './errors.js';
export { Matrix } from './matrix.js';
export { Rng } from './rng.js';
export type { Dtype, FloatArray } from './dtype.js';
export { SMALL_PRODUCT, matmul } from './matmul.js';
export type { KernelName, MatmulOptions } from './matmul.js';
export {
  add,
  addRowVector,
  argmaxRows,
  axpy,
  map,
  maxRows,
  multiply,
  scale,
  subtract,
  sumColumns,
  transpose,
} from './ops.js';
export type { Gemm } from './kernels/gemm.js';
export { gemmNaive } from './kernels/naive.js';
export { gemmBlocked } from './kernels/blocked.js';
export { gemmRelaxedSimd, gemmRelaxedSimdF32, gemmSimd, gemmSimdF32 } from './wasm/gemm.js';
export type { GemmF32 } from './wasm/gemm.js';
export { MatmulPool } from './wasm/pool.js';
export type { MatmulPoolOptions } from './wasm/pool.js';
export { WasmUnavailableError, wasmSupport } from './wasm/support.js';
export type { SimdVariant, WasmSupport } from './wasm/support.js';
