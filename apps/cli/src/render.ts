/**
 * The three renderings of a `questions` run: the text a person reads, the `--json` document, and
 * the lines shared by both `train` and `questions` (training facts, trust).
 */
import { duration, fixed, grouped, pValue } from './format.js';
import type { AnswerTable, DatasetInfo, QuestionResult, QuestionsRun } from './results.js';
import { renderTable } from './table.js';
import type { Styles } from './terminal.js';

/** The first line of output: where the rows came from, and for the sample, that it is not real. */
export function datasetLine(dataset: DatasetInfo): string {
  if (dataset.source === 'file') {
    return `Data: ${dataset.path ?? 'file'} (${grouped(dataset.rows)} rows).`;
  }
  const planted = Object.entries(dataset.effects ?? {}).filter(([, strength]) => strength > 0);
  const effects =
    planted.length === 0
      ? 'no planted effects'
      : `planted effects ${planted.map(([name, strength]) => `${name}=${strength}`).join(', ')}; none elsewhere`;
  return (
    `Using the built-in synthetic sample: ${grouped(dataset.rows)} generated listeners ` +
    `(seed ${dataset.seed ?? 0}, ${effects}), not real data. Pass --data FILE to answer on a real file.`
  );
}

/** A score the way the text shows it: three decimals. */
export function score(value: number): string {
  return fixed(value, 3);
}

/** `[0.098, 0.139]` (brackets rather than a dash, which reads badly beside a minus sign). */
export function intervalText(low: number, high: number): string {
  return `[${score(low)}, ${score(high)}]`;
}

/** The layers of a network: `10 → 16 → 10`. */
export function layersText(layers: readonly number[]): string {
  return layers.join(' → ');
}

const OPTIMIZER_NAMES: Record<string, string> = {
  sgd: 'Gradient descent',
  momentum: 'Momentum',
  adam: 'Adam',
};

/** One line of training facts. */
export function trainingLine(result: QuestionResult): string {
  const { training, hyperparameters } = result;
  const stop = training.stoppedEarly
    ? `stopped early after ${grouped(training.epochs)} of ${grouped(hyperparameters.epochs)} epochs (patience ${hyperparameters.patience})`
    : `ran all ${grouped(training.epochs)} epochs`;
  const batch =
    hyperparameters.batchSize === 'full' ? 'full batch' : `batches of ${hyperparameters.batchSize}`;
  return (
    `Training: ${stop}; best epoch ${grouped(training.bestEpoch)}` +
    `${training.seconds === undefined ? '' : `; ${duration(training.seconds)}`}. ` +
    `${OPTIMIZER_NAMES[hyperparameters.optimizer] ?? hyperparameters.optimizer}, ` +
    `learning rate ${hyperparameters.learningRate}, ${batch}, seed ${hyperparameters.seed}` +
    // Float64 is the original and goes unsaid, so the default line reads as it always has.
    `${hyperparameters.dtype === 'f32' ? ', trained in float32' : ''}.`
  );
}

/** The permutation tests in one line: against the best baseline, and the input-blind one if different. */
export function permutationLine(significance: QuestionResult['significance']): string {
  const tests = [significance.permutation];
  if (significance.versusInputBlind.against !== significance.permutation.against) {
    tests.push(significance.versusInputBlind);
  }
  const described = tests.map(
    (test) =>
      `network vs ${test.against} ${pValue(test.pValue)} (${test.exact ? 'exact' : `${grouped(test.permutations)} random sign flips`})`,
  );
  return `Permutation ${tests.length > 1 ? 'tests' : 'test'} (one-sided, paired): ${described.join('; ')}.`;
}

/** What the trust block shows: the scores and tests, and which rows they were measured on. */
export type TrustView = Pick<
  QuestionResult,
  'task' | 'test' | 'baseline' | 'baselines' | 'significance' | 'scoredOn'
>;

/** The scores beside the baselines, as a table. */
export function trustTable(view: TrustView): AnswerTable {
  const metricName = view.test.metric === 'accuracy' ? 'accuracy' : 'R²';
  return {
    columns: [
      { header: `on ${view.scoredOn}` },
      { header: metricName, align: 'right' },
      { header: '95% interval', align: 'right' },
    ],
    cells: [
      [
        `network`,
        score(view.test.score),
        intervalText(view.test.interval.low, view.test.interval.high),
      ],
      ...view.baselines.map((baseline) => [
        `${baseline.name}${baseline.name === view.baseline.name ? ' (best baseline)' : ''}`,
        score(baseline.score),
        '',
      ]),
    ],
  };
}

/** The "how much to trust it" block: scores beside baselines, the tests, and the sentence. */
export function trustBlock(view: TrustView, style: Styles): string {
  const result = view;
  const table = trustTable(view);
  const lines = [renderTable(table.columns, table.cells)];
  const lossName =
    result.task === 'classification' ? 'cross-entropy' : 'Σ(y − ŷ)²/2m on the scaled target';
  lines.push(
    `Test loss ${fixed(result.test.loss, 4)} (${lossName})` +
      (result.test.rmse === undefined
        ? ''
        : `; RMSE ${fixed(result.test.rmse, 1)} minutes per day`) +
      '.',
  );
  lines.push(permutationLine(result.significance));
  const chi = result.significance.chiSquare;
  if (chi !== undefined) {
    lines.push(
      `Chi-square test of independence, ${chi.table} on all rows: χ² = ${fixed(chi.statistic, 1)}, ` +
        `df = ${chi.degreesOfFreedom}, ${pValue(chi.pValue)}, Cramér's V = ${fixed(chi.cramersV, 3)}.`,
    );
  }
  const sentence = result.significance.sentence;
  lines.push(result.significance.evidence ? style.green(sentence) : style.yellow(sentence));
  return lines.join('\n');
}

/** One question as text: heading, answer table, trust, training facts. */
export function questionText(result: QuestionResult, index: number, style: Styles): string {
  const heading = style.bold(`${index + 1}. ${result.title}`) + style.dim(`  (${result.id})`);
  const setup =
    `Network ${layersText(result.network.layers)} (${grouped(result.network.parameters)} parameters); ` +
    `rows: ${grouped(result.split.train)} train / ${grouped(result.split.validation)} validation / ${grouped(result.split.test)} test.`;
  return [
    heading,
    setup,
    '',
    renderTable(result.answerTable.columns, result.answerTable.cells),
    style.dim(result.answerNote),
    '',
    style.bold('How much to trust it'),
    trustBlock(result, style),
    '',
    trainingLine(result),
  ].join('\n');
}

/** The whole `questions` run as text. */
export function questionsText(run: QuestionsRun, style: Styles): string {
  return [
    datasetLine(run.dataset),
    ...run.questions.map((result, index) => `\n${questionText(result, index, style)}`),
  ].join('\n');
}

/** One question in the `--json` form (without the per-epoch history, which only the report draws). */
export function questionJson(result: QuestionResult): Record<string, unknown> {
  const { history: _history, ...training } = result.training;
  const { metric, score: value, ...test } = result.test;
  return {
    id: result.id,
    title: result.title,
    task: result.task,
    split: result.split,
    network: result.network,
    hyperparameters: result.hyperparameters,
    training,
    test: { [metric]: value, ...test },
    baseline: result.baseline,
    baselines: result.baselines,
    significance: result.significance,
    ...(result.confusion === undefined ? {} : { confusion: result.confusion }),
    answer: result.answer,
  };
}

/** The `--json` document of a `questions` run. */
export function questionsJson(run: QuestionsRun): Record<string, unknown> {
  return { version: run.version, dataset: run.dataset, questions: run.questions.map(questionJson) };
}
