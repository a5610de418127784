import { getQuestion, generateListeners } from '@scratchnet/preprocess';
import { describe, expect, it } from 'vitest';
import { procedureTest } from './assess.js';
import { resolveHyperparameters } from './hyperparameters.js';
import { repeatProcedure, testScore, trainingsOf, withTargetsFrom } from './procedure.js';
import { describeQuestion, fitQuestion, prepareForTraining, seedSpread } from './question-run.js';
import { trainQuestion } from './train-question.js';
import type { Context } from './context.js';
import { silentProgress } from './terminal.js';
import { Matrix } from '@scratchnet/linalg';

/** A context that shows nothing: the tests read the results, not the screen. */
const quiet = {
  io: { stdout: process.stdout, stderr: process.stderr, env: {} },
  style: { bold: String, dim: String, green: String, yellow: String, red: String },
  progress: false,
  version: 'test',
} as unknown as Context;

const genre = getQuestion('genre-by-country');
const minutes = getQuestion('minutes-by-country-platform');
const time = getQuestion('listening-time-by-age');

describe('procedureTest', () => {
  it('counts the real training among the outcomes: p = (1 + #{null ≥ real}) / (K + 1)', () => {
    expect(procedureTest(0.5, [0.1, 0.5, 0.7, 0.2])).toMatchObject({
      score: 0.5,
      permutations: 4,
      atLeast: 2,
      pValue: 3 / 5,
    });
    expect(procedureTest(0.9, [0.1, 0.2]).pValue).toBe(1 / 3);
    expect(procedureTest(0.9, []).pValue).toBe(1);
  });
});

describe('seedSpread', () => {
  it('summarises every network of every split: mean, sample sd and range', () => {
    expect(
      seedSpread([
        [0.1, 0.2],
        [0.3, 0.4],
      ]),
    ).toEqual({
      networks: 4,
      mean: 0.25,
      sd: Math.sqrt((0.0225 + 0.0025 + 0.0025 + 0.0225) / 3),
      min: 0.1,
      max: 0.4,
      scores: [
        [0.1, 0.2],
        [0.3, 0.4],
      ],
    });
    const spread = seedSpread([
      [0.1, 0.2],
      [0.3, 0.4],
    ]);
    expect(spread).toMatchObject({ networks: 4, min: 0.1, max: 0.4 });
    expect(spread.mean).toBeCloseTo(0.25, 15);
    expect(spread.sd).toBeCloseTo(Math.sqrt(0.05 / 3), 15);
    expect(seedSpread([[0.5]])).toMatchObject({ networks: 1, sd: 0, min: 0.5, max: 0.5 });
  });
});

describe('withTargetsFrom', () => {
  it('moves whole target rows and leaves the inputs alone', () => {
    const x = Matrix.fromArrays([[1], [2], [3]]);
    const y = Matrix.fromArrays([
      [1, 0],
      [0, 1],
      [0.5, 0.5],
    ]);
    const moved = withTargetsFrom({ x, y }, Int32Array.from([2, 0, 1]));
    expect(moved.x).toBe(x);
    expect(moved.y.toArrays()).toEqual([
      [0.5, 0.5],
      [1, 0],
      [0, 1],
    ]);
  });
});

describe('repeatProcedure', () => {
  const table = generateListeners({ rows: 400, seed: 3 });
  const hyperparameters = { ...resolveHyperparameters(genre.id, { epochs: 30 }), seed: 7 };
  const prepared = prepareForTraining(genre, table, hyperparameters.seed);
  const repetition = { seeds: 3, splitSeeds: 2, permutations: 4 };

  it('trains seeds × splits + permutations networks; the first is the single training', async () => {
    let last = 0;
    const runs = await repeatProcedure(table, prepared, hyperparameters, repetition, {
      // Trainings done, redrawn as each one trains: it never goes back or skips one.
      update: (done) => {
        expect([last, last + 1]).toContain(done);
        last = done;
      },
      stop() {},
    });
    expect(last).toBe(trainingsOf(repetition));
    expect(runs.members).toHaveLength(3);
    expect(runs.scores.map((split) => split.length)).toEqual([3, 3]);
    expect(runs.permutationScores).toHaveLength(4);
    const single = await fitQuestion(prepared, hyperparameters, silentProgress);
    expect(runs.members[0]!.network.parameters()).toEqual(single.network.parameters());
    expect(runs.scores[0]![0]).toBe(testScore(prepared, single.network));
    // Different seeds start from different weights.
    expect(runs.members[1]!.network.parameters()).not.toEqual(single.network.parameters());
  });

  it('takes the network of --seed when it is already trained, and trains it no more', async () => {
    const small = { seeds: 2, splitSeeds: 1, permutations: 2 };
    const first = await fitQuestion(prepared, hyperparameters, silentProgress);
    const [given, trained] = await Promise.all([
      repeatProcedure(table, prepared, hyperparameters, small, silentProgress, first),
      repeatProcedure(table, prepared, hyperparameters, small, silentProgress),
    ]);
    expect(given.members[0]).toBe(first);
    expect(given.scores).toEqual(trained.scores);
    expect(given.permutationScores).toEqual(trained.permutationScores);
  });

  it('gives the same bits for the same seeds', async () => {
    const small = { seeds: 2, splitSeeds: 1, permutations: 3 };
    const [a, b] = await Promise.all([
      repeatProcedure(table, prepared, hyperparameters, small, silentProgress),
      repeatProcedure(table, prepared, hyperparameters, small, silentProgress),
    ]);
    expect(a.scores).toEqual(b.scores);
    expect(a.permutationScores).toEqual(b.permutationScores);
    expect(a.members[1]!.network.parameters()).toEqual(b.members[1]!.network.parameters());
  });
});

/**
 * The verdicts on generated data, where the truth is known: a planted effect is found, and no
 * effect gives "no evidence" with rows that are not findings. Fixed seeds, so each run is the same.
 */
describe('verdicts on generated data', () => {
  const repetition = { seeds: 5, splitSeeds: 1, permutations: 39 };
  const run = async (effects: Record<string, number>, question = genre) => {
    const table = generateListeners({ rows: 1500, seed: 11, effects });
    const hyperparameters = resolveHyperparameters(question.id, { epochs: 300 });
    const trained = await trainQuestion(quiet, question, table, hyperparameters, repetition);
    return describeQuestion(trained, table);
  };

  it('finds a planted genre-by-country effect, and finds none where none is planted', async () => {
    const [planted, none] = await Promise.all([run({ genreByCountry: 0.8 }), run({})]);
    expect(planted.significance).toMatchObject({ evidence: true, answerIsFinding: true });
    expect(planted.significance.procedure!.pValue).toBe(1 / 40);
    expect(planted.significance.sentence).toMatch(/^Country predicts genre: .* training finds it/);
    expect(none.significance).toMatchObject({ evidence: false, answerIsFinding: false });
    expect(none.significance.sentence).toContain(
      'the per-country favourites below are what the network says, indistinguishable from chance',
    );
    // The ensemble's stability is reported per row: members agreeing with the ensemble's favourite.
    for (const row of planted.answer) {
      expect(row.seeds).toBe(5);
      expect(row.seedsAgreeing as number).toBeGreaterThanOrEqual(1);
      expect(row.seedsAgreeing as number).toBeLessThanOrEqual(5);
    }
    expect(planted.seeds!.networks).toBe(5);
    expect(planted.seeds!.min).toBeLessThanOrEqual(planted.seeds!.mean);
    expect(planted.seeds!.max).toBeGreaterThanOrEqual(planted.seeds!.mean);
  });

  it('finds a planted minutes-by-platform effect by the procedure alone (regression)', async () => {
    const [planted, none] = await Promise.all([
      run({ minutesByPlatform: 0.8 }, minutes),
      run({}, minutes),
    ]);
    expect(planted.significance).toMatchObject({ evidence: true, answerIsFinding: true });
    expect(planted.significance.procedure!.pValue).toBeLessThan(0.05);
    expect(none.significance).toMatchObject({ evidence: false, answerIsFinding: false });
    expect(none.significance.procedure!.pValue).toBeGreaterThanOrEqual(0.05);
  });

  it('finds a planted time-by-age effect', async () => {
    const [planted, none] = await Promise.all([run({ timeByAge: 0.8 }, time), run({}, time)]);
    expect(planted.significance).toMatchObject({ evidence: true, answerIsFinding: true });
    expect(none.significance.answerIsFinding).toBe(false);
  });
});
