/**
 * How a failure reaches the person at the terminal: one line on stderr and an exit code a script
 * can test. 2 means the command line was wrong; 1 means the command line was fine but the data,
 * the model file or the run failed.
 */

/** Exit code for a run that worked. */
export const EXIT_OK = 0;
/** Exit code for bad data, a bad model file, or a run that failed. */
export const EXIT_FAILURE = 1;
/** Exit code for a bad command line (unknown flag, bad flag value, missing required flag). */
export const EXIT_USAGE = 2;

/** A command line the CLI cannot run: fixing it means changing the flags. Exit code 2. */
export class UsageError extends Error {
  /** Machine-readable reason, e.g. `invalid-flag-value`. */
  readonly code: string;
  constructor(message: string, code = 'usage') {
    super(message);
    this.name = 'UsageError';
    this.code = code;
  }
}

/**
 * A failure of the data or the files the CLI reads and writes (as opposed to the flags), found by
 * the CLI itself rather than by one of the packages. Exit code 1.
 */
export class CliError extends Error {
  /** Machine-readable reason, e.g. `model-shape-mismatch`. */
  readonly code: string;
  constructor(message: string, code: string) {
    super(message);
    this.name = 'CliError';
    this.code = code;
  }
}

/** Names of the packages' error classes whose messages are written for people (one line each). */
const EXPECTED_ERRORS = new Set([
  'CliError',
  'DataError',
  'ModelError',
  'TrainingError',
  'MetricsError',
]);

/** The exit code for an error thrown out of a command. */
export function exitCodeFor(error: unknown): number {
  return error instanceof UsageError ? EXIT_USAGE : EXIT_FAILURE;
}

/**
 * Whether an error is one of the expected kinds (bad flags, bad data, bad model, failed training),
 * whose message is complete on its own. Anything else is a defect and says so.
 */
export function isExpectedError(error: unknown): boolean {
  if (error instanceof UsageError || error instanceof CliError) return true;
  return error instanceof Error && EXPECTED_ERRORS.has(error.name);
}

/** Folds a message onto one line: the contract is one line on stderr per failure. */
export function oneLine(text: string): string {
  return text
    .split(/\r?\n/)
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .join(' ');
}

/** The one line printed for an error (without the trailing newline). */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return `scratchnet: ${oneLine(String(error))}`;
  const message = oneLine(error.message) || error.name;
  if (isExpectedError(error)) return `scratchnet: ${message}`;
  // System errors from Node (EACCES, ENOSPC, ...) carry the path in their message already.
  const code = (error as NodeJS.ErrnoException).code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return `scratchnet: ${message}`;
  return `scratchnet: internal error: ${message} (run again with --debug for the stack trace)`;
}
