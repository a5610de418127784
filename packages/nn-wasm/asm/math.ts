// The kernels' own exponential and logarithm, exported one value at a time so that tests can
// hold them to their accuracy (float64: the bits of Math.exp; float32: ≈ 1 ulp), and the end of
// the module's static data, which must stay below the first address the callers hand out.

import { expRow64 } from './exp';
import { expLanes, logAll } from './math32';

/** exp32's zero maxima (16 bytes) and the sums it discards (16 bytes). */
const EXP_SCRATCH = memory.data(32, 16);

/** dst[i] = Math.exp(src[i]) for `len` float64 values. */
export function exp64(src: usize, dst: usize, len: i32): void {
  expRow64(src, dst, len, 0);
}

/** dst[i] = e^src[i] in float32 for src[i] ≤ 0 (the float32 softmax exponential); len a multiple of 4. */
export function exp32(src: usize, dst: usize, len: i32): void {
  memory.copy(dst, src, (<usize>len) << 2);
  // One group of len / 4 vectors with maxima 0; its sums go to scratch.
  expLanes(dst, 1, len >> 2, 0, EXP_SCRATCH, 0, 0, EXP_SCRATCH + 16);
}

/** dst[i] = ln src[i] in float32; len a multiple of 4. */
export function log32(src: usize, dst: usize, len: i32): void {
  logAll(src, dst, len);
}

/** Where the module's static data ends. */
export function staticDataEnd(): usize {
  return __data_end;
}
