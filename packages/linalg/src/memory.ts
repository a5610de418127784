/** A typed array, as far as `overlaps` looks at it. */
type View = Pick<Float64Array, 'buffer' | 'byteOffset' | 'byteLength' | 'length'>;

/** True when the two typed arrays view overlapping bytes of the same buffer. */
export function overlaps(x: View, y: View): boolean {
  if (x.buffer !== y.buffer || x.length === 0 || y.length === 0) return false;
  const xStart = x.byteOffset;
  const yStart = y.byteOffset;
  return xStart < yStart + y.byteLength && yStart < xStart + x.byteLength;
}
