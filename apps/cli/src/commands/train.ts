/**
 * `scratchnet train`: trains one question's network on a file and saves it with its encoders,
 * hyper-parameters, baselines and history, so `evaluate` and `predict` can use it later.
 */
import { getQuestion, readListenersCsv } from '@scratchnet/preprocess';
import type { CommonFlags, Context } from '../context.js';
import { note, say } from '../context.js';
import type { TrainingFlags } from '../hyperparameters.js';
import { resolveHyperparameters } from '../hyperparameters.js';
import { modelFileText } from '../model-file.js';
import type { OutputFile } from '../output.js';
import { checkOutputPaths, writeOutputs } from '../output.js';
import { describeQuestion } from '../question-run.js';
import { trainQuestion } from '../train-question.js';
import { datasetLine, questionJson, questionText } from '../render.js';
import { renderReport } from '../report.js';
import type { DatasetInfo } from '../results.js';

/** Flags of `scratchnet train`. */
export interface TrainFlags extends TrainingFlags, CommonFlags {
  question: string;
  data: string;
  out: string;
  report?: string;
}

/** Runs `scratchnet train`. */
export async function trainCommand(context: Context, flags: TrainFlags): Promise<void> {
  const question = getQuestion(flags.question);
  // First: a combination of flags that cannot train fails before anything is read or written.
  const hyperparameters = resolveHyperparameters(question.id, flags);
  const force = { force: flags.force === true };
  const targets = [{ path: flags.out, flag: '--out' }];
  if (flags.report !== undefined) targets.push({ path: flags.report, flag: '--report' });
  await checkOutputPaths(targets, force, [{ path: flags.data, flag: '--data' }]);

  const table = await readListenersCsv(flags.data, { questions: [question] });
  const dataset: DatasetInfo = { source: 'file', path: flags.data, rows: table.rows };
  const trained = await trainQuestion(context, question, table, hyperparameters);
  const result = describeQuestion(trained, table);
  const files: OutputFile[] = [
    {
      path: flags.out,
      flag: '--out',
      content: modelFileText(
        trained.network,
        trained.pipeline,
        {
          question: question.id,
          scratchnet: context.version,
          dataset,
          hyperparameters,
          split: result.split,
          epochs: result.training.epochs,
          bestEpoch: result.training.bestEpoch,
          stoppedEarly: result.training.stoppedEarly,
          seconds: trained.seconds,
          baselines: trained.baselines,
        },
        trained.history,
      ),
    },
  ];
  if (flags.report !== undefined) {
    files.push({
      path: flags.report,
      flag: '--report',
      content: renderReport(
        { dataset, questions: [result], version: context.version },
        `scratchnet: ${question.title}`,
      ),
    });
  }
  await writeOutputs(files, force);
  if (flags.json === true) {
    say(context, JSON.stringify({ model: flags.out, dataset, ...questionJson(result) }, null, 2));
  } else {
    say(context, `${datasetLine(dataset)}\n\n${questionText(result, 0, context.style)}`);
  }
  note(
    context,
    flags,
    `Saved the model to ${flags.out}${flags.report === undefined ? '' : ` and the report to ${flags.report}`}.`,
  );
}
