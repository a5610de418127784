import { describe, expect, it } from 'vitest';
import type { Findings } from './sentence.js';
import { verdict } from './sentence.js';

const genre = { subject: 'country', verb: 'predicts', object: 'genre' };
const minutes = { subject: 'country and platform', verb: 'predict', object: 'minutes streamed' };
const majority = (pValue: number) => ({ baseline: 'majority class', pValue });
const lookup = (pValue: number) => ({ baseline: 'lookup table', pValue });
const favourites = { rows: 'per-country favourites' };
const find = (findings: Omit<Findings, 'rows'>): Findings => ({ ...findings, ...favourites });

describe('verdict without the permutation test of the procedure', () => {
  it('says "no evidence" with the chi-square p-value, and that the rows are not findings', () => {
    const result = verdict(
      genre,
      find({ chiSquarePValue: 0.2234, versusNoInput: majority(0.6), versusBest: lookup(0.7) }),
    );
    expect(result).toEqual({
      evidence: false,
      answerIsFinding: false,
      sentence:
        'No evidence that country predicts genre: p = 0.22 (chi-square), and the network does no better than the majority class baseline (permutation p = 0.60); the per-country favourites below are what the network says, indistinguishable from chance.',
    });
  });

  it('claims a relation below 0.05 and says how far the network used it', () => {
    const beatsAll = verdict(
      genre,
      find({ chiSquarePValue: 0.0001, versusNoInput: majority(0.001), versusBest: lookup(0.01) }),
    );
    expect(beatsAll).toEqual({
      evidence: true,
      answerIsFinding: true,
      sentence:
        'Country predicts genre: p < 0.001 (chi-square), and the network beats the lookup table baseline (permutation p = 0.010).',
    });
    const beatsMajorityOnly = verdict(
      genre,
      find({ chiSquarePValue: 0.0001, versusNoInput: majority(0.0001), versusBest: lookup(0.43) }),
    );
    expect(beatsMajorityOnly.sentence).toBe(
      'Country predicts genre: p < 0.001 (chi-square), and the network beats the majority class baseline (permutation p < 0.001) but not the lookup table baseline (p = 0.43).',
    );
    const matches = verdict(
      genre,
      find({
        chiSquarePValue: 0.0001,
        versusNoInput: majority(0.0001),
        versusBest: { ...lookup(1), tie: true },
      }),
    );
    expect(matches.sentence).toBe(
      'Country predicts genre: p < 0.001 (chi-square), and the network beats the majority class baseline (permutation p < 0.001) and matches the lookup table baseline.',
    );
    const unused = verdict(
      genre,
      find({ chiSquarePValue: 0.049, versusNoInput: majority(0.3), versusBest: lookup(0.3) }),
    );
    expect(unused).toMatchObject({ evidence: true, answerIsFinding: false });
    expect(unused.sentence).toBe(
      'Country and genre are related: p = 0.049 (chi-square), but the network does no better than the majority class baseline (permutation p = 0.30), so the per-country favourites below are what the network says, not findings.',
    );
  });

  it('does not claim evidence from the network alone when the chi-square test finds none', () => {
    const result = verdict(
      genre,
      find({ chiSquarePValue: 0.3, versusNoInput: majority(0.02), versusBest: majority(0.02) }),
    );
    expect(result).toMatchObject({ evidence: false, answerIsFinding: false });
    expect(result.sentence).toMatch(
      /^No clear evidence that country predicts genre: p = 0\.30 \(chi-square\), although the network beats .*; the per-country favourites below are what the network says, not findings\.$/,
    );
  });

  it('judges regression on the network against the mean predictor', () => {
    const rows = { rows: 'predicted minutes per country and platform' };
    const none = verdict(minutes, {
      versusNoInput: { baseline: 'mean predictor', pValue: 0.45 },
      versusBest: { baseline: 'mean predictor', pValue: 0.45 },
      ...rows,
    });
    expect(none).toEqual({
      evidence: false,
      answerIsFinding: false,
      sentence:
        'No evidence that country and platform predict minutes streamed: p = 0.45 (permutation test, network vs the mean predictor baseline); the predicted minutes per country and platform below are what the network says, indistinguishable from chance.',
    });
    const some = verdict(minutes, {
      versusNoInput: { baseline: 'mean predictor', pValue: 0.0001 },
      versusBest: { baseline: 'lookup table', pValue: 0.4 },
      ...rows,
    });
    expect(some).toMatchObject({ evidence: true, answerIsFinding: true });
    expect(some.sentence).toBe(
      'Country and platform predict minutes streamed: the network beats the mean predictor baseline (permutation p < 0.001) but not the lookup table baseline (p = 0.40).',
    );
  });
});

describe('verdict with the permutation test of the procedure', () => {
  it('lets the procedure, not the paired tests, decide whether the network found it', () => {
    // The paired test alone would say the network beats the majority class.
    const lucky = verdict(
      genre,
      find({
        chiSquarePValue: 0.22,
        versusNoInput: majority(0.01),
        versusBest: lookup(0.3),
        procedure: { pValue: 0.41 },
      }),
    );
    expect(lucky).toEqual({
      evidence: false,
      answerIsFinding: false,
      sentence:
        'No evidence that country predicts genre: p = 0.22 (chi-square), and the network does no better than training on shuffled targets (p = 0.41); the per-country favourites below are what the network says, indistinguishable from chance.',
    });
    const found = verdict(
      genre,
      find({
        chiSquarePValue: 0.0001,
        versusNoInput: majority(0.2),
        versusBest: lookup(0.3),
        procedure: { pValue: 0.005 },
      }),
    );
    expect(found).toEqual({
      evidence: true,
      answerIsFinding: true,
      sentence:
        'Country predicts genre: p < 0.001 (chi-square), and training finds it: the network scores above training on shuffled targets (p = 0.005).',
    });
    const missed = verdict(
      genre,
      find({
        chiSquarePValue: 0.001,
        versusNoInput: majority(0.2),
        versusBest: lookup(0.3),
        procedure: { pValue: 0.3 },
      }),
    );
    expect(missed).toMatchObject({ evidence: true, answerIsFinding: false });
  });

  it('judges regression on the procedure alone', () => {
    const none = verdict(minutes, {
      versusNoInput: { baseline: 'mean predictor', pValue: 0.01 },
      versusBest: { baseline: 'mean predictor', pValue: 0.01 },
      procedure: { pValue: 0.6 },
      rows: 'predicted minutes per country and platform',
    });
    expect(none).toEqual({
      evidence: false,
      answerIsFinding: false,
      sentence:
        'No evidence that country and platform predict minutes streamed: p = 0.60 (permutation test of training: the network vs training on shuffled targets); the predicted minutes per country and platform below are what the network says, indistinguishable from chance.',
    });
  });
});
