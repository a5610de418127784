import type { FloatArray } from './dtype.js';

/** True when the two typed arrays view overlapping bytes of the same buffer. */
export function overlaps(x: FloatArray, y: FloatArray): boolean {
  if (x.buffer !== y.buffer || x.length === 0 || y.length === 0) return false;
  const xStart = x.byteOffset;
  const yStart = y.byteOffset;
  return xStart < yStart + y.byteLength && yStart < xStart + x.byteLength;
}
