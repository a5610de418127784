import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, scratchFolder } from '../test-cli.js';

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
