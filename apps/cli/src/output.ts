/**
 * Output files that are never half-written. Every file a command writes (model, report, CSV) is
 * written to a temporary file in the same folder and then renamed over its name, so a reader sees
 * the old file or the whole new one, never a part. Targets are checked before any work starts, so
 * a run that would refuse to overwrite fails in milliseconds, not after training, and a run that
 * fails leaves no output file behind.
 */
import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { closeSync, openSync, promises as fs, rmSync } from 'node:fs';
import { constants } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { CliError, UsageError } from './errors.js';

/** What may happen to a file that is already there. */
export interface WriteOptions {
  /** Replace an existing file (otherwise an existing file is an error). */
  force: boolean;
}

/**
 * Files a write in progress would leave behind if the process died now: temporary files, and
 * targets already linked into place while later ones of the same set are not yet. An interrupted
 * run (Ctrl-C) removes them before it exits; see {@link removeOutputsOnSignals}.
 */
const unfinished = new Set<string>();

async function lstatOrUndefined(path: string) {
  try {
    return await fs.lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function statOrUndefined(path: string) {
  try {
    return await fs.stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Linux's limit (NAME_MAX) on one file name, in bytes, on every common file system. */
export const NAME_MAX_BYTES = 255;

/** What a file that is not a regular file is, for the message that refuses to replace it. */
function kindOf(stat: Stats): string {
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/** The words for the system error codes a write meets, e.g. `permission denied (EACCES)`. */
const ERROR_WORDS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exceeded',
  ENAMETOOLONG: 'the name is too long',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'it is a folder',
  EIO: 'an input/output error',
};

function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code);
}

/**
 * A failed system call as one line naming the file the user gave: Node's own message names the
 * hidden temporary file, which the user never asked for.
 */
function writeFailure(path: string, flag: string, error: NodeJS.ErrnoException): CliError {
  const code = error.code!;
  const words = ERROR_WORDS[code];
  return cannotWrite(
    { path, flag },
    words === undefined ? code : `${words} (${code})`,
    'output-unwritable',
  );
}

function cannotWrite(file: { path: string; flag: string }, why: string, code: string): CliError {
  return new CliError(`${file.path}: cannot write ${file.flag}: ${why}`, code);
}

const REGULAR_ONLY = '; give the name of a regular file or of a new one';

/**
 * Why `path` cannot be replaced, or `undefined` when it is absent or a regular file (also through
 * a symbolic link). Devices, FIFOs and sockets are never replaced, `--force` or not: renaming a
 * file over `/dev/null` would turn it into a regular file for every program on the machine.
 */
async function notARegularFile(target: string): Promise<string | undefined> {
  const own = await lstatOrUndefined(target);
  if (own === undefined || own.isFile() || own.isDirectory()) return undefined;
  if (!own.isSymbolicLink()) return `it is ${kindOf(own)}${REGULAR_ONLY}`;
  const linked = await statOrUndefined(target);
  if (linked === undefined) return `it is a symbolic link to nothing${REGULAR_ONLY}`;
  if (linked.isFile() || linked.isDirectory()) return undefined;
  return `it is a symbolic link to ${kindOf(linked)}${REGULAR_ONLY}`;
}

function temporaryName(target: string): string {
  const suffix = `.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  // The temporary name must fit where the target's name fits: a 245-byte name plus the suffix
  // would pass the limit, so the copy of the name is cut (at a character, never inside one).
  let name = '.';
  for (const character of basename(target)) {
    if (Buffer.byteLength(name + character + suffix) > NAME_MAX_BYTES) break;
    name += character;
  }
  return join(dirname(target), name + suffix);
}

/**
 * Checks that `path` can be written: its name is a file's name (not ending in `/`, within 255
 * bytes), its folder exists and takes new files, and it is absent, or a regular file and `force`
 * is set. Throws a {@link UsageError} for an existing file without `--force` or a name too long
 * (fixing it means changing the command line) and a {@link CliError} otherwise.
 */
export async function checkOutputPath(
  path: string,
  flag: string,
  options: WriteOptions,
): Promise<void> {
  const cannot = (why: string, code: string) => cannotWrite({ path, flag }, why, code);
  // resolve() would drop a trailing slash or a final `.` and write a file the name never meant.
  const ending = /[/\\]$/.test(path) ? '/' : basename(path);
  if (['/', '.', '..'].includes(ending)) {
    throw cannot(
      `the name ends in '${ending}', so it names a folder, not a file`,
      'output-is-folder',
    );
  }
  const target = resolve(path);
  const bytes = Buffer.byteLength(basename(target));
  if (bytes > NAME_MAX_BYTES) {
    throw new UsageError(
      `${path}: cannot write ${flag}: the file name is ${bytes} bytes long, expected at most ${NAME_MAX_BYTES}`,
      'output-name-too-long',
    );
  }
  const folder = dirname(target);
  try {
    const folderStat = await statOrUndefined(folder);
    if (folderStat === undefined) {
      throw cannot(`folder ${dirname(path)} does not exist`, 'output-folder-missing');
    }
    if (!folderStat.isDirectory()) {
      throw cannot(`${dirname(path)} is not a folder`, 'output-folder-missing');
    }
    const stat = await statOrUndefined(target);
    if (stat?.isDirectory()) throw cannot('it is a folder', 'output-is-folder');
    const other = await notARegularFile(target);
    if (other !== undefined) {
      throw cannot(other, 'output-not-a-file');
    }
    if (stat !== undefined && !options.force) {
      throw new UsageError(
        `${path}: already exists (${flag}); use --force to replace it`,
        'output-exists',
      );
    }
    probeFolder(target);
  } catch (error) {
    throw isSystemError(error) ? writeFailure(path, flag, error) : error;
  }
}

/**
 * Creates and removes a temporary file beside `target`: the one sure test that the folder takes
 * new files (permissions, a read-only file system, `/proc`), made before a run trains for
 * minutes and then cannot save its work. Synchronous, so an interrupt (whose handler runs between
 * JavaScript turns) never finds the probe half made and never leaves it behind.
 */
function probeFolder(target: string): void {
  const probe = temporaryName(target);
  const descriptor = openSync(probe, 'wx', 0o644);
  try {
    closeSync(descriptor);
  } finally {
    rmSync(probe, { force: true });
  }
}

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
  // The file being written, so a failed system call is reported under the name the user gave.
  let current: OutputFile | undefined;
  try {
    for (const file of files) {
      current = file;
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
      current = file;
      if (options.force) {
        // Checked again at the last moment: a FIFO or device put there since the first check
        // must not be replaced either.
        const other = await notARegularFile(target);
        if (other !== undefined) {
          throw cannotWrite(file, other, 'output-not-a-file');
        }
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
    throw current !== undefined && isSystemError(error)
      ? writeFailure(current.path, current.flag, error)
      : error;
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
    // A name the system refuses (too long, say) is not an input; checkOutputPath says what is wrong.
    const stat = await statOrUndefined(key).catch(() => undefined);
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
