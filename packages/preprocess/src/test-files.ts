import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The real file's header line. */
export const HEADER =
  'User_ID,Age,Country,Streaming Platform,Top Genre,Minutes Streamed Per Day,Number of Songs Liked,Most Played Artist,Subscription Type,Listening Time (Morning/Afternoon/Night),Discover Weekly Engagement (%),Repeat Song Rate (%)';

/** Three made-up listener rows in the real file's format. */
export const ROWS = [
  'U1000,25,Brazil,Spotify,Pop,120,40,Drake,Free,Night,55.5,20.25',
  'U1001,41,Japan,Deezer,R&B,300,410,BTS,Premium,Morning,12.75,64.5',
  'U1002,60,USA,YouTube,Jazz,10,1,Adele,Free,Afternoon,89.99,5',
];

/** Lines joined by LF, with a final newline. */
export function csv(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

/** A temporary folder for one test file, and a way to write files into it and remove it. */
export function tempFolder(): {
  readonly dir: string;
  write(name: string, content: string | Uint8Array): string;
  remove(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'scratchnet-preprocess-'));
  return {
    dir,
    write(name, content) {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
