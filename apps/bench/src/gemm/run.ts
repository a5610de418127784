import { measure, median } from '../measure.js';
import type { MeasurePlan } from '../measure.js';
import type { GemmImpl } from './impls.js';
import { NETWORK_SHAPES, flops, operandSets, squareShape } from './problem.js';
import type { Dtype, Shape } from './problem.js';
import { verifyProduct } from './verify.js';

/** What `scratchnet-bench gemm` measures. */
export interface GemmPlan {
  /** Square sizes. */
  sizes: readonly number[];
  /** Include the network's tall-skinny and gradient shapes. */
  network: boolean;
  dtypes: readonly Dtype[];
  threads: readonly number[];
  impls: readonly GemmImpl[];
  measure: MeasurePlan;
}

/** One measured case. The first nine fields are the JSON result record. */
export interface GemmResult {
  impl: string;
  dtype: Dtype;
  threads: number;
  m: number;
  n: number;
  k: number;
  /** Billions of floating-point operations per second (2·m·n·k per call). */
  gflops: number;
  /** Median microseconds per call. */
  microseconds: number;
  /** Timed samples the median was taken over. */
  runs: number;
  /** The shape as the table names it (with its transposes). */
  shape: Shape;
}

/** A case that was not timed, and why. */
export interface GemmSkip {
  impl: string;
  dtype: Dtype;
  threads: number;
  shape: Shape;
  reason: string;
  /** True when the implementation computed a wrong product (a failure, not a limitation). */
  failed: boolean;
}

/** Everything one run measured. */
export interface GemmReport {
  results: GemmResult[];
  skipped: GemmSkip[];
}

/** Operand sets per case: the timing loop rotates through them (fewer for big matrices). */
function setCount(shape: Shape, dtype: Dtype): number {
  const bytes = (shape.m * shape.k + shape.k * shape.n) * (dtype === 'f64' ? 8 : 4);
  return Math.max(2, Math.min(4, Math.floor((64 << 20) / bytes)));
}

/** The shapes a plan covers, squares first. */
export function planShapes(plan: Pick<GemmPlan, 'sizes' | 'network'>): Shape[] {
  return [...plan.sizes.map(squareShape), ...(plan.network ? NETWORK_SHAPES : [])];
}

/**
 * Measures every implementation × shape × dtype × thread count of the plan. Each case is set up
 * on fresh seeded inputs (several sets, rotated call by call), its first product is verified
 * against the naive product before anything is timed, and the last timed product is verified
 * again. A wrong product is reported in `skipped` with `failed: true` and never timed.
 */
export async function runGemm(
  plan: GemmPlan,
  progress: (line: string) => void = () => {},
): Promise<GemmReport> {
  const results: GemmResult[] = [];
  const skipped: GemmSkip[] = [];
  for (const shape of planShapes(plan)) {
    for (const dtype of plan.dtypes) {
      const sets = operandSets(shape, dtype, setCount(shape, dtype));
      for (const impl of plan.impls) {
        if (!impl.dtypes.includes(dtype)) continue;
        for (const threads of plan.threads) {
          if (!impl.supportsThreads(threads)) continue;
          if (impl.applies !== undefined && !impl.applies(shape, dtype, threads)) continue;
          const base = { impl: impl.name, dtype, threads, shape };
          const why = impl.unavailable();
          if (why !== undefined) {
            skipped.push({ ...base, reason: why, failed: false });
            continue;
          }
          progress(`${impl.name} ${dtype} ×${threads} ${shape.label}`);
          const prepared = await impl.prepare(shape, dtype, threads, sets);
          try {
            verifyProduct(
              impl.name,
              shape,
              dtype,
              sets[0]!.a,
              sets[0]!.b,
              prepared.read(prepared.run(0)),
            );
            let last: unknown;
            let lastIndex = 0;
            const timing = measure((i) => {
              last = prepared.run(i);
              lastIndex = i;
            }, plan.measure);
            const s = sets[lastIndex % sets.length]!;
            verifyProduct(impl.name, shape, dtype, s.a, s.b, prepared.read(last));
            results.push({
              impl: impl.name,
              dtype,
              threads,
              m: shape.m,
              n: shape.n,
              k: shape.k,
              gflops: flops(shape) / (timing.microseconds * 1000),
              microseconds: timing.microseconds,
              runs: timing.runs,
              shape,
            });
          } catch (error) {
            if (!(error instanceof Error) || !('code' in error) || error.code !== 'WRONG_RESULT')
              throw error;
            skipped.push({ ...base, reason: error.message, failed: true });
          } finally {
            await prepared.dispose();
          }
        }
      }
    }
  }
  return { results, skipped };
}

/**
 * Merges the reports of several rounds of the same plan (`--rounds`): each case gets the median
 * of its rounds' medians and the sum of their samples; a case rejected in any round stays
 * rejected and is dropped from the results.
 */
export function mergeGemmReports(reports: readonly GemmReport[]): GemmReport {
  const key = (r: { impl: string; dtype: string; threads: number; shape: Shape }) =>
    `${r.impl}|${r.dtype}|${r.threads}|${r.shape.label}`;
  const skipped = new Map<string, GemmSkip>();
  for (const report of reports)
    for (const s of report.skipped) if (!skipped.has(key(s))) skipped.set(key(s), s);
  const groups = new Map<string, GemmResult[]>();
  for (const report of reports) {
    for (const r of report.results) {
      if (skipped.get(key(r))?.failed === true) continue;
      const group = groups.get(key(r));
      if (group === undefined) groups.set(key(r), [r]);
      else group.push(r);
    }
  }
  const results = [...groups.values()].map((group) => {
    const microseconds = median(group.map((r) => r.microseconds));
    return {
      ...group[0]!,
      microseconds,
      gflops: flops(group[0]!.shape) / (microseconds * 1000),
      runs: group.reduce((sum, r) => sum + r.runs, 0),
    };
  });
  return { results, skipped: [...skipped.values()] };
}
