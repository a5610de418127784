import { describe, expect, it } from 'vitest';
import { CliError, describeError, exitCodeFor, UsageError } from './errors.js';

describe('describeError', () => {
  it('prints expected errors as one line with no hint', () => {
    expect(describeError(new CliError('m.json: not a model\nsecond line', 'x'))).toBe(
      'scratchnet: m.json: not a model second line',
    );
  });
  it('treats errors named like the packages’ error classes as expected', () => {
    const error = new Error('data.csv:3:2: expected a number');
    error.name = 'DataError';
    expect(describeError(error)).toBe('scratchnet: data.csv:3:2: expected a number');
  });
  it('marks anything else as an internal error and points at --debug', () => {
    expect(describeError(new TypeError('x is undefined'))).toMatch(
      /internal error: x is undefined .*--debug/,
    );
  });
});

describe('exitCodeFor', () => {
  it('is 2 for usage errors and 1 for everything else', () => {
    expect(exitCodeFor(new UsageError('bad flag'))).toBe(2);
    expect(exitCodeFor(new CliError('bad data', 'x'))).toBe(1);
    expect(exitCodeFor(new Error('bug'))).toBe(1);
  });
});
