/**
 * Test helpers: the doubles JSON and arithmetic get wrong most easily, drawn on purpose beside
 * ordinary ones. Not part of the build (see tsconfig.build.json).
 */
import fc from 'fast-check';

/** −0 and ±0's neighbours, subnormals, the smallest normals, the largest finite values. */
export const EDGE_DOUBLES = [
  -0,
  0,
  Number.MIN_VALUE,
  -Number.MIN_VALUE,
  -2 * Number.MIN_VALUE,
  2.2250738585072014e-308,
  -2.2250738585072014e-308,
  1e-300,
  1e200,
  -1e200,
  1e308,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
];

/** Any finite double, with the edge values and everyday magnitudes both well represented. */
export const awkwardDouble = fc.oneof(
  fc.constantFrom(...EDGE_DOUBLES),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }),
);

/** The bytes of a float array, so −0 and 0 differ and equal NaNs compare equal. */
export function bits(values: Float64Array): number[] {
  return Array.from(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
}
