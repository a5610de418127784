/**
 * The original hyper-parameters of each question (the author's numpy notebooks), and how the
 * command-line flags override them.
 */
import { UsageError } from './errors.js';
import type { DtypeName, OptimizerName } from './flags.js';
import { FALLBACK_HYPERPARAMETERS, QUESTION_SETTINGS } from './question-settings.js';
import type { Hyperparameters } from './results.js';

/** Hyper-parameter flags, as parsed; each one left out keeps the question's original value. */
export interface TrainingFlags {
  seed?: number;
  hidden?: number[];
  lr?: number;
  epochs?: number;
  patience?: number;
  optimizer?: OptimizerName;
  batchSize?: number | 'full';
  dtype?: DtypeName;
}

/** The seed used when `--seed` is not given. */
export const DEFAULT_SEED = 42;

/** The original hyper-parameters of each question, by id (see question-settings.ts). */
export const ORIGINAL_HYPERPARAMETERS: Readonly<Record<string, Omit<Hyperparameters, 'seed'>>> =
  Object.fromEntries(
    Object.entries(QUESTION_SETTINGS).map(([id, settings]) => [id, settings.hyperparameters]),
  );

/**
 * The hyper-parameters for `questionId`: its originals, with every flag given replacing its value.
 * Refuses (a {@link UsageError}, exit code 2) a combination nn cannot train, so the command fails
 * before it reads data or trains: float32 training takes one hidden layer only. (It also needs a
 * softmax or identity output, which every question's network has.)
 */
export function resolveHyperparameters(questionId: string, flags: TrainingFlags): Hyperparameters {
  const original = ORIGINAL_HYPERPARAMETERS[questionId] ?? FALLBACK_HYPERPARAMETERS;
  const hidden = flags.hidden ?? original.hidden;
  const dtype = flags.dtype ?? original.dtype;
  if (dtype === 'f32' && hidden.length !== 1) {
    throw new UsageError(
      `--dtype f32 trains networks with one hidden layer, but --hidden ${hidden.join(',')} gives ${hidden.length}; ` +
        'give one size (e.g. --hidden 16) or use --dtype f64',
      'dtype-unsupported-network',
    );
  }
  return {
    hidden: flags.hidden ?? [...original.hidden],
    learningRate: flags.lr ?? original.learningRate,
    epochs: flags.epochs ?? original.epochs,
    patience: flags.patience ?? original.patience,
    optimizer: flags.optimizer ?? original.optimizer,
    batchSize: flags.batchSize ?? original.batchSize,
    seed: flags.seed ?? DEFAULT_SEED,
    dtype,
  };
}
