import { markdownTable, textTable } from '../format.js';
import type { MachineInfo } from '../machine.js';
import { NETWORKS } from './networks.js';
import type { TrainReport, TrainResult } from './run.js';

/** The JSON document `train --json` prints. */
export function trainJson(report: TrainReport, machine: MachineInfo): object {
  return {
    machine: {
      ...machine,
      ...(report.numpyVersion === undefined ? {} : { numpy: report.numpyVersion }),
    },
    results: report.results.map(({ impl, network, msPerEpoch, epochs }) => ({
      impl,
      network,
      msPerEpoch,
      epochs,
    })),
    skipped: report.skipped,
    subnormals: report.subnormals,
  };
}

/** How many times faster `row` is than `impl` on the same network, as text. */
function speedup(row: TrainResult, results: readonly TrainResult[], impl: string): string {
  const other = results.find((r) => r.impl === impl && r.network === row.network);
  if (other === undefined) return '—';
  const x = other.msPerEpoch / row.msPerEpoch;
  return `${x < 10 ? x.toFixed(2) : x.toFixed(1)}×`;
}

const HEADER = ['network', 'impl', 'ms/epoch', 'vs numpy', 'vs tfjs-wasm', 'epochs'];
const NUMERIC = [false, false, true, true, true, true];

function cells(report: TrainReport): string[][] {
  return report.results
    .slice()
    .sort(
      (x, y) =>
        NETWORKS.findIndex((n) => n.name === x.network) -
        NETWORKS.findIndex((n) => n.name === y.network),
    )
    .map((r) => [
      r.network,
      r.impl,
      // Grouped epochs take microseconds: four significant digits whatever the size.
      r.msPerEpoch < 0.1
        ? r.msPerEpoch.toFixed(5)
        : r.msPerEpoch < 10
          ? r.msPerEpoch.toFixed(3)
          : r.msPerEpoch.toFixed(1),
      speedup(r, report.results, 'numpy'),
      speedup(r, report.results, 'tfjs-wasm'),
      String(r.epochs),
    ]);
}

function notes(report: TrainReport): string[] {
  const lines = [
    'An epoch: one full-batch training step on 3,000 rows plus the validation pass on 1,000 rows (median, warm-up epochs dropped).',
    ...(report.results.some((r) => r.impl === 'scratchnet-grouped')
      ? [
          'scratchnet-grouped: the same epoch on the rows grouped by identical input (groupIdenticalRows: each distinct row once, weighted by its count), which trains to the same losses; grouping, done once before training, is not timed.',
        ]
      : []),
    ...NETWORKS.map((n) => `${n.name}: ${n.description}, lr ${n.learningRate}.`),
  ];
  for (const s of report.skipped) lines.push(`skipped ${s.impl}: ${s.reason}.`);
  for (const s of report.subnormals) {
    const found = s.counts.filter((c) => c.subnormal > 0);
    const smallest = Math.min(...s.counts.map((c) => c.smallestNonzero));
    lines.push(
      found.length === 0
        ? `subnormals, ${s.network}: none in ${s.epochs} epochs of W, b, z, a, dz, dW, db (smallest nonzero magnitude ${smallest.toExponential(2)}).`
        : `subnormals, ${s.network}: ${found.map((c) => `${c.subnormal} of ${c.values} in ${c.kind}`).join(', ')} over ${s.epochs} epochs.`,
    );
  }
  return lines;
}

/** The plain-text table. */
export function trainTable(report: TrainReport, machine: string): string {
  return [
    `train on ${machine}`,
    '',
    textTable(HEADER, cells(report), NUMERIC),
    '',
    ...notes(report),
  ].join('\n');
}

/** The Markdown table. */
export function trainMarkdown(report: TrainReport, machine: string): string {
  return [
    `Machine: ${machine}`,
    '',
    markdownTable(HEADER, cells(report), NUMERIC),
    '',
    ...notes(report).map((l) => `- ${l}`),
  ].join('\n');
}
