/**
 * Test helpers: run the BUILT CLI (`dist/bin.js`) as a child process, as a user would, and make
 * scratch folders. Not part of the build (see tsconfig.build.json).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built executable. */
export const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

/** The repository root (apps/cli/src → three levels up). */
export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

/** The real data file, beside the repository (`../shared/data/`), which may be absent. */
export const REAL_CSV = resolve(
  REPO_ROOT,
  '../shared/data/Global_Music_Streaming_Listener_Preferences.csv',
);

/**
 * The limit for a `beforeAll` that runs the CLI: such hooks generate files and train networks in
 * several child processes at once, which on a busy 2-core machine (turbo runs every package's
 * tests together) takes far longer than vitest's hook limit.
 */
export const SPAWNING_HOOK_TIMEOUT = 300_000;

/** What a run printed and how it ended. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `scratchnet <args>` in `cwd` with a plain environment (no TTY, no CI variable). */
export function runCli(
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<CliRun> {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run pnpm build in apps/cli first`);
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  delete env.CI;
  delete env.FORCE_COLOR;
  return new Promise((done) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: options.cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        done({ code, stdout, stderr });
      },
    );
  });
}

/** A fresh scratch folder and a function that removes it. */
export async function scratchFolder(): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'scratchnet-cli-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Checks the error contract: exactly one line on stderr, prefixed, with no stack trace. */
export function oneErrorLine(run: CliRun): string {
  const lines = run.stderr.split('\n').filter((line) => line.length > 0);
  if (lines.length !== 1)
    throw new Error(`expected one line on stderr, got ${lines.length}:\n${run.stderr}`);
  const line = lines[0]!;
  if (!line.startsWith('scratchnet: ')) throw new Error(`expected 'scratchnet: …', got: ${line}`);
  if (/\n\s+at /.test(run.stderr)) throw new Error(`stack trace on stderr:\n${run.stderr}`);
  return line;
}
