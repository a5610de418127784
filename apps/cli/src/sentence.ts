/**
 * The one plain sentence under each answer. It is built from the test results, never written in
 * advance: the same code says "no evidence" on one file and "predicts" on another.
 */
import { pValue } from './format.js';

/** The level below which a p-value counts as evidence. */
export const SIGNIFICANCE_LEVEL = 0.05;

/** How a question's relation is said in words: "{subject} {verb} {object}". */
export interface Phrasing {
  /** e.g. `country`, `country and platform`, `age`. */
  subject: string;
  /** `predicts` or `predict` (agreeing with the subject). */
  verb: string;
  /** e.g. `genre`, `minutes streamed`, `listening time`. */
  object: string;
}

/** The numbers the sentence is made from. */
export interface Findings {
  /** Chi-square test of independence on all rows (classification questions). */
  chiSquarePValue?: number;
  /** Permutation test: network vs the baseline that ignores the input (majority class / mean). */
  versusNoInput: { baseline: string; pValue: number };
  /**
   * Permutation test: network vs the best simple baseline (may be the same as above); `tie` when
   * the two scored exactly the same.
   */
  versusBest: { baseline: string; pValue: number; tie?: boolean };
  /**
   * The permutation test of the procedure (training on shuffled targets), when it was run: it
   * then decides whether the network found anything, in place of the network-vs-baseline tests.
   */
  procedure?: { pValue: number };
  /** What the answer's rows are, in words: `per-country favourites`. */
  rows: string;
}

/** The verdict: whether there is evidence of a relation, and the sentence that says so. */
export interface Verdict {
  evidence: boolean;
  /** Evidence of a relation that the trained network also finds: the answer's rows are findings. */
  answerIsFinding: boolean;
  sentence: string;
}

function capitalise(text: string): string {
  return text.length === 0 ? text : text[0]!.toUpperCase() + text.slice(1);
}

/**
 * The verdict for one question. Classification questions are judged on the chi-square test of
 * independence over all rows (does the input carry information about the target at all?); the
 * sentence then says whether the trained network finds it: by the permutation test of the
 * procedure when it was run, else by whether it beats the baseline that ignores the input
 * (majority class) and the best simple baseline (often the lookup table, the ceiling for a
 * categorical input). Regression is judged on the network alone (no test on all rows is made for
 * it). Whenever the network finds nothing, the sentence says that the answer's rows are what the
 * network says and not findings.
 */
export function verdict(phrasing: Phrasing, findings: Findings): Verdict {
  const { subject, verb, object } = phrasing;
  const best = findings.versusBest;
  const none = findings.versusNoInput;
  const procedure = findings.procedure;
  const beatsBest = best.pValue < SIGNIFICANCE_LEVEL;
  const learned =
    procedure === undefined
      ? none.pValue < SIGNIFICANCE_LEVEL
      : procedure.pValue < SIGNIFICANCE_LEVEL;
  // What the network did, given that it beats the input-blind baseline.
  const beatsBlind = `the network beats the ${none.baseline} baseline (permutation ${pValue(none.pValue)})`;
  const found =
    procedure !== undefined
      ? `training finds it: the network scores above training on shuffled targets (${pValue(procedure.pValue)})`
      : best.baseline === none.baseline || beatsBest
        ? `the network beats the ${best.baseline} baseline (permutation ${pValue(best.pValue)})`
        : best.tie === true
          ? `${beatsBlind} and matches the ${best.baseline} baseline`
          : `${beatsBlind} but not the ${best.baseline} baseline (${pValue(best.pValue)})`;
  const notFound =
    procedure !== undefined
      ? `the network does no better than training on shuffled targets (${pValue(procedure.pValue)})`
      : `the network does no better than the ${none.baseline} baseline (permutation ${pValue(none.pValue)})`;
  const chance = `the ${findings.rows} below are what the network says, indistinguishable from chance`;
  if (findings.chiSquarePValue !== undefined) {
    const chi = pValue(findings.chiSquarePValue);
    if (findings.chiSquarePValue < SIGNIFICANCE_LEVEL) {
      return learned
        ? {
            evidence: true,
            answerIsFinding: true,
            sentence: `${capitalise(subject)} ${verb} ${object}: ${chi} (chi-square), and ${found}.`,
          }
        : {
            evidence: true,
            answerIsFinding: false,
            sentence: `${capitalise(subject)} and ${object} are related: ${chi} (chi-square), but ${notFound}, so the ${findings.rows} below are what the network says, not findings.`,
          };
    }
    return {
      evidence: false,
      answerIsFinding: false,
      sentence: learned
        ? `No clear evidence that ${subject} ${verb} ${object}: ${chi} (chi-square), although ${found}; the ${findings.rows} below are what the network says, not findings.`
        : `No evidence that ${subject} ${verb} ${object}: ${chi} (chi-square), and ${notFound}; ${chance}.`,
    };
  }
  if (learned) {
    return {
      evidence: true,
      answerIsFinding: true,
      sentence: `${capitalise(subject)} ${verb} ${object}: ${found}.`,
    };
  }
  const test =
    procedure !== undefined
      ? `${pValue(procedure.pValue)} (permutation test of training: the network vs training on shuffled targets)`
      : `${pValue(none.pValue)} (permutation test, network vs the ${none.baseline} baseline)`;
  return {
    evidence: false,
    answerIsFinding: false,
    sentence: `No evidence that ${subject} ${verb} ${object}: ${test}; ${chance}.`,
  };
}
