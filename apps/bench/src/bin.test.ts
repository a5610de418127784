import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const run = (...args: string[]) =>
  execFileSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

describe('the built scratchnet-bench', () => {
  it('runs gemm end to end and prints JSON', () => {
    const doc = JSON.parse(
      run(
        'gemm',
        '--quick',
        '--json',
        '--sizes',
        '5',
        '--no-network',
        '--threads',
        '1',
        '--impl',
        'ts,tfjs-wasm',
      ),
    ) as { results: { impl: string; dtype: string }[] };
    expect(doc.results.map((r) => `${r.impl} ${r.dtype}`)).toEqual(['ts f64', 'tfjs-wasm f32']);
  });

  it('prints the table by default', () => {
    const out = run(
      'gemm',
      '--quick',
      '--sizes',
      '4',
      '--no-network',
      '--dtype',
      'f64',
      '--threads',
      '1',
      '--impl',
      'ts',
    );
    expect(out).toMatch(
      /^gemm on .+\n\nshape +dtype +impl +threads +µs\/call +GFLOPS +vs baseline +runs\n/,
    );
    expect(out).toMatch(/\n4² +f64 +ts +1 /);
  });

  it('runs train end to end and prints JSON', () => {
    const doc = JSON.parse(
      run('train', '--json', '--impl', 'scratchnet', '--epochs', '3', '--no-subnormals'),
    ) as { results: { impl: string; network: string }[]; subnormals: unknown[] };
    expect(doc.results.map((r) => r.network)).toEqual(['genre', 'minutes', 'listening-time']);
    expect(doc.subnormals).toEqual([]);
  });

  it('exits 1 with a message on a bad option', () => {
    expect(() =>
      execFileSync(process.execPath, [bin, 'gemm', '--dtype', 'f16'], { stdio: 'pipe' }),
    ).toThrow(/unknown dtype 'f16'/);
  });
});
