import { execFileSync, spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Io } from './terminal.js';
import { colourEnabled, progressEnabled, statusLine, styles, timeLeft } from './terminal.js';
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

describe('timeLeft', () => {
  it('is the time the remaining epochs take at the pace so far, and unknown before the first', () => {
    expect(timeLeft(2, 100, 1000)).toBe('18.0 s');
    expect(timeLeft(30, 100, 1000)).toBe('4 min 30 s');
    expect(timeLeft(5, 1000, 1000)).toBe('0.0 s');
    expect(timeLeft(0, 0, 1000)).toBe('…');
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

  // One training, so the bar counts its epochs.
  const job =
    'questions --question listening-time-by-age --data d.csv --epochs 30 --seeds 1 --permutations 0';
  it.skipIf(!hasScript)('draws a progress bar and uses colour', () => {
    const out = onTty(job);
    expect(out).toMatch(
      /listening-time-by-age .* \d+% \d+\/30 epochs \| (…|[0-9.]+ s) left at most \| validation loss/,
    );
    expect(out).toContain('\u001b[1m3. Which time of day');
  });
  it.skipIf(!hasScript)('counts trainings when it trains more than one', () => {
    const out = onTty(
      'questions --question listening-time-by-age --data d.csv --epochs 30 --seeds 2 --permutations 3',
    );
    expect(out).toMatch(
      /listening-time-by-age .* \d+% \d\/5 trainings \| about (…|[0-9.]+ s) left \| validation loss/,
    );
  });
  it.skipIf(!hasScript)('uses no colour with NO_COLOR, but still shows progress', () => {
    const out = onTty(job, { NO_COLOR: '1' });
    expect(out).not.toContain('\u001b[1m');
    expect(out).toMatch(/\/30 epochs/);
  });
  it.skipIf(!hasScript)('takes the bar off the screen on Ctrl-C, and exits with 130', async () => {
    const endless =
      'questions --question genre-by-country --data d.csv --epochs 1000000 --patience 1000000 --seeds 1 --permutations 0';
    const child = spawn(
      'script',
      ['-qec', `"${process.execPath}" "${BIN}" ${endless}`, '/dev/null'],
      {
        cwd: folder.path,
        env: { ...process.env, CI: '', TERM: 'xterm' },
        // Its own process group, so a run that never draws its bar can be ended whole.
        detached: true,
      },
    );
    // The run trains for ever unless Ctrl-C lands: if this test fails, it must not outlive it.
    const guard = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 90_000);
    child.on('close', () => clearTimeout(guard));
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const first = !/epochs \|/.test(out);
      out += chunk.toString();
      // Ctrl-C typed on the terminal, once the bar is drawn: the terminal sends SIGINT.
      if (first && /epochs \|/.test(out)) child.stdin.write('\u0003');
    });
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(code).toBe(130);
    const lastBar = out.lastIndexOf('epochs |');
    expect(lastBar).toBeGreaterThan(0);
    // After the last drawing of the bar, the line it was on is erased (ESC [2K).
    expect(out.indexOf('\u001b[2K', lastBar)).toBeGreaterThan(lastBar);
  });
  it.skipIf(!hasScript)('draws no progress bar with --json, --quiet or in CI', () => {
    expect(onTty(`${job} --json`)).not.toMatch(/epochs \|/);
    expect(onTty(`${job} --quiet`)).not.toMatch(/epochs \|/);
    expect(onTty(job, { CI: 'true' })).not.toMatch(/epochs \|/);
  });
});

describe('statusLine', () => {
  it('draws one line on stderr, replaces it, cuts it to the terminal width and clears it', () => {
    let written = '';
    const stderr = Object.assign(new PassThrough(), {
      isTTY: true,
      columns: 30,
      write: (text: string) => ((written += text), true),
    });
    const line = statusLine({ stdout: new PassThrough(), stderr, env: {} });
    line.show('reading big.csv…');
    line.show('genre-by-country: scoring 200,000 test rows (bootstrap intervals)…');
    line.clear();
    line.clear();
    expect(written).toBe(
      '\rreading big.csv…\u001b[K' + '\rgenre-by-country: scoring 20…\u001b[K' + '\r\u001b[K',
    );
  });
});
