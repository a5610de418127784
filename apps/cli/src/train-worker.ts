/**
 * A worker thread that trains one question's network, so `scratchnet questions` trains its three
 * networks side by side. It reads the same rows and makes the same split as the main thread (both
 * are deterministic), trains, and posts back the weights and the history; the main thread rebuilds
 * the network from them and does everything else. Progress goes back as throttled messages.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { getQuestion } from '@scratchnet/preprocess';
import { loadListeners } from './data.js';
import { repeatProcedure } from './procedure.js';
import type { FittedNetwork } from './question-run.js';
import { fitQuestion, prepareForTraining } from './question-run.js';
import type { Hyperparameters, Repetition } from './results.js';
import type { Progress } from './terminal.js';

/** What the main thread sends: which rows, which question, how to train. */
export interface TrainJob {
  /** `--data` (undefined: the built-in sample). */
  data: string | undefined;
  questionId: string;
  hyperparameters: Hyperparameters;
  /** Train as often as this asks (see procedure.ts); absent: one network. */
  repetition?: Repetition;
  /** Whether to post progress messages. */
  progress: boolean;
}

/** What the worker posts back. */
export type TrainMessage =
  | { type: 'epoch'; epoch: number; validationLoss: number }
  | { type: 'done'; networks: TrainedNetwork[] }
  | {
      type: 'repeated';
      networks: TrainedNetwork[];
      scores: number[][];
      permutationScores: number[];
      seconds: number;
    }
  | { type: 'error'; name: string; message: string; code?: unknown; stack?: string };

/** One trained network as it crosses to the main thread. */
export interface TrainedNetwork extends Omit<FittedNetwork, 'network'> {
  parameters: unknown;
}

function posted(fitted: FittedNetwork): TrainedNetwork {
  const { network, ...rest } = fitted;
  return { parameters: network.parameters(), ...rest };
}

/** Progress messages at most every 100 ms, and always the last epoch. */
function progressPoster(post: (message: TrainMessage) => void): Progress {
  let last = 0;
  return {
    update(epoch, validationLoss) {
      const now = performance.now();
      if (now - last < 100) return;
      last = now;
      post({ type: 'epoch', epoch, validationLoss });
    },
    stop() {},
  };
}

async function main(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error('train-worker must run as a worker thread');
  const post = (message: TrainMessage) => port.postMessage(message);
  const job = workerData as TrainJob;
  try {
    const question = getQuestion(job.questionId);
    const { table } = await loadListeners(job.data, [question]);
    const prepared = prepareForTraining(question, table, job.hyperparameters.seed);
    const progress: Progress = job.progress ? progressPoster(post) : { update() {}, stop() {} };
    if (job.repetition === undefined) {
      const fitted = await fitQuestion(prepared, job.hyperparameters, progress);
      post({ type: 'done', networks: [posted(fitted)] });
    } else {
      const runs = await repeatProcedure(
        table,
        prepared,
        job.hyperparameters,
        job.repetition,
        progress,
      );
      post({
        type: 'repeated',
        networks: runs.members.map(posted),
        scores: runs.scores,
        permutationScores: runs.permutationScores,
        seconds: runs.seconds,
      });
    }
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    post({
      type: 'error',
      name: failure.name,
      message: failure.message,
      code: (failure as { code?: unknown }).code,
      ...(failure.stack === undefined ? {} : { stack: failure.stack }),
    });
  }
}

await main();
