/**
 * The text of the file a table was read from, for the error path that names a row's line. The
 * command reads the file again; a page has no files to read, so it hands over the text of the one
 * it was given. Found without a static `node:fs` import, so the questions run in a page too.
 */

let given: { source: string; text: string } | undefined;

/** Makes `text` the content of `source` for the next errors (a page's dropped file). */
export function giveSourceText(source: string, text: string): void {
  given = { source, text };
}

/** The content of `source`: the text given for it, else the file read from disk (Node.js). */
export function sourceText(source: string): string {
  if (given?.source === source) return given.text;
  const fs = (globalThis as { process?: NodeJS.Process }).process?.getBuiltinModule?.('node:fs');
  if (fs === undefined) throw new Error(`no file system to read ${source} from`);
  return fs.readFileSync(source, 'utf8');
}
