import { describe, expect, it } from 'vitest';
import { baselines, gemmPlan, main, parseDtypes, parseImpls, parseIntegerList } from './cli.js';
import type { Io } from './cli.js';

function capture(): Io & { out: string; err: string; flagged: boolean } {
  const io = {
    out: '',
    err: '',
    isTTY: false,
    stdout(text: string) {
      io.out += text;
    },
    stderr(text: string) {
      io.err += text;
    },
    wasm: () => ({ simd: true, relaxedSimd: false, sharedMemory: true }),
    enableRelaxedSimd: () => {
      io.flagged = true;
      return ['--test-flag'];
    },
    flagged: false,
  };
  return io;
}

describe('option parsers', () => {
  it('parse lists of sizes, thread counts, dtypes and implementations', () => {
    expect(parseIntegerList('64, 128,256')).toEqual([64, 128, 256]);
    expect(parseDtypes('f32,f64')).toEqual(['f32', 'f64']);
    expect(parseImpls('ts,ml-matrix')).toEqual(['ts', 'ml-matrix']);
  });

  it('reject what is not a list of the right things', () => {
    for (const bad of ['', '64,', 'x', '0', '-1', '1.5', '64;128']) {
      expect(() => parseIntegerList(bad), bad).toThrow(/positive integers/);
    }
    expect(() => parseDtypes('f16')).toThrow(/unknown dtype 'f16'/);
    expect(() => parseImpls('ts,blas')).toThrow(/unknown implementation 'blas'/);
  });
});

describe('gemmPlan', () => {
  const defaults = { dtype: ['f64', 'f32'] as const, threads: [1, 2], network: true, rounds: 1 };

  it('uses the issue’s sizes by default and small ones with --quick', () => {
    expect(gemmPlan({ ...defaults, dtype: ['f64'] }).sizes).toEqual([64, 128, 256, 512, 1024]);
    const quick = gemmPlan({ ...defaults, dtype: ['f64'], quick: true });
    expect(quick.sizes).toEqual([64, 128]);
    expect(quick.measure.minTotalMs).toBeLessThan(
      gemmPlan({ ...defaults, dtype: ['f64'] }).measure.minTotalMs,
    );
  });

  it('leaves the slow naive reference out unless asked for', () => {
    const names = gemmPlan({ ...defaults, dtype: ['f64'] }).impls.map((i) => i.name);
    expect(names).not.toContain('naive');
    expect(names).toEqual(expect.arrayContaining(['ts', 'ml-matrix', 'tfjs-cpu', 'tfjs-wasm']));
    expect(
      gemmPlan({ ...defaults, dtype: ['f64'], impl: ['naive'] }).impls.map((i) => i.name),
    ).toEqual(['naive']);
  });

  it('compares with ml-matrix (f64) and tfjs-wasm (f32) unless --baseline says otherwise', () => {
    expect(baselines({})).toEqual({ f64: 'ml-matrix', f32: 'tfjs-wasm' });
    expect(baselines({ baseline: 'ts' })).toEqual({ f64: 'ts', f32: 'ts' });
  });
});

describe('main', () => {
  it('prints help and exits 0', async () => {
    const io = capture();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.out).toMatch(/^\s+gemm \[options\]/m);
    expect(io.out).toMatch(/^\s+train \[options\]/m);
  });

  it('rejects a bad option value with a message and exit code 1', async () => {
    const io = capture();
    expect(await main(['gemm', '--sizes', 'big'], io)).toBe(1);
    expect(io.err).toMatch(/--sizes.*positive integers/s);
  });

  it('prints exactly the JSON schema with --json', async () => {
    const io = capture();
    const code = await main(
      [
        'gemm',
        '--quick',
        '--json',
        '--sizes',
        '8',
        '--no-network',
        '--dtype',
        'f64',
        '--threads',
        '1',
        '--impl',
        'ts,ml-matrix',
      ],
      io,
    );
    expect(code).toBe(0);
    const doc = JSON.parse(io.out) as {
      machine: Record<string, unknown>;
      results: Record<string, unknown>[];
    };
    expect(Object.keys(doc)).toEqual(['machine', 'results']);
    expect(doc.machine).toMatchObject({
      cores: expect.any(Number),
      node: process.versions.node,
      v8Flags: ['--test-flag'],
      wasm: { simd: true, relaxedSimd: false, sharedMemory: true },
    });
    expect(io.flagged).toBe(true);
    expect(doc.results.map((r) => r.impl)).toEqual(['ts', 'ml-matrix']);
    for (const r of doc.results) {
      expect(Object.keys(r)).toEqual([
        'impl',
        'dtype',
        'threads',
        'm',
        'n',
        'k',
        'gflops',
        'microseconds',
        'runs',
      ]);
      expect(r).toMatchObject({ dtype: 'f64', threads: 1, m: 8, n: 8, k: 8 });
      expect(r.gflops).toBeGreaterThan(0);
      expect(r.microseconds).toBeGreaterThan(0);
      expect(r.runs).toBeGreaterThanOrEqual(3);
      expect((r.gflops as number) * (r.microseconds as number) * 1000).toBeCloseTo(2 * 8 ** 3, 6);
    }
  });

  it('measures --rounds times and reports the median, with the samples of every round', async () => {
    const io = capture();
    const args = [
      'gemm',
      '--quick',
      '--json',
      '--sizes',
      '6',
      '--no-network',
      '--dtype',
      'f64',
      '--threads',
      '1',
      '--impl',
      'ts',
    ];
    expect(await main([...args, '--rounds', '3'], io)).toBe(0);
    const doc = JSON.parse(io.out) as { results: { runs: number }[] };
    expect(doc.results).toHaveLength(1);
    expect(doc.results[0]!.runs).toBeGreaterThanOrEqual(9); // ≥ 3 samples in each of 3 rounds
    expect(await main([...args, '--rounds', '0'], capture())).toBe(1);
  });

  it('leaves V8 flags alone with --no-relaxed-simd', async () => {
    const io = capture();
    const code = await main(
      [
        '--no-relaxed-simd',
        'gemm',
        '--quick',
        '--json',
        '--sizes',
        '4',
        '--no-network',
        '--dtype',
        'f64',
        '--threads',
        '1',
        '--impl',
        'ts',
      ],
      io,
    );
    expect(code).toBe(0);
    expect(io.flagged).toBe(false);
    expect((JSON.parse(io.out) as { machine: { v8Flags: string[] } }).machine.v8Flags).toEqual([]);
  });

  it('prints a Markdown table with --markdown, with the ratio against the baseline', async () => {
    const io = capture();
    const code = await main(
      [
        'gemm',
        '--quick',
        '--markdown',
        '--sizes',
        '8',
        '--no-network',
        '--dtype',
        'f64',
        '--threads',
        '1',
        '--impl',
        'ts,ml-matrix',
      ],
      io,
    );
    expect(code).toBe(0);
    const lines = io.out.split('\n');
    expect(lines[0]).toMatch(/^Machine: /);
    expect(lines).toContain(
      '| shape | dtype | impl | threads | µs/call | GFLOPS | vs baseline | runs |',
    );
    expect(lines).toContain('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |');
    expect(lines.find((l) => l.startsWith('| 8² | f64 | ml-matrix | 1 |'))).toMatch(/\| 1\.00× \|/);
    expect(lines.filter((l) => l.startsWith('| 8² |'))).toHaveLength(2);
  });
});
