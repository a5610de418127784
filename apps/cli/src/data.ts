/**
 * Where rows come from: a CSV file given with `--data`, or the built-in synthetic sample (the real
 * file cannot ship with the project; see sample.ts).
 */
import type { ListenerTable, QuestionDefinition } from '@scratchnet/preprocess';
import { readListenersCsv } from '@scratchnet/preprocess';
import type { DatasetInfo } from './results.js';
import { sampleListeners } from './sample.js';

/** The rows for `questions`: the file's, or the built-in sample's. */
export async function loadListeners(
  path: string | undefined,
  questions: readonly QuestionDefinition[],
): Promise<{ table: ListenerTable; dataset: DatasetInfo }> {
  if (path !== undefined) {
    const table = await readListenersCsv(path, { questions });
    return { table, dataset: { source: 'file', path, rows: table.rows } };
  }
  return sampleListeners();
}
