/**
 * @scratchnet/nn — a dense neural network built from scratch on @scratchnet/linalg, written as
 * its equations: dense layers forward and backward, activations with their derivatives, losses
 * with their output gradients, optimizers, the training loop with early stopping, gradient
 * checks, and versioned save/load. Faster engines plug into `fit` through `TrainingEngine`.
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
export { groupIdenticalRows, groupRows, identicalRows } from './grouping.js';
export type { GroupedRows, GroupOptions } from './grouping.js';
export type {
  GradientCheckOptions,
  GradientCheckResult,
  GradientMismatch,
  GradientOptions,
} from './gradient-check.js';
export { INITIALIZERS, initialWeights } from './initializers.js';
export type { Initializer } from './initializers.js';
export {
  PROBABILITY_CLIP,
  clipProbability,
  computeLoss,
  lossFor,
  outputGradient,
  totalWeight,
} from './losses.js';
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
export { denseBackward, denseForward } from './layer.js';
export type { DenseLayer, LayerGradients } from './layer.js';
export { Workspace, backward, forward } from './propagation.js';
export type { LossAndGradients } from './propagation.js';
export { accuracy, rSquared, rowClass } from './scores.js';
export { gatherRows, referenceEngine } from './engine.js';
export type { Dataset, EngineRun, TrainingEngine, ValidationScores } from './engine.js';
export { TrainingRun } from './training.js';
export type { EpochRecord, FitOptions, History } from './training.js';
