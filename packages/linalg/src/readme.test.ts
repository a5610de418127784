import { readFileSync } from 'node:fs';
import { format } from 'node:util';
import { describe, expect, it } from 'vitest';
import * as linalg from './index.js';

/**
 * Runs the README's first TypeScript block (written so that it is also plain JavaScript) with
 * the package's exports in scope, and compares what it logs with its `// →` comments.
 */
describe('README example', () => {
  it('prints what the README says it prints', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const lines = block!.split('\n');
    const expected = lines.filter((l) => l.startsWith('// → ')).map((l) => l.slice(5));
    const code = lines.filter((l) => !l.startsWith('import ')).join('\n');
    const logged: string[] = [];
    const log = (...args: unknown[]) => logged.push(format(...args));
    const names = Object.keys(linalg);
    const run = new Function('console', ...names, code) as (...args: unknown[]) => void;
    run({ log }, ...names.map((n) => (linalg as Record<string, unknown>)[n]));
    expect(expected.length).toBeGreaterThan(0);
    expect(logged).toEqual(expected);
  });
});
