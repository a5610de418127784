/**
 * What went wrong, for callers that must tell failures apart (the CLI maps them to messages and
 * exit codes):
 * - `LENGTH_MISMATCH`: two inputs that pair up row by row have different lengths.
 * - `EMPTY`: an input has no rows, so there is nothing to score.
 * - `INVALID_LABEL`: a class code is not an integer in `0..classes-1`.
 * - `NOT_FINITE`: a target, prediction or score is NaN or infinite.
 * - `NOT_A_DISTRIBUTION`: a probability row has a negative or NaN entry, or does not sum to 1.
 * - `DEGENERATE_TABLE`: a contingency table has fewer than 2 non-empty rows or columns.
 * - `INVALID_ARGUMENT`: an option or parameter is out of its range.
 */
export type MetricsErrorCode =
  | 'LENGTH_MISMATCH'
  | 'EMPTY'
  | 'INVALID_LABEL'
  | 'NOT_FINITE'
  | 'NOT_A_DISTRIBUTION'
  | 'DEGENERATE_TABLE'
  | 'INVALID_ARGUMENT';

/** The one error type this package throws; `code` says which rule the input broke. */
export class MetricsError extends Error {
  override readonly name = 'MetricsError';
  readonly code: MetricsErrorCode;

  constructor(code: MetricsErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
