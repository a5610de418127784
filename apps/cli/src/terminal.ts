/**
 * What the terminal can show: colour only on a TTY and never with `NO_COLOR`; a progress bar only
 * when stderr is a TTY, not in CI, and not with `--json` or `--quiet`.
 */
import cliProgress from 'cli-progress';
import { duration } from './format.js';
import type { Progress } from './progress.js';
import { silentProgress } from './progress.js';

/** The streams and environment a run writes to; the real process by default. */
export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
}

/** Whether an environment variable is set to something other than empty, `0` or `false`. */
function envFlag(env: NodeJS.ProcessEnv, name: string): boolean {
  const value = env[name];
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

/** Colour on stdout: a TTY, a terminal that is not `dumb`, and no `NO_COLOR` (https://no-color.org). */
export function colourEnabled(io: Io): boolean {
  const noColor = io.env.NO_COLOR;
  if (noColor !== undefined && noColor !== '') return false;
  return io.stdout.isTTY === true && io.env.TERM !== 'dumb';
}

/** A progress bar on stderr: a TTY, not CI, and neither `--json` nor `--quiet`. */
export function progressEnabled(io: Io, flags: { json?: boolean; quiet?: boolean }): boolean {
  if (flags.json === true || flags.quiet === true) return false;
  if (envFlag(io.env, 'CI')) return false;
  return io.stderr.isTTY === true && io.env.TERM !== 'dumb';
}

/** Text styles; each is the identity when colour is off. */
export interface Styles {
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  red(text: string): string;
}

function sgr(open: number, close: number): (text: string) => string {
  return (text) => `\u001b[${open}m${text}\u001b[${close}m`;
}

const identity = (text: string): string => text;

/** The styles for a run: ANSI colours when enabled, plain text otherwise. */
export function styles(enabled: boolean): Styles {
  if (!enabled)
    return { bold: identity, dim: identity, green: identity, yellow: identity, red: identity };
  return {
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    green: sgr(32, 39),
    yellow: sgr(33, 39),
    red: sgr(31, 39),
  };
}

export type { Progress } from './progress.js';
export { silentProgress } from './progress.js';

/**
 * What a bar shows after its label: how far (percent and epochs, or trainings), the time left and
 * the last validation loss.
 */
const BAR_FORMAT = '{bar} {percentage}% {value}/{total} {unit} | {left} | validation loss {loss}';

/**
 * The time left in words. Counting epochs, it is a bound: early stopping may end the run sooner.
 * Counting trainings it is only an estimate, each training stopping at its own epoch.
 */
function leftText(left: string, unit: string): string {
  return unit === 'epochs' ? `${left} left at most` : `about ${left} left`;
}

/**
 * The time left if training runs every epoch at its pace so far; `…` until an epoch is done (a
 * guess from nothing would read as a promise).
 */
export function timeLeft(seconds: number, epoch: number, epochs: number): string {
  if (epoch <= 0 || !(seconds > 0)) return '…';
  return duration(Math.round((seconds / epoch) * Math.max(0, epochs - epoch)));
}

/** The payload of one bar's redraw. */
function progressPayload(
  started: number,
  epoch: number,
  epochs: number,
  validationLoss: number,
  unit: string,
) {
  const seconds = (performance.now() - started) / 1000;
  return {
    loss: validationLoss.toFixed(4),
    left: leftText(timeLeft(seconds, epoch, epochs), unit),
    unit,
  };
}

/** Bars on the screen now, so that an interrupted run can take them off before it exits. */
const onScreen = new Set<{ stop(): void }>();

/**
 * Makes SIGINT (Ctrl-C), SIGTERM and SIGHUP clear every progress bar still drawn, so the shell
 * prompt comes back on a clean line. Installed once by the executable, before the handler that
 * exits (listeners run in the order they were added).
 */
export function clearProgressOnSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      for (const bar of onScreen) bar.stop();
      onScreen.clear();
    });
  }
}

/**
 * A progress bar for one training run, drawn by cli-progress on stderr. It redraws at most every
 * 200 ms, so a fast run costs nothing and a slow one still moves.
 */
export function progressBar(io: Io, label: string, epochs: number, unit = 'epochs'): Progress {
  const bar = new cliProgress.SingleBar(
    {
      stream: io.stderr,
      format: `${label} ${BAR_FORMAT}`,
      barsize: 20,
      hideCursor: false,
      clearOnComplete: true,
      gracefulExit: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = performance.now();
  bar.start(epochs, 0, { loss: '-', left: leftText('…', unit), unit });
  onScreen.add(bar);
  return {
    update(epoch, validationLoss) {
      bar.update(epoch, progressPayload(started, epoch, epochs, validationLoss, unit));
    },
    stop() {
      onScreen.delete(bar);
      bar.stop();
    },
  };
}

/** Several progress bars drawn together (one per network trained at the same time). */
export interface ProgressGroup {
  /** One bar per label, in order. */
  bars: Progress[];
  /** Removes every bar. */
  stop(): void;
}

/** A {@link ProgressGroup} that shows nothing. */
export function silentProgressGroup(count: number): ProgressGroup {
  return { bars: Array.from({ length: count }, () => silentProgress), stop() {} };
}

/**
 * Progress bars for networks trained side by side, drawn by cli-progress on stderr; each counts
 * its `unit`, epochs unless said (a repeated training counts trainings).
 */
export function progressBars(
  io: Io,
  runs: readonly { label: string; epochs: number; unit?: string }[],
): ProgressGroup {
  const width = Math.max(...runs.map((run) => run.label.length));
  const group = new cliProgress.MultiBar(
    {
      stream: io.stderr,
      format: `{label} ${BAR_FORMAT}`,
      barsize: 20,
      hideCursor: false,
      clearOnComplete: true,
      gracefulExit: false,
    },
    cliProgress.Presets.shades_classic,
  );
  onScreen.add(group);
  const bars = runs.map((run): Progress => {
    const started = performance.now();
    const unit = run.unit ?? 'epochs';
    const bar = group.create(run.epochs, 0, {
      label: run.label.padEnd(width),
      loss: '-',
      left: leftText('…', unit),
      unit,
    });
    return {
      update(epoch, validationLoss) {
        bar.update(epoch, progressPayload(started, epoch, run.epochs, validationLoss, unit));
      },
      stop() {
        bar.stop();
      },
    };
  });
  return {
    bars,
    stop: () => {
      onScreen.delete(group);
      group.stop();
    },
  };
}

/** One line on stderr saying what a long step is doing, replaced by the next and then cleared. */
export interface StatusLine {
  show(text: string): void;
  clear(): void;
}

/** A status line that shows nothing (pipes, CI, `--json`, `--quiet`). */
export const silentStatus: StatusLine = { show() {}, clear() {} };

/**
 * A status line on stderr for the steps without a bar — reading a large file, scoring the test
 * rows (bootstrap and permutation resamples grow with the rows: minutes for a million) — so a long
 * run says what it is doing. Cleared on Ctrl-C like the bars.
 */
export function statusLine(io: Io): StatusLine {
  let shown = false;
  const line = {
    show(text: string) {
      const width = Math.max(10, (io.stderr.columns ?? 80) - 1);
      io.stderr.write(`\r${text.length > width ? `${text.slice(0, width - 1)}…` : text}\u001b[K`);
      shown = true;
      onScreen.add(line);
    },
    clear() {
      if (shown) io.stderr.write('\r\u001b[K');
      shown = false;
      onScreen.delete(line);
    },
    stop() {
      line.clear();
    },
  };
  return line;
}
