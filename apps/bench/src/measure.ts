/** How long to measure one case, and how often. */
export interface MeasurePlan {
  /** Untimed calls first, so the JIT and caches settle; at least this many. */
  warmupCalls: number;
  /** …and at least this long, in milliseconds. */
  warmupMs: number;
  /** Timed samples to take the median of (at least this many). */
  samples: number;
  /** Keep sampling until this many milliseconds have passed, up to `maxSamples`. */
  minTotalMs: number;
  /** Never more samples than this. */
  maxSamples: number;
  /** A sample times enough back-to-back calls to last at least this long (timer resolution). */
  minSampleMs: number;
  /**
   * A call slower than this (ml-matrix or the TensorFlow.js cpu backend at 1024²) gets one
   * warm-up call and `slowSamples` samples, so a full run stays within minutes.
   */
  slowCallMs: number;
  slowSamples: number;
}

/** The default plan: about half a second per case. */
export const FULL_PLAN: MeasurePlan = {
  warmupCalls: 3,
  warmupMs: 100,
  samples: 7,
  minTotalMs: 400,
  maxSamples: 51,
  minSampleMs: 2,
  slowCallMs: 500,
  slowSamples: 5,
};

/** `--quick`: a smoke test, a few dozen milliseconds per case. */
export const QUICK_PLAN: MeasurePlan = {
  warmupCalls: 1,
  warmupMs: 5,
  samples: 3,
  minTotalMs: 20,
  maxSamples: 9,
  minSampleMs: 1,
  slowCallMs: 200,
  slowSamples: 3,
};

/** What measuring one case found. */
export interface Timing {
  /** Median time of one call, in microseconds. */
  microseconds: number;
  /** Timed samples the median was taken over. */
  runs: number;
  /** Calls per sample. */
  callsPerSample: number;
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list');
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Times `call(i)` the way a caller calls it: `i` counts up, so the callee can rotate through
 * several input sets and never sees the same arrays twice in a row. Warms up, picks a batch size
 * so one sample lasts `minSampleMs`, then returns the median time per call.
 */
export function measure(call: (i: number) => void, plan: MeasurePlan): Timing {
  let i = 0;
  const warmStart = performance.now();
  call(i++);
  const slow = performance.now() - warmStart > plan.slowCallMs;
  let calls = 1;
  while (!slow && (calls < plan.warmupCalls || performance.now() - warmStart < plan.warmupMs)) {
    call(i++);
    calls++;
  }
  const perCall = (performance.now() - warmStart) / calls;
  const callsPerSample = Math.max(1, Math.ceil(plan.minSampleMs / Math.max(perCall, 1e-6)));
  const wanted = slow ? plan.slowSamples : plan.samples;
  const samples: number[] = [];
  const start = performance.now();
  while (
    samples.length < wanted ||
    (!slow && performance.now() - start < plan.minTotalMs && samples.length < plan.maxSamples)
  ) {
    const t0 = performance.now();
    for (let r = 0; r < callsPerSample; r++) call(i++);
    samples.push((performance.now() - t0) / callsPerSample);
  }
  return { microseconds: median(samples) * 1000, runs: samples.length, callsPerSample };
}
