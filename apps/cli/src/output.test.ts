import { mkdtemp, readdir, readFile, rm, writeFile, mkdir, symlink } from 'node:fs/promises';
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
