import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { EpochTiming } from './measure.js';

/** The notebook algorithm in numpy, kept in the app as the reference the user started from. */
export const REFERENCE_SCRIPT = fileURLToPath(
  new URL('../../python/reference.py', import.meta.url),
);

/** What the numpy reference measured, or why it could not run. */
export type NumpyOutcome =
  { ok: true; numpy: string; results: Map<string, EpochTiming> } | { ok: false; reason: string };

/**
 * Runs `python3 python/reference.py` (same networks, same row counts, full-batch gradient
 * descent) and reads its JSON. Returns `ok: false` with the reason when python3 or numpy is
 * missing, so the benchmark can skip it with a note.
 */
export function timeNumpy(epochs: number, python = 'python3'): NumpyOutcome {
  const probe = spawnSync(python, ['-c', 'import numpy'], { encoding: 'utf8' });
  if (probe.error !== undefined) return { ok: false, reason: `${python} not found` };
  if (probe.status !== 0) return { ok: false, reason: `numpy is not importable by ${python}` };
  const run = spawnSync(python, [REFERENCE_SCRIPT, '--epochs', String(epochs)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (run.status !== 0) {
    return {
      ok: false,
      reason: `reference.py failed: ${run.stderr.trim().split('\n').pop() ?? ''}`,
    };
  }
  const doc = JSON.parse(run.stdout) as {
    numpy: string;
    results: { network: string; msPerEpoch: number; epochs: number }[];
  };
  return {
    ok: true,
    numpy: doc.numpy,
    results: new Map(
      doc.results.map((r) => [r.network, { msPerEpoch: r.msPerEpoch, epochs: r.epochs }]),
    ),
  };
}
