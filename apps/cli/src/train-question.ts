/**
 * The command's way to train one question: on this thread, with a progress bar on a TTY (which is
 * why it lives apart from question-run.ts, whose functions also run in a page).
 */
import type { ListenerTable, QuestionDefinition } from '@scratchnet/preprocess';
import type { Context } from './context.js';
import type { FittedNetwork, TrainedQuestion } from './question-run.js';
import { completeTraining, fitQuestion, prepareForTraining } from './question-run.js';
import type { Hyperparameters } from './results.js';
import { progressBar, silentProgress } from './terminal.js';

/** Splits, encodes and trains one question (with a progress bar on a TTY). */
export async function trainQuestion(
  context: Context,
  question: QuestionDefinition,
  table: ListenerTable,
  hyperparameters: Hyperparameters,
): Promise<TrainedQuestion> {
  const prepared = prepareForTraining(question, table, hyperparameters.seed);
  const progress = context.progress
    ? progressBar(context.io, question.id, hyperparameters.epochs)
    : silentProgress;
  let fitted: FittedNetwork;
  try {
    fitted = await fitQuestion(prepared, hyperparameters, progress);
  } finally {
    progress.stop();
  }
  return completeTraining(table, prepared, fitted, hyperparameters);
}
