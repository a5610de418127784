import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Io } from './terminal.js';
import { colourEnabled, progressEnabled, styles } from './terminal.js';

function io(tty: boolean, env: NodeJS.ProcessEnv = {}): Io {
  const stdout = Object.assign(new PassThrough(), { isTTY: tty });
  const stderr = Object.assign(new PassThrough(), { isTTY: tty });
  return { stdout, stderr, env };
}

describe('colourEnabled', () => {
  it('is on for a TTY only', () => {
    expect(colourEnabled(io(true))).toBe(true);
    expect(colourEnabled(io(false))).toBe(false);
  });
  it('is off with NO_COLOR set to anything but empty, and on a dumb terminal', () => {
    expect(colourEnabled(io(true, { NO_COLOR: '1' }))).toBe(false);
    expect(colourEnabled(io(true, { NO_COLOR: '' }))).toBe(true);
    expect(colourEnabled(io(true, { TERM: 'dumb' }))).toBe(false);
  });
});

describe('progressEnabled', () => {
  it('is on for a TTY, and off in CI, with --json, with --quiet and in a pipe', () => {
    expect(progressEnabled(io(true), {})).toBe(true);
    expect(progressEnabled(io(true, { CI: 'true' }), {})).toBe(false);
    expect(progressEnabled(io(true, { CI: 'false' }), {})).toBe(true);
    expect(progressEnabled(io(true), { json: true })).toBe(false);
    expect(progressEnabled(io(true), { quiet: true })).toBe(false);
    expect(progressEnabled(io(false), {})).toBe(false);
  });
});

describe('styles', () => {
  it('adds ANSI codes only when enabled', () => {
    expect(styles(false).bold('x')).toBe('x');
    expect(styles(true).bold('x')).toBe('\u001b[1mx\u001b[22m');
  });
});
