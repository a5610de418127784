import { Matrix, Rng } from '@scratchnet/linalg';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Dataset } from './engine.js';
import { fit } from './fit.js';
import { lossAndGradients } from './gradient-check.js';
import { groupIdenticalRows, groupRows, identicalRows } from './grouping.js';
import { Network } from './network.js';
import { accuracy, rSquared } from './scores.js';
import type { EpochRecord } from './training.js';

type Output = 'softmax' | 'sigmoid' | 'identity';

/** |a − b| / max(|a|, |b|), 0 when both are 0. */
const relative = (a: number, b: number) =>
  a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));

/** The largest relative difference between two lists of numbers of the same length. */
function maxRelative(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, relative(a[i]!, b[i]!));
  return worst;
}

/**
 * m rows drawn from `distinct` one-hot inputs (one column each, so every input has a hidden
 * activation of its own), with targets that suit the output: one-hot, 0/1, or real values.
 */
function repeated(m: number, distinct: number, outputs: number, output: Output, rng: Rng): Dataset {
  const x = Matrix.zeros(m, distinct);
  const y = Matrix.zeros(m, outputs);
  for (let i = 0; i < m; i++) {
    // Targets that follow the input half the time, so that there is something to learn.
    const c = rng.int(distinct);
    const follows = rng.int(2) === 0;
    x.set(i, c, 1);
    for (let j = 0; j < outputs; j++) {
      if (output === 'identity') y.set(i, j, (follows ? c % 7 : 0) + rng.normal() * 3);
      else if (output === 'sigmoid') y.set(i, j, follows ? c % 2 : rng.int(2));
    }
    if (output === 'softmax') y.set(i, follows ? c % outputs : rng.int(outputs), 1);
  }
  return { x, y };
}

function networkFor(inputs: number, outputs: number, output: Output, seed: number): Network {
  return Network.create({
    inputSize: inputs,
    hidden: [6],
    outputSize: outputs,
    task: output === 'identity' ? 'regression' : 'classification',
    ...(output === 'sigmoid' ? { outputActivation: 'sigmoid' as const } : {}),
    initializer: 'glorot-uniform',
    seed,
  });
}

/** The dataset without its spread (what cross-entropy trains on). */
const withoutSpread = ({ x, y, weights }: Dataset): Dataset =>
  weights === undefined ? { x, y } : { x, y, weights };

describe('groupIdenticalRows', () => {
  it('collapses identical rows in first-appearance order: weight, mean target, spread', () => {
    const x = Matrix.fromArrays([
      [1, 0],
      [0, 1],
      [1, 0],
      [1, 0],
      [0, 1],
      [-0, 1],
    ]);
    const y = Matrix.fromArrays([[1], [5], [2], [6], [5], [7]]);
    const { dataset, groupOf } = groupIdenticalRows({ x, y });
    // −0 is not bitwise +0: its row is a group of its own.
    expect([...groupOf]).toEqual([0, 1, 0, 0, 1, 2]);
    expect(dataset.x.toArrays()).toEqual([
      [1, 0],
      [0, 1],
      [-0, 1],
    ]);
    expect([...dataset.weights!]).toEqual([3, 2, 1]);
    expect(dataset.y.toArrays()).toEqual([[3], [5], [7]]);
    // (1 − 3)² + (2 − 3)² + (6 − 3)² = 14; the other groups' rows agree.
    expect(dataset.spread!.toArrays()).toEqual([[14], [0], [0]]);

    // Weights count, and a grouped dataset groups again to itself.
    const weighted = groupIdenticalRows({ x, y, weights: new Float64Array([1, 2, 1, 0, 2, 4]) });
    expect([...weighted.dataset.weights!]).toEqual([2, 4, 4]);
    expect(weighted.dataset.y.toArrays()).toEqual([[1.5], [5], [7]]);
    expect(weighted.dataset.spread!.toArrays()).toEqual([[0.5], [0], [0]]);
    const again = groupIdenticalRows(weighted.dataset);
    expect([...again.groupOf]).toEqual([0, 1, 2]);
    expect(again.dataset.spread!.toArrays()).toEqual([[0.5], [0], [0]]);
  });

  it('groups exactly the rows whose bits are equal, in first-appearance order (property)', () => {
    // A pool of values where bits and numbers disagree: ±0 and NaNs of two payloads.
    const nan2 = new Float64Array(new Uint32Array([1, 0x7ff80000]).buffer)[0]!;
    const pool = [0, -0, NaN, nan2, 1, 1 + 2 ** -52, -3.5];
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.integer({ min: 0, max: pool.length - 1 }), { minLength: 1, maxLength: 90 }),
        (d, picks) => {
          const m = Math.ceil(picks.length / d);
          const x = Matrix.zeros(m, d);
          for (let i = 0; i < m * d; i++) x.data[i] = pool[picks[i % picks.length]!]!;
          const { dataset, groupOf } = groupIdenticalRows({ x, y: Matrix.zeros(m, 1) });
          const key = (i: number) => new Uint8Array(x.data.buffer, i * d * 8, d * 8).join(',');
          const keys: string[] = [];
          for (let i = 0; i < m; i++) {
            if (!keys.includes(key(i))) keys.push(key(i));
            expect(groupOf[i]).toBe(keys.indexOf(key(i)));
          }
          expect(dataset.x.rows).toBe(keys.length);
          expect(new Uint8Array(dataset.x.data.buffer).join(',')).toBe(
            keys.map((_, g) => key(groupOf.indexOf(g))).join(','),
          );
        },
      ),
    );
  });

  it('makes no spread when every group agrees on its targets', () => {
    const x = Matrix.fromArrays([[1], [2], [1]]);
    const y = Matrix.fromArrays([
      [0, 1],
      [1, 0],
      [0, 1],
    ]);
    const { dataset } = groupIdenticalRows({ x, y });
    expect(dataset.spread).toBeUndefined();
    expect([...dataset.weights!]).toEqual([2, 1]);
  });

  it('gives the loss, gradients and scores of the rows it groups (within 1e-12, relative)', () => {
    const outputs: Output[] = ['softmax', 'sigmoid', 'identity'];
    fc.assert(
      fc.property(
        fc.constantFrom(...outputs),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 2, max: 4 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (output, m, distinct, k, weighted, seed) => {
          const rng = new Rng(seed);
          const outputsOf = output === 'identity' ? k - 1 : output === 'sigmoid' ? 1 : k;
          const rows = repeated(m, distinct, outputsOf, output, rng);
          if (weighted) {
            // Some zero weights; never all of them.
            const w = new Float64Array(m);
            for (let i = 0; i < m; i++) w[i] = rng.int(4) === 0 ? 0 : rng.uniform() * 3;
            w[rng.int(m)] = 1.5;
            rows.weights = w;
          }
          const net = networkFor(distinct, outputsOf, output, seed % 1000);
          const { dataset: grouped } = groupIdenticalRows(rows);
          expect(grouped.x.rows).toBeLessThanOrEqual(distinct);

          const all = lossAndGradients(net, rows.x, rows.y, { weights: rows.weights });
          const few = lossAndGradients(net, grouped.x, grouped.y, {
            weights: grouped.weights,
            spread: grouped.spread,
          });
          expect(relative(all.loss, few.loss)).toBeLessThan(1e-12);
          all.gradients.forEach((g, l) => {
            const h = few.gradients[l]!;
            // Relative to the largest gradient: an entry that cancels to ~0 has no relative digits.
            const size = Math.max(...g.weights.data.map(Math.abs), ...g.biases.data.map(Math.abs));
            for (const p of ['weights', 'biases'] as const) {
              g[p].data.forEach((v, i) => {
                expect(Math.abs(v - h[p].data[i]!)).toBeLessThanOrEqual(1e-12 * size);
              });
            }
          });
          const predictedAll = net.predict(rows.x);
          const predictedFew = net.predict(grouped.x);
          if (output === 'identity') {
            const a = rSquared(predictedAll, rows.y, rows.weights);
            const b = rSquared(predictedFew, grouped.y, grouped.weights, grouped.spread);
            expect(Math.abs(a - b)).toBeLessThan(1e-12 * Math.max(1, Math.abs(a)));
          } else {
            const a = accuracy(predictedAll, rows.y, rows.weights);
            const b = accuracy(predictedFew, grouped.y, grouped.weights);
            expect(Math.abs(a - b)).toBeLessThan(1e-12);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('groupRows', () => {
  it('groups rows with reordered targets by the groups already found, as grouping them afresh would', () => {
    const x = Matrix.fromArrays([
      [1, 0],
      [0, 1],
      [1, 0],
      [0, 1],
      [1, 0],
    ]);
    const y = Matrix.fromArrays([
      [1, 0],
      [0, 1],
      [0, 1],
      [1, 0],
      [0, 1],
    ]);
    const groupOf = identicalRows(x);
    expect([...groupOf]).toEqual([0, 1, 0, 1, 0]);
    const rng = new Rng(4);
    for (let t = 0; t < 5; t++) {
      const order = rng.permutation(5);
      const shuffled = Matrix.zeros(5, 2);
      order.forEach((from, i) => shuffled.data.set(y.data.subarray(from * 2, from * 2 + 2), i * 2));
      const rows = { x, y: shuffled };
      expect(groupRows(rows, groupOf)).toEqual(groupIdenticalRows(rows).dataset);
    }
  });

  it('leaves the spread out when asked, for the losses that need none', () => {
    const x = Matrix.fromArrays([[1], [1]]);
    const y = Matrix.fromArrays([
      [1, 0],
      [0, 1],
    ]);
    expect(groupIdenticalRows({ x, y }).dataset.spread).toBeDefined();
    const { dataset } = groupIdenticalRows({ x, y }, { spread: false });
    expect(dataset.spread).toBeUndefined();
    expect(dataset.y.toArrays()).toEqual([[0.5, 0.5]]);
    expect([...dataset.weights!]).toEqual([2]);
  });

  it('refuses groups of the wrong length or numbered out of order', () => {
    const x = Matrix.fromArrays([[1], [2]]);
    const rows = { x, y: x };
    expect(() => groupRows(rows, Int32Array.from([0]))).toThrow(
      'groupRows: groupOf has 1 rows, the dataset 2',
    );
    expect(() => groupRows(rows, Int32Array.from([1, 0]))).toThrow(
      'groupRows: row 0 is in group 1; groups must be numbered in order of first appearance',
    );
  });
});

describe('a weight of 2 is the row twice', () => {
  const outputs: Output[] = ['softmax', 'sigmoid', 'identity'];
  for (const output of outputs) {
    it(`${output}: loss, gradients, scores and training`, () => {
      const rng = new Rng(31);
      const k = output === 'sigmoid' ? 1 : 3;
      const base = repeated(12, 5, k, output, rng);
      // Rows 0 … 11 with row 4 weighing 2, and the same rows with row 4 appended once more.
      const weights = new Float64Array(12).fill(1);
      weights[4] = 2;
      const twice: Dataset = {
        x: Matrix.fromArrays([...base.x.toArrays(), base.x.toArrays()[4]!]),
        y: Matrix.fromArrays([...base.y.toArrays(), base.y.toArrays()[4]!]),
      };
      const net = networkFor(5, k, output, 5);
      const a = lossAndGradients(net, twice.x, twice.y);
      const b = lossAndGradients(net, base.x, base.y, { weights });
      expect(relative(a.loss, b.loss)).toBeLessThan(1e-14);
      a.gradients.forEach((g, l) => {
        expect(maxRelative(g.weights.data, b.gradients[l]!.weights.data)).toBeLessThan(1e-12);
        expect(maxRelative(g.biases.data, b.gradients[l]!.biases.data)).toBeLessThan(1e-12);
      });

      const options = { epochs: 50, learningRate: 0.1 };
      const one = networkFor(5, k, output, 5);
      const other = networkFor(5, k, output, 5);
      const ha = fit(one, twice, twice, options);
      const hb = fit(other, { ...base, weights }, { ...base, weights }, options);
      const losses = (h: { epochs: EpochRecord[] }) =>
        h.epochs.flatMap((e) => [e.trainLoss, e.validationLoss, e.validationMetric]);
      expect(maxRelative(losses(ha), losses(hb))).toBeLessThan(1e-12);
    });
  }
});

/**
 * The shape of the questions: few distinct one-hot inputs, many rows, full-batch SGD. Trains from
 * the same initial weights on all the rows and on their groups, and returns the largest relative
 * difference of any epoch's train or validation loss.
 */
function trainBoth(output: 'softmax' | 'identity', epochs: number): number {
  const rng = new Rng(output === 'softmax' ? 11 : 12);
  const k = output === 'softmax' ? 10 : 1;
  const distinct = output === 'softmax' ? 10 : 60;
  const train = repeated(3000, distinct, k, output, rng);
  const validation = repeated(1000, distinct, k, output, rng);
  const group = (set: Dataset) => {
    const { dataset } = groupIdenticalRows(set);
    return output === 'softmax' ? withoutSpread(dataset) : dataset;
  };
  const options = { epochs, learningRate: output === 'softmax' ? 0.5 : 0.05 };
  const run = (t: Dataset, v: Dataset) => {
    const net = networkFor(distinct, k, output, 21);
    return fit(net, t, v, options).epochs.flatMap((e) => [e.trainLoss, e.validationLoss]);
  };
  const all = run(train, validation);
  const grouped = run(group(train), group(validation));
  expect(all.length).toBe(2 * epochs);
  return maxRelative(all, grouped);
}

describe('training on grouped rows reproduces training on all rows', () => {
  // Measured on this code: over 2000 full-batch epochs the two runs' losses differ by at most
  // 2.5e-14 (cross-entropy) and 5.0e-15 (squared error) relative, in any epoch.
  it('cross-entropy: every epoch of 2000 within 1e-12', () => {
    expect(trainBoth('softmax', 2000)).toBeLessThan(1e-12);
  });
  it('squared error: every epoch of 2000 within 1e-12', () => {
    expect(trainBoth('identity', 2000)).toBeLessThan(1e-12);
  });
});
