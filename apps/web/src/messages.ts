/** What the page and its training worker say to each other. */
import type { DatasetInfo, QuestionResult, TrainingFlags } from '@scratchnet/cli/questions';

/** Page → worker: train one question, or stop the training under way. */
export type ToWorker =
  | {
      type: 'train';
      question: string;
      flags: TrainingFlags;
      /** A CSV the person dropped or picked; absent for the built-in sample. */
      file?: File;
    }
  | { type: 'stop' };

/** One epoch, as the live chart draws it. */
export interface EpochPoint {
  epoch: number;
  trainLoss: number;
  validationLoss: number;
  validationMetric: number;
}

/** Worker → page. */
export type FromWorker =
  | { type: 'status'; text: string }
  | { type: 'epoch'; point: EpochPoint }
  | { type: 'done'; result: QuestionResult; dataset: DatasetInfo; cancelled: boolean }
  /** The one line the command would print for the failure. */
  | { type: 'error'; line: string };
