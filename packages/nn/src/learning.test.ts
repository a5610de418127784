import {
  correctness,
  majorityClassBaseline,
  meanPredictorBaseline,
  negatedSquaredErrors,
  permutationTest,
  r2Score,
} from '@scratchnet/metrics';
import { generateListeners, prepareQuestion } from '@scratchnet/preprocess';
import type { PlantedEffects } from '@scratchnet/preprocess';
import { describe, expect, it } from 'vitest';
import { fit } from './fit.js';
import { Network } from './network.js';
import type { FitOptions } from './training.js';

// Learning tests on the project's synthetic listeners: with a planted effect the network must
// find it; without one it must not "find" anything beyond noise. Scores are on the held-out test
// part and judged against baselines fitted on the training part, as the apps report them.

const ROWS = 2000; // 1200 train / 400 validation / 400 test

function prepare(question: string, effects: PlantedEffects, seed: number) {
  const table = generateListeners({ rows: ROWS, seed, effects });
  return prepareQuestion(question, table, { seed: seed + 1 });
}

const TRAINING: FitOptions = { epochs: 300, learningRate: 0.02, optimizer: 'adam', patience: 30 };

function classify(effects: PlantedEffects, question: string, seed: number) {
  const p = prepare(question, effects, seed);
  const network = Network.create({
    inputSize: p.train.x.cols,
    outputSize: p.train.y.cols,
    task: 'classification',
    seed,
  });
  const history = fit(network, p.train, p.validation, TRAINING);
  const predicted = network.predictClasses(p.test.x);
  const truth = p.test.labels!;
  const baseline = majorityClassBaseline(p.train.labels!, p.train.y.cols).predict(truth.length);
  const score = (pred: Int32Array) =>
    correctness(truth, pred).reduce((s, v) => s + v, 0) / truth.length;
  const test = permutationTest(correctness(truth, predicted), correctness(truth, baseline), {
    seed,
  });
  return {
    accuracy: score(predicted),
    baseline: score(baseline),
    pValue: test.pValue,
    history,
    network,
  };
}

function regress(effects: PlantedEffects, seed: number) {
  const p = prepare('minutes-by-country-platform', effects, seed);
  const network = Network.create({
    inputSize: p.train.x.cols,
    outputSize: 1,
    task: 'regression',
    seed,
  });
  const history = fit(network, p.train, p.validation, TRAINING);
  const truth = p.test.y.data;
  const predicted = network.predict(p.test.x).data;
  const baseline = meanPredictorBaseline(p.train.y.data).predict(truth.length);
  const test = permutationTest(
    negatedSquaredErrors(truth, predicted),
    negatedSquaredErrors(truth, baseline),
    {
      seed,
    },
  );
  return {
    r2: r2Score(truth, predicted),
    baselineR2: r2Score(truth, baseline),
    pValue: test.pValue,
    history,
    network,
  };
}

describe('with a strong planted effect', () => {
  it('the classifier beats the majority baseline by a wide margin (genre by country)', () => {
    const r = classify({ genreByCountry: 1 }, 'genre-by-country', 11);
    expect(r.accuracy - r.baseline).toBeGreaterThan(0.5);
    expect(r.pValue).toBeLessThan(0.001);
  });

  it('the classifier beats the majority baseline by a wide margin (listening time by age)', () => {
    const r = classify({ timeByAge: 1 }, 'listening-time-by-age', 12);
    expect(r.accuracy - r.baseline).toBeGreaterThan(0.3);
    expect(r.pValue).toBeLessThan(0.001);
  });

  it('the regressor reaches R² > 0.9 (minutes by country and platform)', () => {
    const r = regress({ minutesByPlatform: 1 }, 13);
    expect(r.r2).toBeGreaterThan(0.9);
    expect(r.pValue).toBeLessThan(0.001);
  });
});

describe('with no planted effect', () => {
  // "Beyond noise": a one-sided paired permutation test against the baseline on the same test
  // rows; p ≥ 0.05 means the model's edge (if any) is the size chance produces.
  it('the classifier does not beat the majority baseline beyond noise', () => {
    for (const [question, seed] of [
      ['genre-by-country', 21],
      ['listening-time-by-age', 22],
    ] as const) {
      const r = classify({}, question, seed);
      expect(
        r.pValue,
        `${question}: accuracy ${r.accuracy} vs ${r.baseline}`,
      ).toBeGreaterThanOrEqual(0.05);
      expect(r.accuracy).toBeLessThan(r.baseline + 0.05);
    }
  });

  it('the regressor does not beat predicting the training mean beyond noise', () => {
    const r = regress({}, 23);
    expect(r.pValue, `R² ${r.r2}`).toBeGreaterThanOrEqual(0.05);
    expect(r.r2).toBeLessThan(0.02);
  });
});

describe('determinism', () => {
  it('the same seed and data give identical weights, bit for bit', () => {
    const weights = () => {
      const r = classify({ genreByCountry: 0.5 }, 'genre-by-country', 31);
      return r.network.layers.map((l) =>
        Buffer.concat([Buffer.from(l.weights.data.buffer), Buffer.from(l.biases.data.buffer)]),
      );
    };
    const a = weights();
    const b = weights();
    a.forEach((bytes, l) => expect(bytes.equals(b[l]!)).toBe(true));
  });
});
