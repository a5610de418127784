/**
 * Parsers for flag values. Each one checks a value and names the flag and what it expected, so a
 * bad command line fails before any work starts with e.g.
 * `--lr: expected a positive number, got 'abc'` (exit code 2).
 */
import { UsageError } from './errors.js';

/** The optimizers `--optimizer` accepts; `sgd` is plain gradient descent, the original. */
export const OPTIMIZERS = ['sgd', 'momentum', 'adam'] as const;
/** One of {@link OPTIMIZERS}. */
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** The arithmetic `--dtype` accepts; `f64` (float64 throughout) is the original. */
export const DTYPES = ['f64', 'f32'] as const;
/** One of {@link DTYPES}. */
export type DtypeName = (typeof DTYPES)[number];

/** A parser commander calls with the raw text of a flag (and the previous value for repeats). */
export type FlagParser<T> = (value: string, previous: T | undefined) => T;

function invalid(flag: string, expected: string, value: string): UsageError {
  return new UsageError(`${flag}: expected ${expected}, got '${value}'`, 'invalid-flag-value');
}

/**
 * A parser for a flag that takes one value. Commander hands a repeated flag's earlier value to
 * the parser and would otherwise keep the last one without a word, so `--seed 1 --seed 2` is
 * refused rather than read as 2.
 */
function single<T>(flag: string, parse: (value: string) => T): FlagParser<T> {
  return (value, previous) => {
    if (previous !== undefined) {
      throw new UsageError(
        `${flag}: given more than once (again as '${value}'); give it once`,
        'flag-repeated',
      );
    }
    return parse(value);
  };
}

/**
 * A file name (`--data`, `--out`, `--model`, `--report`). A value that starts with `-` is a flag
 * that took the place of the name (`--out --quiet` would write a file named `--quiet`); a file
 * with such a name can still be given as `./--quiet`.
 */
export function fileName(flag: string): FlagParser<string> {
  return single(flag, (value) => {
    if (value === '') throw invalid(flag, 'a file name', value);
    if (value.startsWith('-')) {
      throw new UsageError(
        `${flag}: expected a file name, got the flag '${value}' (for a file of that name, write ./${value})`,
        'invalid-flag-value',
      );
    }
    return value;
  });
}

/** A decimal number as written by a person: no hex, no empty string, no `Infinity`. */
function parseDecimal(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

/** A number greater than zero (e.g. `--lr 0.05`). */
export function positiveNumber(flag: string): FlagParser<number> {
  return single(flag, (value) => {
    const parsed = parseDecimal(value);
    if (parsed === undefined || parsed <= 0) throw invalid(flag, 'a positive number', value);
    return parsed;
  });
}

/** A whole number from `min` to `max` (e.g. `--epochs 2000`). */
export function integer(
  flag: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): FlagParser<number> {
  const expected =
    min === 1
      ? 'a positive whole number'
      : min === 0
        ? 'a whole number ≥ 0'
        : `a whole number ≥ ${min}`;
  return single(flag, (value) => {
    const parsed = parseDecimal(value);
    if (parsed === undefined || !Number.isInteger(parsed) || parsed < min) {
      throw invalid(flag, expected, value);
    }
    if (parsed > max) throw invalid(flag, `a whole number ≤ ${max}`, value);
    return parsed;
  });
}

/** Hidden layer sizes: `16` for one hidden layer, `16,8` for two. */
export function hiddenSizes(flag: string): FlagParser<number[]> {
  return single(flag, (value) => {
    const parts = value.split(',').map((part) => part.trim());
    const sizes = parts.map((part) => parseDecimal(part));
    if (
      parts.length === 0 ||
      sizes.some((size) => size === undefined || !Number.isInteger(size) || size < 1 || size > 4096)
    ) {
      throw invalid(
        flag,
        'layer sizes from 1 to 4096 separated by commas (e.g. 16 or 16,8)',
        value,
      );
    }
    return sizes as number[];
  });
}

/** `--batch-size`: a positive whole number, or `full` for full-batch gradient descent. */
export function batchSize(flag: string): FlagParser<number | 'full'> {
  const whole = integer(flag, 1);
  return single(flag, (value) => {
    if (value.trim().toLowerCase() === 'full') return 'full';
    try {
      return whole(value, undefined);
    } catch {
      throw invalid(flag, "a positive whole number or 'full'", value);
    }
  });
}

/** One of a fixed set of words (e.g. `--optimizer adam`). */
export function choice<T extends string>(flag: string, choices: readonly T[]): FlagParser<T> {
  return single(flag, (value) => {
    const word = value.trim().toLowerCase();
    const found = choices.find((candidate) => candidate === word);
    if (found === undefined) throw invalid(flag, `one of ${choices.join(', ')}`, value);
    return found;
  });
}

/**
 * `name=value` pairs separated by commas, e.g. `country=Japan,streaming_platform=Spotify`.
 * Repeating the flag collects one record per use.
 */
export function records(flag: string): FlagParser<Record<string, string>[]> {
  return (value, previous) => {
    const record: Record<string, string> = {};
    for (const pair of value.split(',')) {
      const at = pair.indexOf('=');
      const name = at < 0 ? '' : pair.slice(0, at).trim();
      if (name === '')
        throw invalid(flag, "name=value pairs separated by commas (e.g. 'country=Japan')", value);
      if (Object.hasOwn(record, name))
        throw invalid(flag, `each name once ('${name}' is repeated)`, value);
      record[name] = pair.slice(at + 1).trim();
    }
    return [...(previous ?? []), record];
  };
}

/** A value for a flag that can be given several times; each use adds one value. */
export function repeatable<T>(parse: FlagParser<T>): FlagParser<T[]> {
  return (value, previous) => [...(previous ?? []), parse(value, undefined)];
}

/** The planted effects `generate --effect` accepts, and the question each one feeds. */
export const EFFECT_NAMES = ['genre', 'minutes', 'time'] as const;
/** One of {@link EFFECT_NAMES}. */
export type EffectName = (typeof EFFECT_NAMES)[number];

/** `--effect genre=0.8,minutes=0.5,time=0.3`: strengths from 0 (none) to 1 (strongest). */
export function effects(flag: string): FlagParser<Partial<Record<EffectName, number>>> {
  const expected = `name=strength pairs with names ${EFFECT_NAMES.join(', ')} and strengths from 0 to 1 (e.g. genre=0.8,time=0.3)`;
  return (value, previous) => {
    const result: Partial<Record<EffectName, number>> = { ...previous };
    for (const pair of value.split(',')) {
      const [rawName = '', rawStrength = '', ...rest] = pair.split('=');
      const name = EFFECT_NAMES.find((candidate) => candidate === rawName.trim().toLowerCase());
      const strength = parseDecimal(rawStrength);
      if (
        name === undefined ||
        strength === undefined ||
        rest.length > 0 ||
        strength < 0 ||
        strength > 1
      ) {
        throw invalid(flag, expected, value);
      }
      result[name] = strength;
    }
    return result;
  };
}
