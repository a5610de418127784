import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.js';
import {
  batchSize,
  choice,
  DTYPES,
  effects,
  fileName,
  hiddenSizes,
  integer,
  positiveNumber,
  records,
} from './flags.js';

function failure(run: () => unknown): UsageError {
  try {
    run();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('expected a UsageError');
}

describe('positiveNumber', () => {
  const lr = positiveNumber('--lr');
  it('accepts decimal numbers above zero', () => {
    expect(lr('0.05', undefined)).toBe(0.05);
    expect(lr('1e-3', undefined)).toBe(0.001);
  });
  it('names the flag, what it expected and what it got', () => {
    expect(failure(() => lr('abc', undefined)).message).toBe(
      "--lr: expected a positive number, got 'abc'",
    );
    for (const bad of ['0', '-1', '', 'Infinity', 'NaN', '0x10', '1,5']) {
      expect(() => lr(bad, undefined)).toThrow(UsageError);
    }
  });
});

describe('integer', () => {
  const epochs = integer('--epochs', 1, 1000);
  it('accepts whole numbers in range', () => {
    expect(epochs('200', undefined)).toBe(200);
  });
  it('rejects fractions, zero and values above the maximum', () => {
    expect(failure(() => epochs('2.5', undefined)).message).toBe(
      "--epochs: expected a positive whole number, got '2.5'",
    );
    expect(() => epochs('0', undefined)).toThrow(UsageError);
    expect(failure(() => epochs('1001', undefined)).message).toMatch(/≤ 1000/);
  });
  it('allows zero when the minimum is zero', () => {
    expect(integer('--seed', 0)('0', undefined)).toBe(0);
  });
});

describe('hiddenSizes', () => {
  const hidden = hiddenSizes('--hidden');
  it('reads one or several layer sizes', () => {
    expect(hidden('16', undefined)).toEqual([16]);
    expect(hidden('16, 8', undefined)).toEqual([16, 8]);
  });
  it('rejects empty, zero and non-integer sizes', () => {
    for (const bad of ['', '0', '16,', 'a', '1.5'])
      expect(() => hidden(bad, undefined)).toThrow(UsageError);
  });
});

describe('batchSize', () => {
  it("accepts a positive whole number or 'full'", () => {
    expect(batchSize('--batch-size')('32', undefined)).toBe(32);
    expect(batchSize('--batch-size')('FULL', undefined)).toBe('full');
    expect(() => batchSize('--batch-size')('0', undefined)).toThrow(
      /positive whole number or 'full'/,
    );
  });
});

describe('choice', () => {
  it('accepts one of the words, in any case', () => {
    expect(choice('--optimizer', ['sgd', 'adam'])('Adam', undefined)).toBe('adam');
    expect(
      failure(() => choice('--optimizer', ['sgd', 'adam'])('rmsprop', undefined)).message,
    ).toBe("--optimizer: expected one of sgd, adam, got 'rmsprop'");
  });
  it('reads --dtype as f64 or f32 and names both when the value is neither', () => {
    const dtype = choice('--dtype', DTYPES);
    expect(dtype('f64', undefined)).toBe('f64');
    expect(dtype('F32', undefined)).toBe('f32');
    expect(failure(() => dtype('f16', undefined)).message).toBe(
      "--dtype: expected one of f64, f32, got 'f16'",
    );
  });
});

describe('records', () => {
  const input = records('--input');
  it('reads name=value pairs and collects one record per use', () => {
    const first = input('country=Japan, streaming_platform=Spotify', undefined);
    expect(input('country=UK', first)).toEqual([
      { country: 'Japan', streaming_platform: 'Spotify' },
      { country: 'UK' },
    ]);
  });
  it('rejects a pair without a name and a repeated name', () => {
    expect(() => input('Japan', undefined)).toThrow(UsageError);
    expect(() => input('=Japan', undefined)).toThrow(UsageError);
    expect(() => input('country=Japan,country=UK', undefined)).toThrow(/repeated/);
  });
});

describe('effects', () => {
  const effect = effects('--effect');
  it('reads strengths per effect', () => {
    expect(effect('genre=0.8,time=0.3', undefined)).toEqual({ genre: 0.8, time: 0.3 });
  });
  it('rejects unknown names and strengths outside 0..1', () => {
    for (const bad of ['colour=0.5', 'genre=2', 'genre=-0.1', 'genre', 'genre=x']) {
      expect(() => effect(bad, undefined)).toThrow(UsageError);
    }
  });
});

describe('single-value flags', () => {
  it('refuses a second value instead of keeping the last', () => {
    const uses: [(value: string, previous: never) => unknown, string][] = [
      [positiveNumber('--lr'), '0.1'],
      [integer('--seed', 0), '1'],
      [hiddenSizes('--hidden'), '8'],
      [batchSize('--batch-size'), 'full'],
      [choice('--dtype', DTYPES), 'f32'],
      [fileName('--out'), 'a.json'],
    ];
    for (const [parse, value] of uses) {
      const first = parse(value, undefined as never);
      expect(() => parse(value, first as never)).toThrow(
        `given more than once (again as '${value}'); give it once`,
      );
    }
  });
});

describe('fileName', () => {
  const out = fileName('--out');
  it('takes any name that does not read as a flag', () => {
    expect(out('model.json', undefined)).toBe('model.json');
    expect(out('./--quiet', undefined)).toBe('./--quiet');
  });
  it('refuses a flag that took the place of the name, and an empty name', () => {
    expect(failure(() => out('--quiet', undefined)).message).toBe(
      "--out: expected a file name, got the flag '--quiet' (for a file of that name, write ./--quiet)",
    );
    expect(failure(() => out('', undefined)).message).toBe("--out: expected a file name, got ''");
  });
});
