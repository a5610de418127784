/**
 * Trains several questions at once, one worker thread each, when the machine has more than one
 * core: `scratchnet questions` then takes about as long as its slowest network instead of the sum
 * of the three. Results are identical to training one after another (same code, same seeds).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { NetworkParameters } from '@scratchnet/nn';
import { Network } from '@scratchnet/nn';
import type { ListenerTable, QuestionDefinition } from '@scratchnet/preprocess';
import type { Context } from './context.js';
import { CliError, UsageError } from './errors.js';
import { progressTotal } from './procedure.js';
import type { FittedNetwork, RepeatedRuns, TrainedQuestion } from './question-run.js';
import { completeTraining, prepareForTraining } from './question-run.js';
import type { Hyperparameters, Repetition } from './results.js';
import type { Progress } from './terminal.js';
import { progressBars, silentProgressGroup } from './terminal.js';
import type { TrainedNetwork, TrainJob, TrainMessage } from './train-worker.js';

/** Whether training `count` questions in worker threads can save time here. */
export function parallelTrainingHelps(count: number): boolean {
  return count > 1 && availableParallelism() > 1;
}

/** An error from a worker, rebuilt with its name and code so it prints and exits the same way. */
export function rebuiltError(message: Extract<TrainMessage, { type: 'error' }>): Error {
  const code = typeof message.code === 'string' ? message.code : 'worker';
  // The CLI's own classes are rebuilt as themselves: the exit code depends on the class.
  const error =
    message.name === 'CliError'
      ? new CliError(message.message, code)
      : message.name === 'UsageError'
        ? new UsageError(message.message, code)
        : Object.assign(new Error(message.message), { name: message.name, code: message.code });
  if (message.stack !== undefined) error.stack = message.stack;
  return error;
}

function rebuiltNetwork(posted: TrainedNetwork): FittedNetwork {
  const { parameters, ...rest } = posted;
  return { network: Network.fromParameters(parameters as NetworkParameters), ...rest };
}

/** Runs one job in a worker; resolves with its trained network, or its repeated training's. */
function runWorker(
  job: TrainJob,
  progress: Progress,
  workers: Worker[],
): Promise<FittedNetwork | RepeatedRuns> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./train-worker.js', import.meta.url), { workerData: job });
    workers.push(worker);
    let settled = false;
    worker.on('message', (message: TrainMessage) => {
      if (message.type === 'epoch') {
        progress.update(message.epoch, message.validationLoss);
      } else if (message.type === 'done') {
        settled = true;
        const fitted = rebuiltNetwork(message.networks[0]!);
        const last = fitted.history.epochs[fitted.history.epochs.length - 1];
        if (last !== undefined) progress.update(last.epoch, last.validationLoss);
        resolve(fitted);
      } else if (message.type === 'repeated') {
        settled = true;
        const members = message.networks.map(rebuiltNetwork);
        resolve({
          members,
          scores: message.scores,
          permutationScores: message.permutationScores,
          seconds: message.seconds,
        });
      } else {
        settled = true;
        reject(rebuiltError(message));
      }
    });
    worker.on('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.on('exit', (code) => {
      if (!settled)
        reject(new Error(`the training worker for ${job.questionId} stopped (exit code ${code})`));
    });
  });
}

/**
 * Trains the questions side by side, each in its own worker thread, and completes each in the main
 * thread (split, encoders and baselines, from the same table and seed as the worker's).
 */
export async function trainInParallel(
  context: Context,
  questions: readonly QuestionDefinition[],
  data: string | undefined,
  table: ListenerTable,
  hyperparameters: readonly Hyperparameters[],
  repetition?: Repetition,
): Promise<TrainedQuestion[]> {
  // The main thread's own split doubles as the check that the file can be split at all.
  const prepared = questions.map((question, i) =>
    prepareForTraining(question, table, hyperparameters[i]!.seed),
  );
  const runs = questions.map((question, i) =>
    repetition === undefined
      ? { label: question.id, epochs: hyperparameters[i]!.epochs }
      : { label: question.id, ...progressTotal(repetition, hyperparameters[i]!) },
  );
  const group = context.progress
    ? progressBars(context.io, runs)
    : silentProgressGroup(runs.length);
  const workers: Worker[] = [];
  try {
    const fitted = await Promise.all(
      questions.map((question, i) =>
        runWorker(
          {
            data,
            questionId: question.id,
            hyperparameters: hyperparameters[i]!,
            ...(repetition === undefined ? {} : { repetition }),
            progress: context.progress,
          },
          group.bars[i]!,
          workers,
        ),
      ),
    );
    return fitted.map((one, i) =>
      completeTraining(
        table,
        prepared[i]!,
        'members' in one ? { ...one, repetition: repetition! } : one,
        hyperparameters[i]!,
      ),
    );
  } finally {
    group.stop();
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
