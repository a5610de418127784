import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, oneErrorLine, runCli, scratchFolder } from '../test-cli.js';

let folder: { path: string; remove: () => Promise<void> };
const cli = (...args: string[]) => runCli(args, { cwd: folder.path });

beforeAll(async () => {
  folder = await scratchFolder();
});
afterAll(async () => {
  await folder.remove();
});

describe('scratchnet generate', () => {
  it('writes the real schema, the same file for the same seed, and says what it wrote', async () => {
    const [a, b, c] = await Promise.all([
      cli('generate', '--rows', '50', '--seed', '9', '--out', 'a.csv'),
      cli('generate', '--rows', '50', '--seed', '9', '--out', 'b.csv'),
      cli('generate', '--rows', '50', '--seed', '10', '--out', 'c.csv'),
    ]);
    expect(a.stderr).toBe('Wrote 50 synthetic listeners to a.csv (seed 9; no planted effects).\n');
    for (const run of [a, b, c]) expect(run.code).toBe(0);
    const [textA, textB, textC] = await Promise.all(
      ['a.csv', 'b.csv', 'c.csv'].map((name) => readFile(join(folder.path, name), 'utf8')),
    );
    expect(textA).toBe(textB);
    expect(textA).not.toBe(textC);
    const lines = textA!.trimEnd().split('\n');
    expect(lines).toHaveLength(51);
    expect(lines[0]).toBe(
      'User_ID,Age,Country,Streaming Platform,Top Genre,Minutes Streamed Per Day,Number of Songs Liked,Most Played Artist,Subscription Type,Listening Time (Morning/Afternoon/Night),Discover Weekly Engagement (%),Repeat Song Rate (%)',
    );
  });

  it('prints a JSON summary with --json and nothing on stderr', async () => {
    const run = await cli(
      'generate',
      '--rows',
      '20',
      '--effect',
      'minutes=0.5',
      '--out',
      'j.csv',
      '--json',
    );
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      out: 'j.csv',
      rows: 20,
      seed: 42,
      effects: { genre: 0, minutes: 0.5, time: 0 },
    });
  });

  it('leaves nothing behind when refused', async () => {
    const before = await readdir(folder.path);
    const run = await cli('generate', '--rows', '20', '--out', 'a.csv');
    expect(run.code).toBe(2);
    expect(await readdir(folder.path)).toEqual(before);
  });
});

describe('an interrupted run (Ctrl-C)', () => {
  it('removes its temporary file and exits with 130', async () => {
    const cwd = join(folder.path, 'interrupted');
    await mkdir(cwd);
    // The most rows there are: the write is still going when the test interrupts it.
    const child = spawn(
      process.execPath,
      [BIN, 'generate', '--rows', '10000000', '--out', 'x.csv'],
      {
        cwd,
        stdio: 'ignore',
      },
    );
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    let files: string[] = [];
    for (let waited = 0; files.length === 0 && waited < 60_000; waited += 10) {
      await sleep(10);
      files = await readdir(cwd);
    }
    expect(files).toEqual([expect.stringMatching(/^\.x\.csv\.\d+\.[0-9a-f]+\.tmp$/)]);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(await readdir(cwd)).toEqual([]);
  });

  it('refuses a flag in the place of a file name, and a single-value flag given twice', async () => {
    const flagAsName = await cli('generate', '--rows', '5', '--out', '--quiet');
    expect(flagAsName.code).toBe(2);
    expect(oneErrorLine(flagAsName)).toBe(
      "scratchnet: --out: expected a file name, got the flag '--quiet' (for a file of that name, write ./--quiet)",
    );
    const twice = await cli(
      'generate',
      '--rows',
      '5',
      '--seed',
      '1',
      '--seed',
      '2',
      '--out',
      't.csv',
    );
    expect(twice.code).toBe(2);
    expect(oneErrorLine(twice)).toBe(
      "scratchnet: --seed: given more than once (again as '2'); give it once",
    );
    const outTwice = await cli('generate', '--rows', '5', '--out', 'u.csv', '--out', 'v.csv');
    expect(oneErrorLine(outTwice)).toMatch(/^scratchnet: --out: given more than once/);
    const files = await readdir(folder.path);
    for (const name of ['--quiet', 't.csv', 'u.csv', 'v.csv']) expect(files).not.toContain(name);
  });
});
