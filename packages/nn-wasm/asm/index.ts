// The module @scratchnet/nn-wasm ships: the two-layer passes and the maths their tests check.

export { twoLayer32, twoLayer64, twoLayerWorkBytes, twoLayerWorkBytes32 } from './twolayer';
export { exp32, exp64, log32, staticDataEnd } from './math';
