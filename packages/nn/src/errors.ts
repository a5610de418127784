import type { History } from './training.js';

/** What went wrong with a model description, for callers that need to tell cases apart. */
export type ModelErrorCode =
  /** The value is not a scratchnet model at all (wrong `format`, not an object). */
  | 'NOT_A_MODEL'
  /** The model was saved by a format version this package cannot read. */
  | 'UNSUPPORTED_VERSION'
  /** A field is missing or has the wrong type. */
  | 'INVALID_FIELD'
  /** Weights or biases do not fit together (a layer's fan-in is not the previous layer's units). */
  | 'SHAPE_MISMATCH'
  /** A weight or bias is NaN, Infinity or not a number. */
  | 'NON_FINITE_NUMBER'
  /** The layers ask for something this package does not do (an unknown activation, softmax in a
   * hidden layer, an output activation that does not pair with the task's loss). */
  | 'UNSUPPORTED_ARCHITECTURE';

/** A network's description (options, parameters or saved JSON) is wrong; the message names where. */
export class ModelError extends Error {
  override readonly name = 'ModelError';
  constructor(
    readonly code: ModelErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Why training stopped with an error. */
export type TrainingErrorCode =
  /** The loss became NaN or ±Infinity: the weights diverged. */
  | 'NON_FINITE_LOSS'
  /** An option is out of range (epochs, learning rate, batch size, …). */
  | 'INVALID_OPTIONS'
  /** The data does not fit the network (column counts, row counts, empty sets, NaN inputs). */
  | 'INVALID_DATA'
  /** The engine `fit` was given cannot train this network (its layers, or what the machine
   * lacks); the message says why, and another engine (the reference) can. */
  | 'ENGINE_UNSUPPORTED';

/** Training could not start or could not go on; the message says what to change. */
export class TrainingError extends Error {
  override readonly name = 'TrainingError';
  constructor(
    readonly code: TrainingErrorCode,
    message: string,
    /** For `NON_FINITE_LOSS`: the epochs run before the loss diverged (the diverging one is not
     * recorded), with the best of them, whose weights the network holds again. */
    readonly history?: History,
  ) {
    super(message);
  }
}
