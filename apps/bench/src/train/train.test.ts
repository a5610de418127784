import type { Matrix } from '@scratchnet/linalg';
import { Network, fit } from '@scratchnet/nn';
import type { Dataset } from '@scratchnet/nn';
import { describe, expect, it } from 'vitest';
import { epochTiming } from './measure.js';
import { NETWORKS, syntheticData } from './networks.js';
import { timeNumpy } from './numpy.js';
import { trainJson, trainMarkdown } from './report.js';
import { mergeTrainReports, runTrain, trainPlan } from './run.js';
import { groupRows } from './scratchnet.js';
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
    // As many distinct inputs as the real questions: 10, 60 and 48.
    const distinct = (x: Matrix) => new Set(x.toArrays().map((row) => row.join())).size;
    expect(NETWORKS.map((n) => distinct(syntheticData(n, 3000, 10).x))).toEqual([10, 60, 48]);
  });
});

describe('scratchnet-grouped', () => {
  it('trains the grouped rows to the losses of all the rows, in a few rows per epoch', () => {
    for (const spec of NETWORKS) {
      const train = syntheticData(spec, 3000, 10);
      const validation = syntheticData(spec, 1000, 20);
      const losses = (t: Dataset, v: Dataset) => {
        const network = Network.create({
          inputSize: spec.inputs,
          hidden: [spec.hidden],
          outputSize: spec.outputs,
          task: spec.task,
          seed: 1,
        });
        const h = fit(network, t, v, { epochs: 30, learningRate: spec.learningRate });
        return h.epochs.flatMap((e) => [e.trainLoss, e.validationLoss]);
      };
      const grouped = groupRows(spec, train);
      expect(grouped.x.rows).toBeLessThanOrEqual(60);
      expect(grouped.spread === undefined).toBe(spec.task === 'classification');
      const a = losses(train, validation);
      const b = losses(grouped, groupRows(spec, validation));
      a.forEach((v, i) => expect(Math.abs(v - b[i]!)).toBeLessThan(1e-12 * Math.abs(v)));
    }
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
    const plan = {
      ...trainPlan(true, ['scratchnet', 'scratchnet-grouped']),
      epochs: 3,
      subnormalEpochs: 2,
    };
    const report = await runTrain(plan);
    expect(report.results.map((r) => `${r.impl} ${r.network}`)).toEqual(
      ['genre', 'minutes', 'listening-time'].flatMap((n) => [
        `scratchnet ${n}`,
        `scratchnet-grouped ${n}`,
      ]),
    );
    for (const r of report.results) {
      expect(r.msPerEpoch).toBeGreaterThan(0);
      // Grouped runs are timed over GROUPED_EPOCHS_FACTOR times the epochs (warm-up dropped).
      expect(r.epochs).toBe(r.impl === 'scratchnet' ? 3 : 25);
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
    expect(md.filter((l) => l.startsWith('| genre | scratchnet-grouped |'))).toHaveLength(1);
    expect(md.some((l) => l.startsWith('- scratchnet-grouped: the same epoch'))).toBe(true);
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
