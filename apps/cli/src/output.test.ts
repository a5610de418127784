import { execFileSync } from 'node:child_process';
import {
  chmod,
  lstat,
  mkdtemp,
  readdir,
  readFile,
  rm,
  writeFile,
  mkdir,
  symlink,
  stat,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliError, UsageError } from './errors.js';
import { checkOutputPaths, writeOutputs } from './output.js';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'scratchnet-output-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('writeOutputs', () => {
  it('writes every file and leaves no temporary file behind', async () => {
    await writeOutputs(
      [
        { path: join(folder, 'a.json'), flag: '--out', content: 'A' },
        { path: join(folder, 'b.html'), flag: '--report', content: 'B' },
      ],
      { force: false },
    );
    expect((await readdir(folder)).sort()).toEqual(['a.json', 'b.html']);
    expect(await readFile(join(folder, 'a.json'), 'utf8')).toBe('A');
  });

  it('refuses to replace a file without force, and keeps it as it was', async () => {
    const path = join(folder, 'a.json');
    await writeFile(path, 'old');
    await expect(
      writeOutputs([{ path, flag: '--out', content: 'new' }], { force: false }),
    ).rejects.toThrow(UsageError);
    expect(await readFile(path, 'utf8')).toBe('old');
    expect(await readdir(folder)).toEqual(['a.json']);
  });

  it('replaces a file with force', async () => {
    const path = join(folder, 'a.json');
    await writeFile(path, 'old');
    await writeOutputs([{ path, flag: '--out', content: 'new' }], { force: true });
    expect(await readFile(path, 'utf8')).toBe('new');
  });

  it('writes all or nothing: when one target is refused, none is written', async () => {
    await writeFile(join(folder, 'b.html'), 'old');
    await expect(
      writeOutputs(
        [
          { path: join(folder, 'a.json'), flag: '--out', content: 'A' },
          { path: join(folder, 'b.html'), flag: '--report', content: 'B' },
        ],
        { force: false },
      ),
    ).rejects.toThrow(/b\.html: already exists \(--report\); use --force/);
    expect(await readdir(folder)).toEqual(['b.html']);
  });

  it('removes a half-written file when its writer fails', async () => {
    const path = join(folder, 'big.csv');
    await expect(
      writeOutputs(
        [
          {
            path,
            flag: '--out',
            content: async (temporary) => {
              await writeFile(temporary, 'half a file');
              throw new Error('disk full');
            },
          },
        ],
        { force: false },
      ),
    ).rejects.toThrow('disk full');
    expect(await readdir(folder)).toEqual([]);
  });

  it('fails clearly for a missing folder and for a target that is a folder', async () => {
    await expect(
      writeOutputs([{ path: join(folder, 'nope', 'a.json'), flag: '--out', content: 'A' }], {
        force: true,
      }),
    ).rejects.toThrow(CliError);
    await mkdir(join(folder, 'dir'));
    await expect(
      writeOutputs([{ path: join(folder, 'dir'), flag: '--out', content: 'A' }], { force: true }),
    ).rejects.toThrow(/is a folder/);
    expect(await readdir(folder)).toEqual(['dir']);
  });
});

describe('checkOutputPaths', () => {
  it('refuses two flags naming the same file', async () => {
    const path = join(folder, 'x');
    await expect(
      checkOutputPaths(
        [
          { path, flag: '--out' },
          { path: join(folder, '.', 'x'), flag: '--report' },
        ],
        { force: true },
      ),
    ).rejects.toThrow(/both --out and --report/);
  });

  it('refuses an output that is an input, even with force and through a symlink', async () => {
    const model = join(folder, 'model.json');
    await writeFile(model, '{}');
    await symlink(model, join(folder, 'alias.json'));
    const inputs = [
      { path: join(folder, 'data.csv'), flag: '--data' },
      { path: model, flag: '--model' },
    ];
    for (const path of [model, join(folder, 'alias.json')]) {
      await expect(
        checkOutputPaths([{ path, flag: '--report' }], { force: true }, inputs),
      ).rejects.toThrow(/is the --model input of this run; --report must name another file/);
    }
    await expect(
      checkOutputPaths(
        [{ path: join(folder, 'report.html'), flag: '--report' }],
        { force: true },
        inputs,
      ),
    ).resolves.toBeUndefined();
    expect(await readFile(model, 'utf8')).toBe('{}');
  });
});

describe('targets that are not regular files', () => {
  const fifo = () => {
    const path = join(folder, 'pipe');
    execFileSync('mkfifo', [path]);
    return path;
  };

  it('never replaces a FIFO, --force or not, and leaves it a FIFO', async () => {
    const path = fifo();
    for (const force of [false, true]) {
      await expect(
        writeOutputs([{ path, flag: '--out', content: 'A' }], { force }),
      ).rejects.toThrow(
        `${path}: cannot write --out: it is a FIFO (named pipe); give the name of a regular file or of a new one`,
      );
      await expect(checkOutputPaths([{ path, flag: '--out' }], { force })).rejects.toThrow(
        /it is a FIFO/,
      );
    }
    expect((await lstat(path)).isFIFO()).toBe(true);
    expect(await readdir(folder)).toEqual(['pipe']);
  });

  it('never replaces a symlink to a device or to nothing, and leaves the link alone', async () => {
    const toNull = join(folder, 'null-link');
    const dangling = join(folder, 'dangling');
    await symlink('/dev/null', toNull);
    await symlink(join(folder, 'nothing-here'), dangling);
    await expect(
      writeOutputs([{ path: toNull, flag: '--out', content: 'A' }], { force: true }),
    ).rejects.toThrow(/null-link: cannot write --out: it is a symbolic link to a character device/);
    await expect(
      writeOutputs([{ path: dangling, flag: '--report', content: 'A' }], { force: true }),
    ).rejects.toThrow(/dangling: cannot write --report: it is a symbolic link to nothing/);
    expect((await lstat(toNull)).isSymbolicLink()).toBe(true);
    expect((await stat(toNull)).isCharacterDevice()).toBe(true);
    expect((await lstat(dangling)).isSymbolicLink()).toBe(true);
  });

  it('replaces a symlink to a regular file with --force, and leaves the file it pointed to', async () => {
    const real = join(folder, 'real.json');
    const link = join(folder, 'link.json');
    await writeFile(real, 'old');
    await symlink(real, link);
    await expect(
      writeOutputs([{ path: link, flag: '--out', content: 'new' }], { force: false }),
    ).rejects.toThrow(/link\.json: already exists \(--out\); use --force/);
    await writeOutputs([{ path: link, flag: '--out', content: 'new' }], { force: true });
    expect((await lstat(link)).isFile()).toBe(true);
    expect(await readFile(link, 'utf8')).toBe('new');
    expect(await readFile(real, 'utf8')).toBe('old');
  });

  it('refuses a FIFO that appears while the file is written', async () => {
    const path = join(folder, 'late');
    await expect(
      writeOutputs(
        [
          {
            path,
            flag: '--out',
            content: async (temporary) => {
              await writeFile(temporary, 'A');
              execFileSync('mkfifo', [path]);
            },
          },
        ],
        { force: true },
      ),
    ).rejects.toThrow(/late: cannot write --out: it is a FIFO/);
    expect((await lstat(path)).isFIFO()).toBe(true);
    expect(await readdir(folder)).toEqual(['late']);
  });

  it('refuses a name ending in / or . instead of writing the name before it', async () => {
    for (const name of ['p2.txt/', 'p2.txt/.', 'p2.txt/..']) {
      await expect(
        writeOutputs(
          [
            {
              path: `${folder}/${name}`,
              flag: '--out',
              content: 'A',
            },
          ],
          {
            force: true,
          },
        ),
      ).rejects.toThrow(
        /cannot write --out: the name ends in '(\/|\.|\.\.)', so it names a folder/,
      );
    }
    expect(await readdir(folder)).toEqual([]);
  });
});

describe('file names and folders', () => {
  it('writes names up to 255 bytes, whose temporary names would be longer', async () => {
    const names = ['a'.repeat(240) + '.json', 'b'.repeat(250) + '.json', 'é'.repeat(125) + '.json'];
    for (const name of names) {
      expect(Buffer.byteLength(name)).toBeGreaterThanOrEqual(245);
      await writeOutputs([{ path: join(folder, name), flag: '--out', content: name }], {
        force: false,
      });
      expect(await readFile(join(folder, name), 'utf8')).toBe(name);
    }
    expect((await readdir(folder)).sort()).toEqual([...names].sort());
  });

  it('refuses a name over 255 bytes before anything is written', async () => {
    const name = 'é'.repeat(128);
    await expect(
      checkOutputPaths([{ path: join(folder, name), flag: '--out' }], { force: false }),
    ).rejects.toThrow(
      `${join(folder, name)}: cannot write --out: the file name is 256 bytes long, expected at most 255`,
    );
  });

  it('names the file the user gave, not the temporary file, when the folder takes no files', async () => {
    // /proc takes no new files, for root too; a folder without write permission shows the same
    // for other users.
    const path = '/proc/scratchnet-model.json';
    await expect(checkOutputPaths([{ path, flag: '--out' }], { force: true })).rejects.toThrow(
      `${path}: cannot write --out: no such file or folder (ENOENT)`,
    );
    const locked = join(folder, 'locked');
    await mkdir(locked);
    await chmod(locked, 0o555);
    const inLocked = join(locked, 'model.json');
    const check = checkOutputPaths([{ path: inLocked, flag: '--out' }], { force: false });
    if (process.getuid?.() === 0) await expect(check).resolves.toBeUndefined();
    else
      await expect(check).rejects.toThrow(
        `${inLocked}: cannot write --out: permission denied (EACCES)`,
      );
    expect(await readdir(locked)).toEqual([]);
  });

  it('reports a failed write under the name the user gave, with the flag', async () => {
    const path = join(folder, 'model.json');
    const full = Object.assign(
      new Error(`ENOSPC: no space left on device, write '${folder}/.x.tmp'`),
      {
        code: 'ENOSPC',
      },
    );
    await expect(
      writeOutputs(
        [
          {
            path,
            flag: '--out',
            content: () => Promise.reject(full),
          },
        ],
        { force: false },
      ),
    ).rejects.toThrow(`${path}: cannot write --out: no space left on the device (ENOSPC)`);
    expect(await readdir(folder)).toEqual([]);
  });
});
