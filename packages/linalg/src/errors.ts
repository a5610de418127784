/** Formats a shape the way every error message of this package prints it, e.g. `3×4`. */
export function formatShape(rows: number, cols: number): string {
  return `${rows}×${cols}`;
}

/**
 * Thrown when the shapes of an operation's operands do not fit together. The message names the
 * operation and both shapes, e.g. `matmul: cannot multiply 3×4 by 5×2`.
 */
export class ShapeError extends Error {
  /** Machine-readable code, so a caller can tell shape errors from other failures. */
  readonly code = 'SHAPE_MISMATCH';

  constructor(message: string) {
    super(message);
    this.name = 'ShapeError';
  }
}

/**
 * Thrown when an operation that cannot work in place (`matmul`) is given an `out` matrix that
 * shares memory with one of its inputs.
 */
export class AliasError extends Error {
  /** Machine-readable code, so a caller can tell aliasing errors from other failures. */
  readonly code = 'ALIASED_OUTPUT';

  constructor(message: string) {
    super(message);
    this.name = 'AliasError';
  }
}
