/**
 * The three renderings of a `questions` run: the text a person reads, the `--json` document, and
 * the lines shared by both `train` and `questions` (training facts, trust).
 */
import { QUESTION_IDS } from '@scratchnet/preprocess';
import { BASELINE_NAMES } from './baselines.js';
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

/** What training saw when it grouped identical rows, or nothing when it saw every row. */
function groupedText(result: QuestionResult): string {
  const seen = result.training.rowsSeen;
  if (seen === undefined || seen.train === result.split.train) return '';
  return (
    `Trained on the ${grouped(seen.train)} distinct input rows of the ${grouped(result.split.train)} training rows ` +
    `(and ${grouped(seen.validation)} of the ${grouped(result.split.validation)} validation rows), each weighted by its count: ` +
    'the same losses as on every row. '
  );
}

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
    groupedText(result) +
    `${OPTIMIZER_NAMES[hyperparameters.optimizer] ?? hyperparameters.optimizer}, ` +
    `learning rate ${hyperparameters.learningRate}, ${batch}, seed ${hyperparameters.seed}` +
    // Float64 is the original and goes unsaid, so the default line reads as it always has.
    `${hyperparameters.dtype === 'f32' ? ', trained in float32' : ''}.`
  );
}

/** What repetition did, in one line: the trainings made and how long they took. */
export function repetitionLine(result: QuestionResult): string | undefined {
  const { repetition, training, hyperparameters } = result;
  if (repetition === undefined) return undefined;
  const seeds = `${grouped(repetition.seeds)} initial ${repetition.seeds === 1 ? 'seed' : 'seeds'} (${hyperparameters.seed}–${hyperparameters.seed + repetition.seeds - 1})`;
  const splits =
    repetition.splitSeeds === 1
      ? 'on one split'
      : `on each of ${grouped(repetition.splitSeeds)} splits (split seeds ${hyperparameters.seed}–${hyperparameters.seed + repetition.splitSeeds - 1})`;
  const shuffles =
    repetition.permutations === 0
      ? ''
      : `, and ${grouped(repetition.permutations)} on shuffled training targets`;
  const time =
    training.trainings === undefined || training.totalSeconds === undefined
      ? ''
      : `: ${grouped(training.trainings)} trainings in ${duration(training.totalSeconds)}`;
  return `Repeated: ${seeds} ${splits}${shuffles}${time}. The training line above is seed ${hyperparameters.seed}'s.`;
}

/** The permutation test of the procedure in one line. */
export function procedureLine(significance: QuestionResult['significance']): string | undefined {
  const test = significance.procedure;
  if (test === undefined) return undefined;
  return (
    `Permutation test of the procedure: trained on the real targets the network scores ${score(test.score)}; ` +
    `trained on training targets shuffled among the training rows, ${grouped(test.atLeast)} of ` +
    `${grouped(test.permutations)} score as high or higher: ${pValue(test.pValue)}.`
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

/** A question's number: its place among the three (so `--question` alone still says 2 or 3). */
export function questionNumber(id: string, index: number): number {
  const place = (QUESTION_IDS as readonly string[]).indexOf(id);
  return place < 0 ? index + 1 : place + 1;
}

/** What the trust block shows: the scores and tests, and which rows they were measured on. */
export type TrustView = Pick<
  QuestionResult,
  'task' | 'test' | 'baseline' | 'baselines' | 'significance' | 'scoredOn' | 'confusion' | 'seeds'
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
        view.seeds === undefined || view.seeds.networks === 1
          ? 'network'
          : `network: ensemble of ${grouped(view.seeds.scores[0]!.length)} seeds`,
        score(view.test.score),
        intervalText(view.test.interval.low, view.test.interval.high),
      ],
      ...(view.seeds === undefined || view.seeds.networks === 1
        ? []
        : [
            [
              `one network: mean over ${grouped(view.seeds.networks)} ${view.seeds.scores.length === 1 ? 'seeds' : `seeds × splits`}`,
              score(view.seeds.mean),
              `sd ${score(view.seeds.sd)}, range ${intervalText(view.seeds.min, view.seeds.max)}`,
            ],
          ]),
      ...view.baselines.map((baseline) => [
        `${baseline.name}${baseline.name === view.baseline.name ? ' (best row-by-row baseline)' : ''}`,
        score(baseline.score),
        '',
      ]),
    ],
  };
}

/**
 * What the baselines' labels mean, when one of them guesses no particular row: frequency guessing
 * can score above the baseline the tests use (0.100 against 0.090 on the real file).
 */
export function baselineNote(view: TrustView): string | undefined {
  if (!view.baselines.some((baseline) => baseline.name === BASELINE_NAMES.frequency))
    return undefined;
  return (
    `Frequency guessing is the accuracy expected from guessing each class as often as it appears ` +
    `in the training rows; it makes no guess for any one row, so the permutation tests compare the ` +
    `network with the best baseline that does (${view.baseline.name}).`
  );
}

/** The test loss in words: what it measures, and a value to read it against. */
export function lossLine(view: TrustView): string {
  const loss = fixed(view.test.loss, 4);
  if (view.task === 'classification') {
    const classes = view.confusion?.labels.length;
    const reference =
      classes === undefined || classes < 2
        ? ''
        : `; guessing all ${classes} classes as equally likely gives ln ${classes} = ${fixed(Math.log(classes), 4)}`;
    return (
      `Test loss ${loss}: the cross-entropy training lowers, the mean of −ln(probability the ` +
      `network gave the true class) over the ${view.scoredOn}; lower is better${reference}.`
    );
  }
  const rmse =
    view.test.rmse === undefined
      ? ''
      : ` RMSE ${fixed(view.test.rmse, 1)} minutes per day: the typical size of one prediction's error.`;
  return (
    `Test loss ${loss}: half the mean squared error on the standardised target (minutes in ` +
    `standard deviations of the training rows), which training lowers; lower is better, and ` +
    `predicting the training mean gives about 0.5.${rmse}`
  );
}

/** The plain sentence, coloured by its verdict. */
export function sentenceLine(view: TrustView, style: Styles): string {
  const sentence = view.significance.sentence;
  return view.significance.evidence ? style.green(sentence) : style.yellow(sentence);
}

/** The "how much to trust it" block: scores beside baselines, what they mean, and the tests. */
export function trustBlock(view: TrustView): string {
  const table = trustTable(view);
  const lines = [renderTable(table.columns, table.cells)];
  const note = baselineNote(view);
  if (note !== undefined) lines.push(note);
  lines.push(lossLine(view), permutationLine(view.significance));
  const procedure = procedureLine(view.significance);
  if (procedure !== undefined) lines.push(procedure);
  const chi = view.significance.chiSquare;
  if (chi !== undefined) {
    lines.push(
      `Chi-square test of independence, ${chi.table} on all rows: χ² = ${fixed(chi.statistic, 1)}, ` +
        `df = ${chi.degreesOfFreedom}, ${pValue(chi.pValue)}, Cramér's V = ${fixed(chi.cramersV, 3)}.`,
    );
  }
  return lines.join('\n');
}

/**
 * The answer table's heading: a finding only when there is evidence and the network finds it;
 * otherwise the rows are what the network says.
 */
export function answerHeading(result: Pick<QuestionResult, 'significance'>): string {
  return result.significance.answerIsFinding
    ? 'The answer'
    : 'What the network says (not a finding: see how much to trust it)';
}

/** One question as text: heading, the sentence, answer table, trust, training facts. */
export function questionText(result: QuestionResult, index: number, style: Styles): string {
  const heading =
    style.bold(`${questionNumber(result.id, index)}. ${result.title}`) +
    style.dim(`  (${result.id})`);
  const setup =
    `Network ${layersText(result.network.layers)} (${grouped(result.network.parameters)} parameters); ` +
    `rows: ${grouped(result.split.train)} train / ${grouped(result.split.validation)} validation / ${grouped(result.split.test)} test.`;
  const repeated = repetitionLine(result);
  return [
    heading,
    sentenceLine(result, style),
    '',
    style.bold(answerHeading(result)),
    renderTable(result.answerTable.columns, result.answerTable.cells),
    style.dim(result.answerNote),
    '',
    style.bold('How much to trust it'),
    trustBlock(result),
    '',
    setup,
    trainingLine(result),
    ...(repeated === undefined ? [] : [repeated]),
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
    ...(result.repetition === undefined ? {} : { repetition: result.repetition }),
    training,
    test: { [metric]: value, ...test },
    ...(result.seeds === undefined ? {} : { seeds: result.seeds }),
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
