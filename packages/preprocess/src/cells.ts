import { DataError } from './errors.js';
import type { DataErrorDetails } from './errors.js';
import { quoteValue } from './errors.js';
import type { ColumnSpec } from './schema.js';
import { describeExpected } from './schema.js';

// A plain decimal: optional sign, digits with an optional fraction, optional exponent. Stricter
// than Number(), which also takes '', '0x1f', 'Infinity' and whitespace.
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Reads one numeric cell of an `integer` or `number` column and checks it against the schema's
 * range; throws a `DataError` (`NOT_A_NUMBER`, `NOT_AN_INTEGER`, `OUT_OF_RANGE`) naming the column
 * and what was expected. `where` places the error (file, line, field).
 */
export function parseNumberCell(spec: ColumnSpec, text: string, where: DataErrorDetails): number {
  const trimmed = text.trim();
  if (!DECIMAL.test(trimmed)) {
    const what = trimmed === '' ? 'empty cell' : quoteValue(text);
    throw new DataError('NOT_A_NUMBER', `${what} in column ${spec.header} is not a number`, {
      ...where,
      expected: describeExpected(spec),
    });
  }
  return checkNumber(spec, Number(trimmed), where, text);
}

/**
 * Checks a number already in hand (from a generator, a record or a parsed cell) against the
 * column's kind and range; returns it, or throws a `DataError`.
 */
export function checkNumber(
  spec: ColumnSpec,
  value: number,
  where: DataErrorDetails,
  shown: string = String(value),
): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new DataError(
      'NOT_A_NUMBER',
      `${quoteValue(shown)} in column ${spec.header} is not a finite number`,
      {
        ...where,
        expected: describeExpected(spec),
      },
    );
  }
  if (spec.kind === 'integer' && !Number.isInteger(value)) {
    throw new DataError(
      'NOT_AN_INTEGER',
      `${quoteValue(shown)} in column ${spec.header} is not a whole number`,
      {
        ...where,
        expected: describeExpected(spec),
      },
    );
  }
  if (
    (spec.min !== undefined && value < spec.min) ||
    (spec.max !== undefined && value > spec.max)
  ) {
    throw new DataError(
      'OUT_OF_RANGE',
      `${quoteValue(shown)} in column ${spec.header} is out of range`,
      {
        ...where,
        expected: describeExpected(spec),
      },
    );
  }
  return value;
}

/**
 * Reads one category or id cell: surrounding spaces are dropped and an empty cell is a
 * `DataError` (`EMPTY_CATEGORY`).
 */
export function parseLabelCell(spec: ColumnSpec, text: string, where: DataErrorDetails): string {
  const value = text.trim();
  if (value === '') {
    throw new DataError('EMPTY_CATEGORY', `empty cell in column ${spec.header}`, {
      ...where,
      expected: describeExpected(spec),
    });
  }
  return value;
}
