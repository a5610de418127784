/** What the page and its training worker say to each other. */
import type {
  DatasetInfo,
  QuestionResult,
  Repetition,
  TrainingFlags,
} from '@scratchnet/cli/questions';

/** Page → worker: train one question, or stop the training under way. */
export type ToWorker =
  | {
      type: 'train';
      question: string;
      flags: TrainingFlags;
      /** As `--seeds`, `--split-seeds` and `--permutations`. */
      repetition: Repetition;
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
  /** The network seeded --seed alone, before the repetition (or after Stop in its training). */
  | { type: 'single'; result: QuestionResult; dataset: DatasetInfo; cancelled: boolean }
  /** The procedure as the command runs it: the ensemble, the spread, the permutation test. */
  | { type: 'done'; result: QuestionResult; dataset: DatasetInfo }
  /** The one line the command would print for the failure. */
  | { type: 'error'; line: string };
