/**
 * What every command receives: where to write, how (colour, progress), and the flags every command
 * shares.
 */
import { readFileSync } from 'node:fs';
import { printable } from './printable.js';
import type { Io, Styles } from './terminal.js';
import { colourEnabled } from './terminal.js';

/** Flags shared by the commands. */
export interface CommonFlags {
  /** One JSON document on stdout and nothing else. */
  json?: boolean;
  /** Nothing but errors and the data asked for. */
  quiet?: boolean;
  /** Replace existing output files. */
  force?: boolean;
  /** Stack traces on errors. */
  debug?: boolean;
}

/** The world a command runs in. */
export interface Context {
  io: Io;
  style: Styles;
  /** Whether to draw progress bars. */
  progress: boolean;
  /** The CLI's version (from its package.json). */
  version: string;
}

/** The version in the package's package.json (one level above both `src/` and `dist/`). */
export function packageVersion(): string {
  const text = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
  const version = (JSON.parse(text) as { version?: unknown }).version;
  return typeof version === 'string' ? version : '0.0.0';
}

/** Writes a line to stdout, its control characters escaped but for the CLI's own colours. */
export function say(context: Context, text: string): void {
  context.io.stdout.write(`${printable(text, { styles: colourEnabled(context.io) })}\n`);
}

/** Writes a note for people to stderr (stdout stays clean for data), unless `--quiet`. */
export function note(context: Context, flags: CommonFlags, text: string): void {
  if (flags.quiet !== true) context.io.stderr.write(`${printable(text)}\n`);
}
