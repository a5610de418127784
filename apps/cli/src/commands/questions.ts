/**
 * `scratchnet questions`: the main job. Trains the three networks with their original
 * hyper-parameters and prints, per question, the answer table, how much to trust it, and the
 * training facts; `--json` prints one document instead and `--report` writes an HTML page.
 */
import type { QuestionDefinition } from '@scratchnet/preprocess';
import { getQuestion, QUESTION_IDS } from '@scratchnet/preprocess';
import type { CommonFlags, Context } from '../context.js';
import { note, say } from '../context.js';
import { loadListeners } from '../data.js';
import type { TrainingFlags } from '../hyperparameters.js';
import { resolveHyperparameters } from '../hyperparameters.js';
import { checkOutputPaths, writeOutputs } from '../output.js';
import { parallelTrainingHelps, trainInParallel } from '../parallel.js';
import { describeQuestion } from '../question-run.js';
import { trainQuestion } from '../train-question.js';
import { datasetLine, questionsJson, questionText } from '../render.js';
import { renderReport } from '../report.js';
import { grouped } from '../format.js';
import { silentStatus, statusLine } from '../terminal.js';
import type { QuestionResult, QuestionsRun, Repetition } from '../results.js';
import { DEFAULT_REPETITION } from '../procedure.js';

/** Flags of `scratchnet questions`. */
export interface QuestionsFlags extends TrainingFlags, CommonFlags {
  data?: string;
  question?: string[];
  report?: string;
  seeds?: number;
  splitSeeds?: number;
  permutations?: number;
}

/** Runs `scratchnet questions`. */
export async function questionsCommand(context: Context, flags: QuestionsFlags): Promise<void> {
  const ids =
    flags.question === undefined
      ? QUESTION_IDS
      : QUESTION_IDS.filter((id) => flags.question!.includes(id));
  const questions: QuestionDefinition[] = ids.map((id) => getQuestion(id));
  // First: a combination of flags that cannot train fails before anything is read or written.
  const hyperparameters = questions.map((question) => resolveHyperparameters(question.id, flags));
  const repetition: Repetition = {
    seeds: flags.seeds ?? DEFAULT_REPETITION.seeds,
    splitSeeds: flags.splitSeeds ?? DEFAULT_REPETITION.splitSeeds,
    permutations: flags.permutations ?? DEFAULT_REPETITION.permutations,
  };
  const force = { force: flags.force === true };
  if (flags.report !== undefined)
    await checkOutputPaths([{ path: flags.report, flag: '--report' }], force, [
      { path: flags.data, flag: '--data' },
    ]);

  const status = context.progress ? statusLine(context.io) : silentStatus;
  status.show(`reading ${flags.data ?? 'the built-in sample'}…`);
  let loaded;
  try {
    loaded = await loadListeners(flags.data, questions);
  } finally {
    status.clear();
  }
  const { table, dataset } = loaded;
  const text = flags.json !== true;
  if (text) say(context, datasetLine(dataset));
  const results: QuestionResult[] = [];
  // Scoring resamples the test rows (bootstrap, permutation test): about a minute for a million.
  const scored = (trained: Parameters<typeof describeQuestion>[0]) => {
    status.show(
      `${trained.prepared.question.id}: scoring ${grouped(trained.prepared.split.test.length)} test rows (bootstrap intervals, permutation and chi-square tests)…`,
    );
    try {
      return describeQuestion(trained, table);
    } finally {
      status.clear();
    }
  };
  const show = (result: QuestionResult) => {
    results.push(result);
    if (text) say(context, `\n${questionText(result, results.length - 1, context.style)}`);
  };
  if (parallelTrainingHelps(questions.length)) {
    const trained = await trainInParallel(
      context,
      questions,
      flags.data,
      table,
      hyperparameters,
      repetition,
    );
    for (const one of trained) show(scored(one));
  } else {
    for (const [index, question] of questions.entries()) {
      // Each answer is printed as soon as it is ready: the next network takes a few seconds.
      show(
        scored(await trainQuestion(context, question, table, hyperparameters[index]!, repetition)),
      );
    }
  }
  const run: QuestionsRun = { dataset, questions: results, version: context.version };
  if (!text) say(context, JSON.stringify(questionsJson(run), null, 2));
  if (flags.report !== undefined) {
    await writeOutputs(
      [{ path: flags.report, flag: '--report', content: renderReport(run) }],
      force,
    );
    note(context, flags, `Wrote the report to ${flags.report}.`);
  }
}
