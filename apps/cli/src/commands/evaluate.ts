/**
 * `scratchnet evaluate`: scores a saved model on every row of a file, beside the baselines fitted
 * on its own training rows (saved in the model file), with the answer table for that file.
 */
import { readListenersCsv } from '@scratchnet/preprocess';
import type { CommonFlags, Context } from '../context.js';
import { note, say } from '../context.js';
import { CliError } from '../errors.js';
import { grouped } from '../format.js';
import { DEFAULT_SEED, resolveHyperparameters } from '../hyperparameters.js';
import { loadModelFile } from '../model-file.js';
import { checkOutputPaths, writeOutputs } from '../output.js';
import { assessModel, checkScorable, questionResult } from '../question-run.js';
import { answerFor, questionWords } from '../question-settings.js';
import { layersText, questionJson, sentenceLine, trainingLine, trustBlock } from '../render.js';
import { renderReport } from '../report.js';
import type { DatasetInfo } from '../results.js';
import { renderTable } from '../table.js';

/** Flags of `scratchnet evaluate`. */
export interface EvaluateFlags extends CommonFlags {
  model: string;
  data: string;
  seed?: number;
  report?: string;
}

/** Runs `scratchnet evaluate`. */
export async function evaluateCommand(context: Context, flags: EvaluateFlags): Promise<void> {
  const force = { force: flags.force === true };
  if (flags.report !== undefined)
    await checkOutputPaths([{ path: flags.report, flag: '--report' }], force, [
      { path: flags.model, flag: '--model' },
      { path: flags.data, flag: '--data' },
    ]);
  const model = await loadModelFile(flags.model);
  if (model.baselines === undefined) {
    throw new CliError(
      `${flags.model}: the model has no baselines to compare with; train it with scratchnet train`,
      'model-no-baselines',
    );
  }
  const question = model.pipeline.question;
  const table = await readListenersCsv(flags.data, { questions: [question] });
  checkScorable(question, table);
  const dataset: DatasetInfo = { source: 'file', path: flags.data, rows: table.rows };
  const record = model.training ?? {};
  const history = model.history ?? [];
  const result = questionResult({
    model,
    assessment: assessModel(model, model.baselines, table, undefined, {
      seed: flags.seed ?? DEFAULT_SEED,
      chiSquareOnAllRows: true,
    }),
    answer: answerFor(model, table),
    split: record.split ?? { train: 0, validation: 0, test: 0 },
    scoredOn: `${grouped(table.rows)} rows`,
    hyperparameters: record.hyperparameters ?? resolveHyperparameters(question.id, {}),
    training: {
      epochs: record.epochs ?? history.length,
      bestEpoch: record.bestEpoch ?? 0,
      stoppedEarly: record.stoppedEarly ?? false,
      ...(record.seconds === undefined ? {} : { seconds: record.seconds }),
      history,
    },
  });
  if (flags.report !== undefined) {
    await writeOutputs(
      [
        {
          path: flags.report,
          flag: '--report',
          content: renderReport(
            { dataset, questions: [result], version: context.version },
            `scratchnet: ${flags.model} on ${flags.data}`,
          ),
        },
      ],
      force,
    );
  }
  if (flags.json === true) {
    const { split: _split, ...scored } = questionJson(result);
    say(
      context,
      JSON.stringify(
        { model: { path: flags.model, training: model.training ?? null }, dataset, ...scored },
        null,
        2,
      ),
    );
  } else {
    const words = questionWords(question);
    const trainedOn =
      record.dataset?.path === undefined ? '' : `, trained on ${record.dataset.path}`;
    const lines = [
      context.style.bold(`${question.title}  (${question.id})`),
      `Model ${flags.model}: network ${layersText(result.network.layers)}${trainedOn}. ` +
        `Scored on every row of ${flags.data} (${grouped(table.rows)} rows), beside baselines fitted on the model's own training rows.`,
      'Rows the model was trained on score higher than new rows: for an honest score, evaluate on rows it never saw.',
      sentenceLine(result, context.style),
      '',
      renderTable(result.answerTable.columns, result.answerTable.cells),
      context.style.dim(result.answerNote),
      '',
      context.style.bold('How much to trust it'),
      trustBlock(result),
    ];
    if (result.confusion !== undefined) {
      const { labels, counts } = result.confusion;
      lines.push(
        '',
        `Confusion matrix (rows: true ${words.targetName}; columns: predicted):`,
        renderTable(
          [{ header: '' }, ...labels.map((label) => ({ header: label, align: 'right' as const }))],
          counts.map((row, i) => [labels[i]!, ...row.map((count) => grouped(count))]),
        ),
      );
    }
    if (result.training.bestEpoch > 0) lines.push('', trainingLine(result));
    say(context, lines.join('\n'));
  }
  if (flags.report !== undefined) note(context, flags, `Wrote the report to ${flags.report}.`);
}
