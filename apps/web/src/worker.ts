/**
 * The training worker: reads the data and answers one question with the command's own functions
 * (`@scratchnet/cli/questions`), so the page shows the numbers `scratchnet questions` prints for the
 * same seed and data, while the page's thread stays free to draw.
 */
import type { Progress } from '@scratchnet/cli/questions';
import {
  completeTraining,
  describeError,
  describeQuestion,
  fitQuestion,
  giveSourceText,
  prepareForTraining,
  repeatProcedure,
  resolveHyperparameters,
  sampleListeners,
  trainingsOf,
} from '@scratchnet/cli/questions';
import type { DatasetInfo } from '@scratchnet/cli/questions';
import type { ListenerTable } from '@scratchnet/preprocess';
import { getQuestion, parseListenersCsv } from '@scratchnet/preprocess';
import type { FromWorker, ToWorker } from './messages.js';

/** The worker's global scope, as far as this file uses it (the DOM typings describe a window). */
const scope = self as unknown as {
  postMessage(message: FromWorker): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<ToWorker>) => void): void;
};
const post = (message: FromWorker) => scope.postMessage(message);

/** The page draws its own chart, so training needs no progress bar. */
const noProgress: Progress = { update() {}, stop() {} };

let running: AbortController | undefined;

async function load(
  file: File | undefined,
  question: ReturnType<typeof getQuestion>,
): Promise<{ table: ListenerTable; dataset: DatasetInfo }> {
  if (file === undefined) return sampleListeners();
  const bytes = new Uint8Array(await file.arrayBuffer());
  // Read as the command reads a file for this one question (`--question`): same checks, same errors.
  const table = parseListenersCsv(bytes, { questions: [question], source: file.name });
  giveSourceText(file.name, new TextDecoder().decode(bytes));
  return { table, dataset: { source: 'file', path: file.name, rows: table.rows } };
}

async function train(message: Extract<ToWorker, { type: 'train' }>): Promise<void> {
  const controller = new AbortController();
  running = controller;
  try {
    const question = getQuestion(message.question);
    const hyperparameters = resolveHyperparameters(question.id, message.flags);
    const { repetition } = message;
    post({ type: 'status', text: `reading ${message.file?.name ?? 'the built-in sample'}…` });
    const { table, dataset } = await load(message.file, question);
    const prepared = prepareForTraining(question, table, hyperparameters.seed);
    post({ type: 'status', text: 'training…' });
    // The network seeded --seed, watched epoch by epoch: the procedure's first network is this one.
    const fitted = await fitQuestion(prepared, hyperparameters, noProgress, {
      signal: controller.signal,
      onEpoch: ({ epoch, trainLoss, validationLoss, validationMetric }) =>
        post({ type: 'epoch', point: { epoch, trainLoss, validationLoss, validationMetric } }),
    });
    post({
      type: 'status',
      text: 'scoring the test rows (bootstrap, permutation and chi-square tests)…',
    });
    const single = describeQuestion(
      completeTraining(table, prepared, fitted, hyperparameters),
      table,
    );
    const cancelled = fitted.history.cancelled;
    post({ type: 'single', result: single, dataset, cancelled });
    if (cancelled) return;
    // Then the whole procedure, as `scratchnet questions` runs it (train-question.ts). Its
    // trainings never wait for messages, so the page stops it by ending this worker.
    const total = trainingsOf(repetition);
    let shown = -1;
    const runs = await repeatProcedure(
      table,
      prepared,
      hyperparameters,
      repetition,
      {
        // Called every epoch with the trainings done so far (with the epoch, for one training):
        // the status changes as each training ends.
        update(done) {
          if (total === 1 || done === shown) return;
          shown = done;
          post({
            type: 'status',
            text: `training ${done} of ${total} networks (seeds and permutations)…`,
          });
        },
        stop() {},
      },
      fitted,
    );
    post({
      type: 'status',
      text: 'scoring the test rows (bootstrap, permutation and chi-square tests)…',
    });
    const trained = completeTraining(table, prepared, { ...runs, repetition }, hyperparameters);
    post({ type: 'done', result: describeQuestion(trained, table), dataset });
  } catch (error) {
    post({ type: 'error', line: describeError(error) });
  } finally {
    if (running === controller) running = undefined;
  }
}

scope.addEventListener('message', (event) => {
  const message = event.data;
  if (message.type === 'stop') running?.abort();
  else void train(message);
});
