/**
 * @scratchnet/metrics — scores, the baselines to read them against, and how sure we can be:
 * classification and regression metrics, majority / lookup-table / frequency / mean baselines,
 * a seeded bootstrap, a seeded paired permutation test, a chi-square test of independence, and
 * the Wilson interval of a proportion.
 */
export { MetricsError } from './errors.js';
export type { MetricsErrorCode } from './errors.js';
export { accuracy, classificationReport, confusionMatrix } from './classification.js';
export type { ClassScores, ClassificationReport } from './classification.js';
export { argmax, logLoss, topKAccuracy } from './probabilities.js';
export type { LogLossOptions } from './probabilities.js';
export {
  meanAbsoluteError,
  meanSquaredError,
  r2Score,
  rootMeanSquaredError,
} from './regression.js';
export {
  frequencyGuessAccuracy,
  lookupTableBaseline,
  lookupTableMeanBaseline,
  majorityClassBaseline,
  meanPredictorBaseline,
} from './baselines.js';
export type {
  ClassBaseline,
  LookupTableBaseline,
  LookupTableMeanBaseline,
  MajorityClassBaseline,
  MeanPredictorBaseline,
  RegressionBaseline,
} from './baselines.js';
export { bootstrapInterval, bootstrapMetric } from './bootstrap.js';
export type { BootstrapInterval, BootstrapOptions } from './bootstrap.js';
export { correctness, negatedSquaredErrors, permutationTest } from './permutation.js';
export type { PermutationTestOptions, PermutationTestResult } from './permutation.js';
export { proportionInterval } from './proportion.js';
export type { ProportionInterval } from './proportion.js';
export { chiSquareTest, contingencyTable } from './chiSquare.js';
export type { ChiSquareResult } from './chiSquare.js';
export { chiSquareSurvival, regularizedGammaP, regularizedGammaQ } from './gamma.js';
