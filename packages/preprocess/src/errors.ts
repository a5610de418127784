/**
 * Machine-readable reasons a data file, a value or a saved pipeline was rejected, so a caller (the
 * CLI) can tell them apart without parsing messages.
 */
export type DataErrorCode =
  /** The path does not exist. */
  | 'FILE_NOT_FOUND'
  /** The path is a folder or another non-regular file. */
  | 'NOT_A_FILE'
  /** The file exists but could not be read (permissions, I/O error). */
  | 'UNREADABLE'
  /** The file has no header line. */
  | 'EMPTY_FILE'
  /** The file has a header but no data rows. */
  | 'NO_ROWS'
  /** A column that is needed is not in the header (or not in the table). */
  | 'MISSING_COLUMN'
  /** Two header cells name the same schema column. */
  | 'DUPLICATE_COLUMN'
  /** A row has a different number of fields than the header. */
  | 'RAGGED_ROW'
  /** A quoted field is never closed. */
  | 'UNTERMINATED_QUOTE'
  /** A quote where CSV does not allow one (inside an unquoted field, or text after a closing quote). */
  | 'INVALID_QUOTE'
  /** A record longer than the parser accepts (usually a wrong delimiter or a binary file). */
  | 'RECORD_TOO_LARGE'
  /** Any other malformed CSV. */
  | 'MALFORMED_CSV'
  /** A numeric cell that is empty, not a decimal number, NaN or Infinity. */
  | 'NOT_A_NUMBER'
  /** An integer column holds a number with a fraction. */
  | 'NOT_AN_INTEGER'
  /** A number outside the schema's range for its column. */
  | 'OUT_OF_RANGE'
  /** An empty cell in a category or id column. */
  | 'EMPTY_CATEGORY'
  /** NUL bytes or bytes that are not UTF-8: not a text CSV file. */
  | 'BINARY_DATA'
  /** A category that the encoder did not see when it was fitted. */
  | 'UNKNOWN_CATEGORY'
  /** A column key that the listener schema does not define. */
  | 'UNKNOWN_COLUMN'
  /** A question id that is not defined. */
  | 'UNKNOWN_QUESTION'
  /** The output file could not be written. */
  | 'UNWRITABLE'
  /** A saved encoder, scaler or pipeline whose JSON is not of the expected shape. */
  | 'INVALID_JSON'
  /** A question definition that the schema cannot support (unknown column, wrong encoding). */
  | 'INVALID_QUESTION';

/** Where in a file a problem is, and what was expected there. */
export interface DataErrorDetails {
  /** The file (as the caller named it), or a label such as `<text>` for in-memory input. */
  readonly file?: string;
  /** 1-based line number in the file. */
  readonly line?: number;
  /** 1-based CSV field number (the n-th column of the line), not a character offset. */
  readonly column?: number;
  /** What would have been accepted, e.g. `an integer from 13 to 60`. */
  readonly expected?: string;
}

/**
 * Every data problem this package reports: a missing or malformed file, a value outside the
 * schema, an unknown category, a corrupt saved pipeline. The message is one line,
 * `<file>:<line>:<column>: <what was wrong>, expected <what>`, with the parts that do not apply
 * left out, so the CLI can print it as is.
 */
export class DataError extends Error {
  /** Machine-readable reason. */
  readonly code: DataErrorCode;
  /** The file the problem is in, when there is one. */
  readonly file?: string;
  /** 1-based line number, when the problem is on a line. */
  readonly line?: number;
  /** 1-based CSV field number, when the problem is in one field. */
  readonly column?: number;
  /** What was wrong, without the location or the expectation. */
  readonly problem: string;
  /** What would have been accepted, when that can be said. */
  readonly expected?: string;

  constructor(code: DataErrorCode, problem: string, details: DataErrorDetails = {}) {
    super(formatDataErrorMessage(problem, details));
    this.name = 'DataError';
    this.code = code;
    this.problem = problem;
    if (details.file !== undefined) this.file = details.file;
    if (details.line !== undefined) this.line = details.line;
    if (details.column !== undefined) this.column = details.column;
    if (details.expected !== undefined) this.expected = details.expected;
  }
}

/** Builds the one-line message `<file>:<line>:<column>: <problem>, expected <expected>`. */
export function formatDataErrorMessage(problem: string, details: DataErrorDetails = {}): string {
  let location = '';
  if (details.file !== undefined) {
    location = details.file;
    if (details.line !== undefined) {
      location += `:${details.line}`;
      if (details.column !== undefined) location += `:${details.column}`;
    }
    location += ': ';
  } else if (details.line !== undefined) {
    location = `line ${details.line}${details.column === undefined ? '' : `:${details.column}`}: `;
  }
  const expected = details.expected === undefined ? '' : `, expected ${details.expected}`;
  // One line, whatever the input held: a value quoted into the message may contain line breaks.
  return `${location}${problem}${expected}`.replace(/[\r\n]+/g, ' ');
}

/** Quotes a value for an error message, shortened so a huge cell cannot flood the terminal. */
export function quoteValue(value: string, max = 40): string {
  const shown = value.length > max ? `${value.slice(0, max)}…` : value;
  return JSON.stringify(shown);
}
