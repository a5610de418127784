/**
 * What the terminal can show: colour only on a TTY and never with `NO_COLOR`; a progress bar only
 * when stderr is a TTY, not in CI, and not with `--json` or `--quiet`.
 */
import cliProgress from 'cli-progress';

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

/** One line of training progress. */
export interface Progress {
  /** Called once per epoch. */
  update(epoch: number, validationLoss: number): void;
  /** Removes the bar (a finished run prints its own summary). */
  stop(): void;
}

/** A progress reporter that shows nothing (pipes, CI, `--json`, `--quiet`). */
export const silentProgress: Progress = { update() {}, stop() {} };

/**
 * A progress bar for one training run, drawn by cli-progress on stderr. It redraws at most every
 * 200 ms, so a fast run costs nothing and a slow one still moves.
 */
export function progressBar(io: Io, label: string, epochs: number): Progress {
  const bar = new cliProgress.SingleBar(
    {
      stream: io.stderr,
      format: `${label} {bar} {value}/{total} epochs | validation loss {loss}`,
      barsize: 24,
      hideCursor: false,
      clearOnComplete: true,
      gracefulExit: false,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(epochs, 0, { loss: '-' });
  return {
    update(epoch, validationLoss) {
      bar.update(epoch, { loss: validationLoss.toFixed(4) });
    },
    stop() {
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

/** Progress bars for networks trained side by side, drawn by cli-progress on stderr. */
export function progressBars(
  io: Io,
  runs: readonly { label: string; epochs: number }[],
): ProgressGroup {
  const width = Math.max(...runs.map((run) => run.label.length));
  const group = new cliProgress.MultiBar(
    {
      stream: io.stderr,
      format: '{label} {bar} {value}/{total} epochs | validation loss {loss}',
      barsize: 24,
      hideCursor: false,
      clearOnComplete: true,
      gracefulExit: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const bars = runs.map((run): Progress => {
    const bar = group.create(run.epochs, 0, { label: run.label.padEnd(width), loss: '-' });
    return {
      update(epoch, validationLoss) {
        bar.update(epoch, { loss: validationLoss.toFixed(4) });
      },
      stop() {
        bar.stop();
      },
    };
  });
  return { bars, stop: () => group.stop() };
}
