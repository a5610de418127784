/**
 * The command's way to train one question: on this thread, with a progress bar on a TTY (which is
 * why it lives apart from question-run.ts, whose functions also run in a page).
 */
import type { ListenerTable, QuestionDefinition } from '@scratchnet/preprocess';
import type { Context } from './context.js';
import { progressTotal, repeatProcedure } from './procedure.js';
import type { TrainedQuestion } from './question-run.js';
import { completeTraining, fitQuestion, prepareForTraining } from './question-run.js';
import type { Hyperparameters, Repetition } from './results.js';
import { progressBar, silentProgress } from './terminal.js';

/**
 * Splits, encodes and trains one question (with a progress bar on a TTY): one network, or as
 * `repetition` asks (see procedure.ts).
 */
export async function trainQuestion(
  context: Context,
  question: QuestionDefinition,
  table: ListenerTable,
  hyperparameters: Hyperparameters,
  repetition?: Repetition,
): Promise<TrainedQuestion> {
  const prepared = prepareForTraining(question, table, hyperparameters.seed);
  const progress = !context.progress
    ? silentProgress
    : repetition === undefined
      ? progressBar(context.io, question.id, hyperparameters.epochs)
      : (({ epochs, unit }) => progressBar(context.io, question.id, epochs, unit))(
          progressTotal(repetition, hyperparameters),
        );
  try {
    if (repetition === undefined) {
      const fitted = await fitQuestion(prepared, hyperparameters, progress);
      return completeTraining(table, prepared, fitted, hyperparameters);
    }
    const runs = await repeatProcedure(table, prepared, hyperparameters, repetition, progress);
    return completeTraining(table, prepared, { ...runs, repetition }, hyperparameters);
  } finally {
    progress.stop();
  }
}
