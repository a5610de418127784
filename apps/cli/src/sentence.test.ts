import { describe, expect, it } from 'vitest';
import { verdict } from './sentence.js';

const genre = { subject: 'country', verb: 'predicts', object: 'genre' };
const minutes = { subject: 'country and platform', verb: 'predict', object: 'minutes streamed' };
const majority = (pValue: number) => ({ baseline: 'majority class', pValue });
const lookup = (pValue: number) => ({ baseline: 'lookup table', pValue });

describe('verdict', () => {
  it('says "no evidence" with the chi-square p-value when it is 0.05 or more', () => {
    const result = verdict(genre, {
      chiSquarePValue: 0.2234,
      versusNoInput: majority(0.6),
      versusBest: lookup(0.7),
    });
    expect(result).toEqual({
      evidence: false,
      sentence:
        'No evidence that country predicts genre: p = 0.22 (chi-square); the network does no better than the majority class baseline (permutation p = 0.60).',
    });
  });

  it('claims a relation below 0.05 and says how far the network used it', () => {
    const beatsAll = verdict(genre, {
      chiSquarePValue: 0.0001,
      versusNoInput: majority(0.001),
      versusBest: lookup(0.01),
    });
    expect(beatsAll).toEqual({
      evidence: true,
      sentence:
        'Country predicts genre: p < 0.001 (chi-square), and the network beats the lookup table baseline (permutation p = 0.010).',
    });
    const beatsMajorityOnly = verdict(genre, {
      chiSquarePValue: 0.0001,
      versusNoInput: majority(0.0001),
      versusBest: lookup(0.43),
    });
    expect(beatsMajorityOnly.sentence).toBe(
      'Country predicts genre: p < 0.001 (chi-square), and the network beats the majority class baseline (permutation p < 0.001) but not the lookup table baseline (p = 0.43).',
    );
    const matches = verdict(genre, {
      chiSquarePValue: 0.0001,
      versusNoInput: majority(0.0001),
      versusBest: { ...lookup(1), tie: true },
    });
    expect(matches.sentence).toBe(
      'Country predicts genre: p < 0.001 (chi-square), and the network beats the majority class baseline (permutation p < 0.001) and matches the lookup table baseline.',
    );
    const unused = verdict(genre, {
      chiSquarePValue: 0.049,
      versusNoInput: majority(0.3),
      versusBest: lookup(0.3),
    });
    expect(unused.evidence).toBe(true);
    expect(unused.sentence).toBe(
      'Country and genre are related: p = 0.049 (chi-square), but the network does no better than the majority class baseline (permutation p = 0.30).',
    );
  });

  it('does not claim evidence from the network alone when the chi-square test finds none', () => {
    const result = verdict(genre, {
      chiSquarePValue: 0.3,
      versusNoInput: majority(0.02),
      versusBest: majority(0.02),
    });
    expect(result.evidence).toBe(false);
    expect(result.sentence).toMatch(
      /^No clear evidence that country predicts genre: p = 0\.30 \(chi-square\), although the network beats/,
    );
  });

  it('judges regression on the network against the mean predictor', () => {
    const none = verdict(minutes, {
      versusNoInput: { baseline: 'mean predictor', pValue: 0.45 },
      versusBest: { baseline: 'mean predictor', pValue: 0.45 },
    });
    expect(none).toEqual({
      evidence: false,
      sentence:
        'No evidence that country and platform predict minutes streamed: p = 0.45 (permutation test, network vs the mean predictor baseline).',
    });
    const some = verdict(minutes, {
      versusNoInput: { baseline: 'mean predictor', pValue: 0.0001 },
      versusBest: { baseline: 'lookup table', pValue: 0.4 },
    });
    expect(some.evidence).toBe(true);
    expect(some.sentence).toBe(
      'Country and platform predict minutes streamed: the network beats the mean predictor baseline (permutation p < 0.001) but not the lookup table baseline (p = 0.40).',
    );
  });
});
