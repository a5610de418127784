// Shared by the packages' README tests: runs a README's first TypeScript block with the given
// names in scope and collects what it logs beside what its comments say it logs, so that the
// documented output cannot drift from the code.
import { readFileSync } from 'node:fs';
import { formatWithOptions } from 'node:util';

/**
 * The README's example (its `import` lines dropped, `scope` provided instead) run once. An output
 * comment is a `// …` line right after a statement's closing `);`.
 */
export function runReadmeExample(
  readme: URL,
  scope: Record<string, unknown>,
): { expected: string[]; printed: string[] } {
  const code = /```ts\n([\s\S]*?)```/.exec(readFileSync(readme, 'utf8'))![1]!;
  const lines = code.split('\n');
  const expected = lines.flatMap((line, i) =>
    i > 0 && lines[i - 1]!.endsWith(');') && line.startsWith('// ') ? [line.slice(3)] : [],
  );
  const printed: string[] = [];
  const console = {
    log: (...args: unknown[]) =>
      printed.push(formatWithOptions({ breakLength: Infinity }, ...args)),
  };
  const body = lines.filter((l) => !l.startsWith('import ')).join('\n');
  const names = Object.keys(scope);
  new Function(...names, 'console', body)(...names.map((n) => scope[n]), console);
  return { expected, printed };
}
