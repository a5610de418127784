import { NETWORKS, TRAIN_ROWS, VALIDATION_ROWS, syntheticData } from './networks.js';
import type { NetworkSpec } from './networks.js';
import type { EpochTiming } from './measure.js';
import { median } from '../measure.js';
import { timeNumpy } from './numpy.js';
import { groupRows, timeScratchnet } from './scratchnet.js';
import { countSubnormals } from './subnormals.js';
import type { SubnormalCount } from './subnormals.js';
import { timeTfjs } from './tfjs.js';

/** Implementations `train` can time. */
export const TRAIN_IMPLS = [
  'scratchnet',
  'scratchnet-f32',
  'scratchnet-grouped',
  'tfjs-cpu',
  'tfjs-wasm',
  'numpy',
] as const;
/** One of {@link TRAIN_IMPLS}. */
export type TrainImpl = (typeof TRAIN_IMPLS)[number];

/** What `scratchnet-bench train` measures. */
export interface TrainPlan {
  networks: readonly NetworkSpec[];
  impls: readonly TrainImpl[];
  /** Epochs timed per implementation and network (the first few are dropped as warm-up). */
  epochs: number;
  /** Epochs of the subnormal investigation (0 to skip it). */
  subnormalEpochs: number;
}

/** One timed implementation on one network. */
export interface TrainResult extends EpochTiming {
  impl: TrainImpl;
  network: string;
}

/** Everything `train` found. */
export interface TrainReport {
  results: TrainResult[];
  /** Implementations that could not run, and why (e.g. no numpy). */
  skipped: { impl: TrainImpl; reason: string }[];
  /** Subnormal counts per network over a training run. */
  subnormals: { network: string; epochs: number; counts: SubnormalCount[] }[];
  numpyVersion?: string;
}

/**
 * Epochs timed of a grouped run per epoch of the others': its epochs take microseconds, so a
 * longer run gives its median as many milliseconds of samples (and the JIT time to settle).
 */
export const GROUPED_EPOCHS_FACTOR = 10;

/** The default plan: all three networks, every implementation, subnormals over 2,000 epochs. */
export function trainPlan(quick: boolean, impls: readonly TrainImpl[] = TRAIN_IMPLS): TrainPlan {
  return {
    networks: NETWORKS,
    impls,
    epochs: quick ? 20 : 200,
    subnormalEpochs: quick ? 20 : 2000,
  };
}

/**
 * Times one epoch (training step on 3,000 rows + validation pass on 1,000) of each network for
 * each implementation, on the same synthetic data, then counts subnormals in a scratchnet
 * training run of each network.
 */
export async function runTrain(
  plan: TrainPlan,
  progress: (line: string) => void = () => {},
): Promise<TrainReport> {
  const report: TrainReport = { results: [], skipped: [], subnormals: [] };
  const data = plan.networks.map((spec, i) => ({
    spec,
    train: syntheticData(spec, TRAIN_ROWS, 10 + i),
    validation: syntheticData(spec, VALIDATION_ROWS, 20 + i),
  }));
  if (plan.impls.includes('numpy')) {
    progress('numpy reference');
    const numpy = timeNumpy(plan.epochs);
    if (numpy.ok) {
      report.numpyVersion = numpy.numpy;
      for (const { spec } of data) {
        const timing = numpy.results.get(spec.name);
        if (timing !== undefined)
          report.results.push({ impl: 'numpy', network: spec.name, ...timing });
      }
    } else {
      report.skipped.push({ impl: 'numpy', reason: numpy.reason });
    }
  }
  for (const { spec, train, validation } of data) {
    for (const impl of plan.impls) {
      if (impl === 'numpy') continue;
      progress(`${impl} ${spec.name}`);
      const timing =
        impl === 'scratchnet-grouped'
          ? timeScratchnet(
              spec,
              groupRows(spec, train),
              groupRows(spec, validation),
              plan.epochs * GROUPED_EPOCHS_FACTOR,
            )
          : impl === 'scratchnet' || impl === 'scratchnet-f32'
            ? timeScratchnet(
                spec,
                train,
                validation,
                plan.epochs,
                impl === 'scratchnet' ? 'f64' : 'f32',
              )
            : await timeTfjs(
                impl === 'tfjs-cpu' ? 'cpu' : 'wasm',
                spec,
                train,
                validation,
                plan.epochs,
              );
      report.results.push({ impl, network: spec.name, ...timing });
    }
  }
  if (plan.subnormalEpochs > 0) {
    for (const { spec, train, validation } of data) {
      progress(`subnormals ${spec.name}`);
      report.subnormals.push({
        network: spec.name,
        epochs: plan.subnormalEpochs,
        counts: countSubnormals(spec, train, validation, plan.subnormalEpochs),
      });
    }
  }
  return report;
}

/**
 * Merges several rounds of `train` (`--rounds`): per implementation and network the median of
 * the rounds' medians and the sum of their epochs; subnormal counts and skips from every round.
 */
export function mergeTrainReports(reports: readonly TrainReport[]): TrainReport {
  const groups = new Map<string, TrainResult[]>();
  for (const report of reports) {
    for (const r of report.results) {
      const k = `${r.impl}|${r.network}`;
      const group = groups.get(k);
      if (group === undefined) groups.set(k, [r]);
      else group.push(r);
    }
  }
  const skipped = new Map<string, TrainReport['skipped'][number]>();
  for (const report of reports) for (const s of report.skipped) skipped.set(s.impl, s);
  const merged: TrainReport = {
    results: [...groups.values()].map((group) => ({
      ...group[0]!,
      msPerEpoch: median(group.map((r) => r.msPerEpoch)),
      epochs: group.reduce((sum, r) => sum + r.epochs, 0),
    })),
    skipped: [...skipped.values()],
    subnormals: reports.flatMap((r) => r.subnormals),
  };
  const numpy = reports.find((r) => r.numpyVersion !== undefined)?.numpyVersion;
  if (numpy !== undefined) merged.numpyVersion = numpy;
  return merged;
}
