/**
 * Output files that are never half-written. Every file a command writes (model, report, CSV) is
 * written to a temporary file in the same folder and then renamed over its name, so a reader sees
 * the old file or the whole new one, never a part. Targets are checked before any work starts, so
 * a run that would refuse to overwrite fails in milliseconds, not after training, and a run that
 * fails leaves no output file behind.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs, rmSync } from 'node:fs';
import { constants } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { CliError, UsageError } from './errors.js';

/** What may happen to a file that is already there. */
export interface WriteOptions {
  /** Replace an existing file (otherwise an existing file is an error). */
  force: boolean;
}

async function statOrUndefined(path: string) {
  try {
    return await fs.stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Checks that `path` can be written: its folder exists, it is not a folder, and it does not exist
 * unless `force` is set. Throws a {@link UsageError} for an existing file without `--force`
 * (fixing it means changing the command line) and a {@link CliError} for a missing folder.
 */
export async function checkOutputPath(
  path: string,
  flag: string,
  options: WriteOptions,
): Promise<void> {
  const target = resolve(path);
  const folder = dirname(target);
  const folderStat = await statOrUndefined(folder);
  if (folderStat === undefined) {
    throw new CliError(
      `${path}: cannot write ${flag}: folder ${dirname(path)} does not exist`,
      'output-folder-missing',
    );
  }
  if (!folderStat.isDirectory()) {
    throw new CliError(
      `${path}: cannot write ${flag}: ${dirname(path)} is not a folder`,
      'output-folder-missing',
    );
  }
  const stat = await statOrUndefined(target);
  if (stat?.isDirectory()) {
    throw new CliError(`${path}: cannot write ${flag}: it is a folder`, 'output-is-folder');
  }
  if (stat !== undefined && !options.force) {
    throw new UsageError(
      `${path}: already exists (${flag}); use --force to replace it`,
      'output-exists',
    );
  }
}

function temporaryName(target: string): string {
  return join(
    dirname(target),
    `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
}

/**
 * Files a write in progress would leave behind if the process died now: temporary files, and
 * targets already linked into place while later ones of the same set are not yet. An interrupted
 * run (Ctrl-C) removes them before it exits; see {@link removeOutputsOnSignals}.
 */
const unfinished = new Set<string>();

/** The signals after which a run removes its unfinished outputs and exits (128 + number). */
const CLEANUP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Makes SIGINT (Ctrl-C), SIGTERM and SIGHUP remove every unfinished output of the running command
 * (see `writeOutputs`) before the process exits with 128 + the signal's number, as it would have
 * without a handler. Installed once by the executable; the in-process API leaves signals alone.
 */
export function removeOutputsOnSignals(): void {
  for (const signal of CLEANUP_SIGNALS) {
    process.once(signal, () => {
      removeUnfinishedOutputs();
      process.exit(128 + constants.signals[signal]);
    });
  }
}

/** Removes, synchronously, every file {@link writeOutputs} has not finished. */
export function removeUnfinishedOutputs(): void {
  for (const path of unfinished) rmSync(path, { force: true });
  unfinished.clear();
}

/** One file to write: where, and what. */
export interface OutputFile {
  /** The path as the user gave it. */
  path: string;
  /** The flag that named it, for messages (e.g. `--out`). */
  flag: string;
  /** The whole content, or a function that writes it to the (temporary) path it is given. */
  content: string | ((temporaryPath: string) => Promise<void>);
}

/**
 * Writes a set of files all-or-nothing: every content goes to its temporary file first; only when
 * all are on disk are they renamed into place. On any failure the temporary files are removed and
 * no target is touched. Without `force`, an existing target is refused even if it appeared after
 * the check (the last step links rather than renames, which fails when the name is taken).
 */
export async function writeOutputs(
  files: readonly OutputFile[],
  options: WriteOptions,
): Promise<void> {
  const staged: { temporary: string; target: string; file: OutputFile }[] = [];
  // Targets this call created: removed again if a later one fails, so the set stays all-or-nothing.
  const created: string[] = [];
  try {
    for (const file of files) {
      await checkOutputPath(file.path, file.flag, options);
      const target = resolve(file.path);
      const temporary = temporaryName(target);
      staged.push({ temporary, target, file });
      unfinished.add(temporary);
      if (typeof file.content === 'string') {
        const handle = await fs.open(temporary, 'wx', 0o644);
        try {
          await handle.writeFile(file.content, 'utf8');
          await handle.sync();
        } finally {
          await handle.close();
        }
      } else {
        await file.content(temporary);
      }
    }
    for (const { temporary, target, file } of staged) {
      if (options.force) {
        await fs.rename(temporary, target);
      } else {
        try {
          await fs.link(temporary, target);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'EEXIST') {
            throw new UsageError(
              `${file.path}: already exists (${file.flag}); use --force to replace it`,
              'output-exists',
            );
          }
          // A file system without hard links: fall back to a plain rename after the check above.
          if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw error;
          unfinished.add(target);
          await fs.rename(temporary, target);
          created.push(target);
          continue;
        }
        unfinished.add(target);
        created.push(target);
        await fs.unlink(temporary);
      }
    }
  } catch (error) {
    await Promise.all(created.map((target) => fs.rm(target, { force: true })));
    throw error;
  } finally {
    await Promise.all(staged.map(({ temporary }) => fs.rm(temporary, { force: true })));
    // Done (or cleaned up): an interrupt from here on must not remove the finished files.
    for (const { temporary } of staged) unfinished.delete(temporary);
    for (const target of created) unfinished.delete(target);
  }
}

/** A file named on the command line, with the flag that named it. */
export interface NamedPath {
  path: string;
  flag: string;
}

/**
 * Checks every output a command will write before any work starts: each can be written (see
 * {@link checkOutputPath}), no two flags name the same file, and no output is one of the
 * command's `inputs` — not even with `--force`, which is for replacing old outputs, not for
 * destroying the model or data a run reads (compared by device and inode, so a symlink or a
 * second path to the same file is caught too).
 */
export async function checkOutputPaths(
  targets: readonly NamedPath[],
  options: WriteOptions,
  inputs: readonly (NamedPath | { path: undefined; flag: string })[] = [],
): Promise<void> {
  const inputFiles: { flag: string; dev: number; ino: number }[] = [];
  for (const { path, flag } of inputs) {
    if (path === undefined) continue;
    const stat = await statOrUndefined(resolve(path));
    if (stat !== undefined) inputFiles.push({ flag, dev: stat.dev, ino: stat.ino });
  }
  const seen = new Map<string, string>();
  for (const { path, flag } of targets) {
    const key = resolve(path);
    const other = seen.get(key);
    if (other !== undefined) {
      throw new UsageError(
        `${path}: named by both ${other} and ${flag}; give each its own file`,
        'output-twice',
      );
    }
    seen.set(key, flag);
    const stat = await statOrUndefined(key);
    const input =
      stat === undefined
        ? undefined
        : inputFiles.find((file) => file.dev === stat.dev && file.ino === stat.ino);
    if (input !== undefined) {
      throw new UsageError(
        `${path}: is the ${input.flag} input of this run; ${flag} must name another file`,
        'output-is-input',
      );
    }
    await checkOutputPath(path, flag, options);
  }
}
