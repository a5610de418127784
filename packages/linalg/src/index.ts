/**
 * @scratchnet/linalg — row-major float64 matrices, a seeded random generator, and the matrix
 * kernels a small neural network trains on. Depends on nothing.
 */
export { AliasError, ShapeError, formatShape } from './errors.js';
export { Matrix } from './matrix.js';
export { Rng } from './rng.js';
export { matmul } from './matmul.js';
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
