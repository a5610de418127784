/**
 * `scratchnet evaluate`: scores a saved model on every row of a file, beside the baselines fitted
 * on its own training rows (saved in the model file), with the answer table for that file.
 */
import { readListenersCsv } from '@scratchnet/preprocess';
import { answerFor } from '../answers.js';
import type { CommonFlags, Context } from '../context.js';
import { say } from '../context.js';
import { CliError } from '../errors.js';
import { grouped } from '../format.js';
import { DEFAULT_SEED } from '../hyperparameters.js';
import { loadModelFile } from '../model-file.js';
import { assessModel, questionWords } from '../question-run.js';
import { layersText, trustBlock } from '../render.js';
import { renderTable } from '../table.js';

/** Flags of `scratchnet evaluate`. */
export interface EvaluateFlags extends CommonFlags {
  model: string;
  data: string;
  seed?: number;
}

/** Runs `scratchnet evaluate`. */
export async function evaluateCommand(context: Context, flags: EvaluateFlags): Promise<void> {
  const model = await loadModelFile(flags.model);
  if (model.baselines === undefined) {
    throw new CliError(
      `${flags.model}: the model has no baselines to compare with; train it with scratchnet train`,
      'model-no-baselines',
    );
  }
  const question = model.pipeline.question;
  const table = await readListenersCsv(flags.data, { questions: [question] });
  const assessment = assessModel(model, model.baselines, table, undefined, {
    seed: flags.seed ?? DEFAULT_SEED,
    chiSquareOnAllRows: true,
  });
  const answer = answerFor(model, table);
  const words = questionWords(question);
  const layers = [
    model.network.inputSize,
    ...model.network.architecture().map((layer) => layer.units),
  ];
  if (flags.json === true) {
    say(
      context,
      JSON.stringify(
        {
          model: {
            path: flags.model,
            question: question.id,
            layers,
            training: model.training ?? null,
          },
          dataset: { source: 'file', path: flags.data, rows: table.rows },
          test: {
            [assessment.test.metric]: assessment.test.score,
            loss: assessment.test.loss,
            interval: assessment.test.interval,
            ...(assessment.test.rmse === undefined ? {} : { rmse: assessment.test.rmse }),
          },
          baseline: assessment.baseline,
          baselines: assessment.baselines,
          significance: assessment.significance,
          ...(assessment.confusion === undefined
            ? {}
            : {
                confusion: {
                  labels: [...model.pipeline.targetNames],
                  counts: assessment.confusion,
                },
              }),
          answer: answer.rows,
        },
        null,
        2,
      ),
    );
    return;
  }
  const lines = [
    context.style.bold(`${question.title}  (${question.id})`),
    `Model ${flags.model}: network ${layersText(layers)}` +
      (model.training?.dataset?.path === undefined
        ? ''
        : `, trained on ${model.training.dataset.path}`) +
      `. Scored on every row of ${flags.data} (${grouped(table.rows)} rows); baselines fitted on the model's own training rows.`,
    'Rows the model was trained on score higher than new rows: for an honest score, evaluate on rows it never saw.',
    '',
    renderTable(answer.table.columns, answer.table.cells),
    context.style.dim(answer.note),
    '',
    context.style.bold('How much to trust it'),
    trustBlock(
      { task: question.kind, ...assessment, rowsLabel: `${grouped(table.rows)} rows` },
      context.style,
    ),
  ];
  if (assessment.confusion !== undefined) {
    const labels = model.pipeline.targetNames;
    lines.push(
      '',
      `Confusion matrix (rows: true ${words.targetName}; columns: predicted):`,
      renderTable(
        [{ header: '' }, ...labels.map((label) => ({ header: label, align: 'right' as const }))],
        assessment.confusion.map((row, i) => [labels[i]!, ...row.map((count) => grouped(count))]),
      ),
    );
  }
  say(context, lines.join('\n'));
}
