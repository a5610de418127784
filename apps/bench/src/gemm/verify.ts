import type { Dtype, FloatArray, Shape } from './problem.js';

/** Thrown when an implementation's product is wrong; the benchmark never times it. */
export class VerificationError extends Error {
  readonly code = 'WRONG_RESULT';
  /** The implementation that failed. */
  readonly impl: string;

  constructor(impl: string, message: string) {
    super(message);
    this.name = 'VerificationError';
    this.impl = impl;
  }
}

/** Elements checked at most: all of C when it is small, else an even spread plus the corners. */
const MAX_CHECKED = 4096;

/** Rows and columns of C to check: every one up to the limit, else a spread including the edges. */
function indices(count: number, limit: number): number[] {
  if (count <= limit) return Array.from({ length: count }, (_, i) => i);
  const out = new Set<number>([0, count - 1]);
  for (let i = 0; i < limit; i++) out.add(Math.floor(((i + 0.5) * count) / limit));
  return [...out].sort((x, y) => x - y);
}

/**
 * Checks `c` against the naive product computed in float64 from the same inputs, element by
 * element (all of them for small products, a grid of rows × columns including the last row and
 * column for large ones). An element passes when its error is within the rounding bound
 * (k + 2)·u·Σ|a||b| with u = 2⁻⁵³ (f64) or 2⁻²⁴ (f32), times 4 for slack; a NaN fails.
 * Throws a `VerificationError` naming `impl` and the first bad element.
 */
export function verifyProduct(
  impl: string,
  shape: Shape,
  dtype: Dtype,
  a: FloatArray,
  b: FloatArray,
  c: ArrayLike<number>,
): void {
  const { m, n, k, transA, transB } = shape;
  if (c.length !== m * n) {
    throw new VerificationError(
      impl,
      `${impl}: product has ${c.length} elements, expected ${m * n}`,
    );
  }
  const unit = dtype === 'f64' ? 2 ** -53 : 2 ** -24;
  const side = Math.floor(Math.sqrt(MAX_CHECKED));
  for (const i of indices(m, side)) {
    for (const j of indices(n, side)) {
      let sum = 0;
      let abs = 0;
      for (let p = 0; p < k; p++) {
        const x = transA ? a[p * m + i]! : a[i * k + p]!;
        const y = transB ? b[j * k + p]! : b[p * n + j]!;
        sum += x * y;
        abs += Math.abs(x * y);
      }
      const got = c[i * n + j]!;
      const bound = 4 * (k + 2) * unit * abs + Number.MIN_VALUE;
      if (!(Math.abs(got - sum) <= bound)) {
        throw new VerificationError(
          impl,
          `${impl}: wrong ${dtype} product for ${shape.label}: C[${i}][${j}] = ${got}, expected ${sum}`,
        );
      }
    }
  }
}
