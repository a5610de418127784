import { describe, expect, it } from 'vitest';
import { epochTiming } from './measure.js';
import { NETWORKS, syntheticData } from './networks.js';
import { timeNumpy } from './numpy.js';
import { trainJson, trainMarkdown } from './report.js';
import { mergeTrainReports, runTrain, trainPlan } from './run.js';
import { MIN_NORMAL, countSubnormals, scan } from './subnormals.js';

const machine = {
  cpu: 'test',
  cores: 2,
  memoryGiB: 1,
  os: 'linux x64',
  node: '20',
  v8: '11',
  wasm: { simd: true, relaxedSimd: true, sharedMemory: true },
  v8Flags: [],
  loadAverage: 0,
  date: '2025-01-01T00:00:00.000Z',
};

describe('syntheticData', () => {
  it('has the networks’ shapes, one-hot rows where the real inputs are one-hot', () => {
    const [genre, minutes, listening] = NETWORKS;
    const g = syntheticData(genre!, 300, 1);
    expect([g.x.rows, g.x.cols, g.y.rows, g.y.cols]).toEqual([300, 10, 300, 10]);
    for (let r = 0; r < 300; r++) {
      expect(g.x.row(r).reduce((s, v) => s + v, 0)).toBe(1);
      expect(g.y.row(r).reduce((s, v) => s + v, 0)).toBe(1);
    }
    const m = syntheticData(minutes!, 50, 1);
    expect(m.x.row(7).reduce((s, v) => s + v, 0)).toBe(2); // country + platform
    expect(m.y.cols).toBe(1);
    const l = syntheticData(listening!, 50, 1);
    expect(l.x.cols).toBe(1);
    expect(Math.max(...l.x.data.map(Math.abs))).toBeLessThanOrEqual(1.7);
    expect(syntheticData(genre!, 20, 5).x.data).toEqual(syntheticData(genre!, 20, 5).x.data);
  });
});

describe('epochTiming', () => {
  it('takes the median epoch, dropping warm-up epochs when there are enough', () => {
    const stamps = [0, 100, 150, 151, 152, 153, 154, 156, 158, 160, 162, 164, 166];
    expect(epochTiming(stamps)).toEqual({ msPerEpoch: 2, epochs: 7 });
    expect(epochTiming([0, 3, 4, 6])).toEqual({ msPerEpoch: 2, epochs: 3 });
  });
});

describe('subnormal counting', () => {
  it('counts values below the smallest normal, not zeros', () => {
    const into = { kind: 'x', values: 0, subnormal: 0, smallestNonzero: Infinity };
    scan(Float64Array.of(0, -0, MIN_NORMAL, MIN_NORMAL / 2, -5e-324, 1), into);
    expect(into).toEqual({ kind: 'x', values: 6, subnormal: 2, smallestNonzero: 5e-324 });
  });

  it('scans every kind of array of a short training run', () => {
    const spec = NETWORKS[2]!;
    const counts = countSubnormals(spec, syntheticData(spec, 60, 1), syntheticData(spec, 20, 2), 3);
    expect(counts.map((c) => c.kind)).toEqual(['W', 'b', 'z', 'a', 'dz', 'dW', 'db']);
    const w = counts[0]!;
    expect(w.values).toBe(3 * (1 * 10 + 10 * 3)); // 3 epochs × both weight matrices
    expect(counts.find((c) => c.kind === 'z')!.values).toBe(3 * 60 * (10 + 3));
  });
});

describe('timeNumpy', () => {
  it('reports a missing python instead of failing', () => {
    expect(timeNumpy(3, 'no-such-python-here')).toEqual({
      ok: false,
      reason: 'no-such-python-here not found',
    });
  });
});

describe('runTrain', () => {
  it('times scratchnet on every network and reports JSON and Markdown', async () => {
    const plan = { ...trainPlan(true, ['scratchnet']), epochs: 3, subnormalEpochs: 2 };
    const report = await runTrain(plan);
    expect(report.results.map((r) => r.network)).toEqual(['genre', 'minutes', 'listening-time']);
    for (const r of report.results) {
      expect(r.impl).toBe('scratchnet');
      expect(r.msPerEpoch).toBeGreaterThan(0);
      expect(r.epochs).toBe(3);
    }
    const doc = trainJson(report, machine) as {
      results: object[];
      subnormals: { counts: unknown[] }[];
    };
    expect(Object.keys(doc)).toEqual(['machine', 'results', 'skipped', 'subnormals']);
    expect(Object.keys(doc.results[0]!)).toEqual(['impl', 'network', 'msPerEpoch', 'epochs']);
    expect(doc.subnormals).toHaveLength(3);
    const md = trainMarkdown(report, 'test machine').split('\n');
    expect(md).toContain('| network | impl | ms/epoch | vs numpy | vs tfjs-wasm | epochs |');
    expect(md.filter((l) => l.startsWith('| genre | scratchnet |'))).toHaveLength(1);
  });
});

describe('mergeTrainReports', () => {
  it('takes the median of the rounds per implementation and network, and sums epochs', () => {
    const r = (msPerEpoch: number) => ({
      impl: 'numpy' as const,
      network: 'genre',
      msPerEpoch,
      epochs: 10,
    });
    const merged = mergeTrainReports([
      { results: [r(3)], skipped: [], subnormals: [], numpyVersion: '2' },
      { results: [r(1)], skipped: [], subnormals: [] },
      { results: [r(2)], skipped: [{ impl: 'tfjs-cpu', reason: 'x' }], subnormals: [] },
    ]);
    expect(merged).toEqual({
      results: [{ impl: 'numpy', network: 'genre', msPerEpoch: 2, epochs: 30 }],
      skipped: [{ impl: 'tfjs-cpu', reason: 'x' }],
      subnormals: [],
      numpyVersion: '2',
    });
  });
});
