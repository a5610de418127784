/**
 * @scratchnet/nn — a dense neural network built from scratch on @scratchnet/linalg: forward and
 * backward propagation written as the user's equations, training with early stopping, gradient
 * checks, and versioned save/load.
 */
export {
  ACTIVATIONS,
  HIDDEN_ACTIVATIONS,
  activate,
  activationBackward,
  sigmoid,
} from './activations.js';
export type { Activation } from './activations.js';
export { ModelError, TrainingError } from './errors.js';
export type { ModelErrorCode, TrainingErrorCode } from './errors.js';
export { fit, fitAsync } from './fit.js';
export type { FitAsyncOptions } from './fit.js';
export { gradientCheck, lossAndGradients } from './gradient-check.js';
export type {
  GradientCheckOptions,
  GradientCheckResult,
  GradientMismatch,
  GradientOptions,
} from './gradient-check.js';
export { INITIALIZERS, initialWeights } from './initializers.js';
export type { Initializer } from './initializers.js';
export { PROBABILITY_CLIP, computeLoss, lossFor, outputGradient } from './losses.js';
export type { Loss, Task } from './losses.js';
export { MODEL_FORMAT, MODEL_VERSION, loadModel, saveModel } from './model-io.js';
export type { LoadedModel, ModelExtras, ModelJSON } from './model-io.js';
export { Network } from './network.js';
export type {
  CreateNetworkOptions,
  LayerParameters,
  LayerSpec,
  NetworkParameters,
} from './network.js';
export { OPTIMIZERS } from './optimizers.js';
export type { OptimizerName } from './optimizers.js';
export { Workspace, backward, forward } from './propagation.js';
export type { DenseLayer, LayerGradients, LossAndGradients } from './propagation.js';
export { accuracy, rSquared } from './scores.js';
export { TrainingRun } from './training-run.js';
export type { Dataset, EpochRecord, FitOptions, History } from './training-run.js';
