import { readFileSync } from 'node:fs';
import { formatWithOptions } from 'node:util';
import * as linalg from '@scratchnet/linalg';
import * as nn from '@scratchnet/nn';
import { describe, expect, it } from 'vitest';
import * as engines from './index.js';
import { kernelSupport } from './wasm.js';

// The README's example is run here, and every `console.log` must print what the comment under it
// says, so the documented output cannot drift from the code.
describe.skipIf(!kernelSupport().simd)('README example', () => {
  it('prints what its comments say', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const code = /```ts\n([\s\S]*?)```/.exec(readme)![1]!;
    const lines = code.split('\n');
    const expected = lines.flatMap((line, i) =>
      i > 0 && lines[i - 1]!.endsWith(');') && line.startsWith('// ') ? [line.slice(3)] : [],
    );
    const printed: string[] = [];
    const fakeConsole = {
      log: (...args: unknown[]) =>
        printed.push(formatWithOptions({ breakLength: Infinity }, ...args)),
    };
    const body = lines.filter((l) => !l.startsWith('import ')).join('\n');
    const names = ['Matrix', 'Rng', 'Network', 'fit', 'twoLayerEngine'];
    const values = [linalg.Matrix, linalg.Rng, nn.Network, nn.fit, engines.twoLayerEngine];
    new Function(...names, 'console', body)(...values, fakeConsole);
    expect(expected.length).toBe(3);
    expect(printed).toEqual(expected);
  });
});
