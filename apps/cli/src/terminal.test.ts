import { execFileSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Io } from './terminal.js';
import { colourEnabled, progressEnabled, styles } from './terminal.js';
import { BIN, runCli, scratchFolder, SPAWNING_HOOK_TIMEOUT } from './test-cli.js';

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

describe('on a real terminal (util-linux script gives the CLI a TTY)', () => {
  const hasScript = (() => {
    try {
      return execFileSync('script', ['--version'], { encoding: 'utf8' }).includes('util-linux');
    } catch {
      return false;
    }
  })();
  if (!hasScript) console.log('TTY tests skipped: util-linux `script` is not installed');
  let folder: { path: string; remove: () => Promise<void> };

  /** Runs the CLI on a pseudo-terminal; stdout and stderr both come back through it. */
  function onTty(args: string, env: NodeJS.ProcessEnv = {}): string {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
    if (env.CI === undefined) delete childEnv.CI;
    if (env.NO_COLOR === undefined) delete childEnv.NO_COLOR;
    return execFileSync('script', ['-qec', `"${process.execPath}" "${BIN}" ${args}`, '/dev/null'], {
      cwd: folder.path,
      env: { ...childEnv, TERM: 'xterm' },
      encoding: 'utf8',
    });
  }

  beforeAll(async () => {
    folder = await scratchFolder();
    expect(
      (await runCli(['generate', '--rows', '200', '--out', 'd.csv'], { cwd: folder.path })).code,
    ).toBe(0);
  }, SPAWNING_HOOK_TIMEOUT);
  afterAll(async () => {
    await folder.remove();
  });

  const job = 'questions --question listening-time-by-age --data d.csv --epochs 30';
  it.skipIf(!hasScript)('draws a progress bar and uses colour', () => {
    const out = onTty(job);
    expect(out).toMatch(/listening-time-by-age .*\/30 epochs \| validation loss/);
    expect(out).toContain('\u001b[1m1. Which time of day');
  });
  it.skipIf(!hasScript)('uses no colour with NO_COLOR, but still shows progress', () => {
    const out = onTty(job, { NO_COLOR: '1' });
    expect(out).not.toContain('\u001b[1m');
    expect(out).toMatch(/\/30 epochs/);
  });
  it.skipIf(!hasScript)('draws no progress bar with --json, --quiet or in CI', () => {
    expect(onTty(`${job} --json`)).not.toMatch(/epochs \|/);
    expect(onTty(`${job} --quiet`)).not.toMatch(/epochs \|/);
    expect(onTty(job, { CI: 'true' })).not.toMatch(/epochs \|/);
  });
});
