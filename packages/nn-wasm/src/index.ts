/**
 * @scratchnet/nn-wasm — fast training engines for @scratchnet/nn. `twoLayerEngine()` runs every
 * pass of a network with one hidden ReLU layer (softmax or identity output) as one WebAssembly
 * SIMD call, in float64 (the reference's bits) or float32; pass it to nn's `fit` as `engine`.
 */
export { twoLayerEngine } from './two-layer-engine.js';
export type { TwoLayerEngineOptions } from './two-layer-engine.js';
export { TwoLayerPass } from './two-layer-pass.js';
export type {
  TwoLayerGradients,
  TwoLayerInputs,
  TwoLayerParameters,
  TwoLayerScores,
  TwoLayerShape,
} from './two-layer-pass.js';
export { KernelMemory, MAX_MEMORY_BYTES } from './kernel-memory.js';
export type { SparseRows } from './kernel-memory.js';
export { bestKernelVariant, kernelSupport } from './wasm.js';
