/**
 * What training reports as it goes, apart from the bars that draw it (terminal.ts, cli-progress),
 * so the code that trains imports nothing of the terminal and runs in a page too.
 */

/** One line of training progress. */
export interface Progress {
  /** Called once per epoch. */
  update(epoch: number, validationLoss: number): void;
  /** Removes the bar (a finished run prints its own summary). */
  stop(): void;
}

/** A progress reporter that shows nothing (pipes, CI, `--json`, `--quiet`). */
export const silentProgress: Progress = { update() {}, stop() {} };
