import { DataError } from './errors.js';

/** What a JSON value is, for messages: `a number`, `null`, `an array`. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  const shown = JSON.stringify(value);
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? `${shown.length > 40 ? `${shown.slice(0, 40)}…` : shown}`
    : typeof value;
}

/** A `DataError` (`INVALID_JSON`) saying that `path` holds `value` where `expected` was wanted. */
export function invalidJson(path: string, value: unknown, expected: string): DataError {
  return new DataError('INVALID_JSON', `${path} is ${describe(value)}`, { expected });
}

/** `value` as a plain object, or an `INVALID_JSON` error naming `path`. */
export function readObject(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidJson(path, value, 'an object');
  }
  return value as Record<string, unknown>;
}

/** Checks that `object[key]` is exactly `literal` (a format tag). */
export function readLiteral<T extends string>(
  object: Record<string, unknown>,
  key: string,
  literal: T,
  path: string,
): T {
  if (object[key] !== literal)
    throw invalidJson(`${path}.${key}`, object[key], JSON.stringify(literal));
  return literal;
}

/** `object[key]` as one of `options`. */
export function readOneOf<T extends string>(
  object: Record<string, unknown>,
  key: string,
  options: readonly T[],
  path: string,
): T {
  const value = object[key];
  if (typeof value !== 'string' || !(options as readonly string[]).includes(value)) {
    throw invalidJson(
      `${path}.${key}`,
      value,
      `one of ${options.map((o) => JSON.stringify(o)).join(', ')}`,
    );
  }
  return value as T;
}

/** `object[key]` as a string (non-empty unless `allowEmpty`). */
export function readString(
  object: Record<string, unknown>,
  key: string,
  path: string,
  allowEmpty = false,
): string {
  const value = object[key];
  if (typeof value !== 'string' || (!allowEmpty && value === '')) {
    throw invalidJson(`${path}.${key}`, value, allowEmpty ? 'a string' : 'a non-empty string');
  }
  return value;
}

/** `value` as an array of strings. */
export function readStringArray(value: unknown, path: string): string[] {
  if (!Array.isArray(value)) throw invalidJson(path, value, 'an array of strings');
  value.forEach((item, i) => {
    if (typeof item !== 'string') throw invalidJson(`${path}[${i}]`, item, 'a string');
  });
  return value as string[];
}

/** `value` as an array of finite numbers, copied into a `Float64Array`. */
export function readNumberArray(value: unknown, path: string, length?: number): Float64Array {
  if (!Array.isArray(value)) throw invalidJson(path, value, 'an array of numbers');
  if (length !== undefined && value.length !== length) {
    throw invalidJson(`${path}.length`, value.length, `${length}`);
  }
  const out = new Float64Array(value.length);
  value.forEach((item, i) => {
    if (typeof item !== 'number' || !Number.isFinite(item)) {
      throw invalidJson(`${path}[${i}]`, item, 'a finite number');
    }
    out[i] = item;
  });
  return out;
}

/** Checks that `values` are distinct and in ascending code-unit order (the encoders' order). */
export function checkSortedUnique(values: readonly string[], path: string): void {
  for (let i = 1; i < values.length; i++) {
    if (!(values[i - 1]! < values[i]!)) {
      throw invalidJson(
        `${path}[${i}]`,
        values[i],
        `a value after ${JSON.stringify(values[i - 1])} (sorted, no repeats)`,
      );
    }
  }
}

/** Sorts strings by UTF-16 code units: the same order on every machine and locale. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Reads an encoder's JSON form — `{ type, name?, [key]: string[] }` with at least one value,
 * sorted and distinct — for `LabelEncoder` and `OneHotEncoder`; `what` names one value in the
 * error (`'class'`, `'category'`).
 */
export function readEncoderJSON(
  json: unknown,
  path: string,
  type: string,
  key: string,
  what: string,
): { name: string | undefined; values: string[] } {
  const object = readObject(json, path);
  readLiteral(object, 'type', type, path);
  const name = object.name === undefined ? undefined : readString(object, 'name', path);
  const values = readStringArray(object[key], `${path}.${key}`);
  if (values.length === 0) {
    throw new DataError('INVALID_JSON', `${path}.${key} is empty`, {
      expected: `at least one ${what}`,
    });
  }
  checkSortedUnique(values, `${path}.${key}`);
  return { name, values };
}
