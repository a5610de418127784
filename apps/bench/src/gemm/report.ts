import { formatMicros, formatRatio, markdownTable, textTable } from '../format.js';
import type { MachineInfo } from '../machine.js';
import type { Dtype } from './problem.js';
import type { GemmReport, GemmResult } from './run.js';

/** The implementation each dtype's ratio column compares against. */
export type Baselines = Record<Dtype, string>;

/** ml-matrix for float64, TensorFlow.js wasm for float32: the fastest peer of each. */
export const DEFAULT_BASELINES: Baselines = { f64: 'ml-matrix', f32: 'tfjs-wasm' };

/** The JSON document `--json` prints: exactly `machine` and the nine-field result records. */
export function gemmJson(report: GemmReport, machine: MachineInfo): object {
  return {
    machine,
    results: report.results.map(
      ({ impl, dtype, threads, m, n, k, gflops, microseconds, runs }) => ({
        impl,
        dtype,
        threads,
        m,
        n,
        k,
        gflops,
        microseconds,
        runs,
      }),
    ),
  };
}

/**
 * How many times faster than the baseline (single-threaded, same shape and dtype) a result is;
 * `undefined` when the baseline did not run that case.
 */
export function ratioToBaseline(
  row: GemmResult,
  results: readonly GemmResult[],
  baselines: Baselines,
): number | undefined {
  const base = results.find(
    (r) =>
      r.impl === baselines[row.dtype] &&
      r.dtype === row.dtype &&
      r.threads === 1 &&
      r.shape.label === row.shape.label,
  );
  return base === undefined ? undefined : base.microseconds / row.microseconds;
}

const HEADER = ['shape', 'dtype', 'impl', 'threads', 'µs/call', 'GFLOPS', 'vs baseline', 'runs'];
const NUMERIC = [false, false, false, true, true, true, true, true];

function cells(report: GemmReport, baselines: Baselines): string[][] {
  return report.results.map((r) => [
    r.shape.label,
    r.dtype,
    r.impl,
    String(r.threads),
    formatMicros(r.microseconds),
    r.gflops.toFixed(2),
    formatRatio(ratioToBaseline(r, report.results, baselines)),
    String(r.runs),
  ]);
}

function notes(report: GemmReport, baselines: Baselines): string[] {
  const lines = [
    `vs baseline: times faster than ${baselines.f64} (f64) / ${baselines.f32} (f32) on one thread, same shape.`,
  ];
  for (const s of report.skipped) {
    lines.push(
      `${s.failed ? 'REJECTED' : 'skipped'}: ${s.impl} ${s.dtype} ×${s.threads} ${s.shape.label}: ${s.reason}`,
    );
  }
  return lines;
}

/** The plain-text table (terminal output). */
export function gemmTable(report: GemmReport, machine: string, baselines: Baselines): string {
  return [
    `gemm on ${machine}`,
    '',
    textTable(HEADER, cells(report, baselines), NUMERIC),
    '',
    ...notes(report, baselines),
  ].join('\n');
}

/** The Markdown table (`--markdown`). */
export function gemmMarkdown(report: GemmReport, machine: string, baselines: Baselines): string {
  return [
    `Machine: ${machine}`,
    '',
    markdownTable(HEADER, cells(report, baselines), NUMERIC),
    '',
    ...notes(report, baselines).map((l) => `- ${l}`),
  ].join('\n');
}
