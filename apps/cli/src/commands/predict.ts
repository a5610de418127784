/**
 * `scratchnet predict`: runs a saved model on the rows of a file or on inputs given with
 * `--input`, and prints CSV (or JSON with `--json`) to stdout or to `--out`; each row of a file
 * that has a User_ID column keeps it, so a prediction can be matched to its listener.
 */
import {
  DataError,
  formatCsvField,
  normalizeHeader,
  readListenersCsv,
} from '@scratchnet/preprocess';
import type { Matrix } from '@scratchnet/linalg';
import type { CommonFlags, Context } from '../context.js';
import { note } from '../context.js';
import { finiteOutputs } from '../answers.js';
import { UsageError } from '../errors.js';
import { loadModelFile } from '../model-file.js';
import { checkOutputPaths, writeOutputs } from '../output.js';
import { printable } from '../printable.js';

/** Flags of `scratchnet predict`. */
export interface PredictFlags extends CommonFlags {
  model: string;
  data?: string;
  input?: Record<string, string>[];
  out?: string;
}

/** The column that names a listener; a prediction carries it when the file has one. */
const ID_COLUMN = 'user_id';

/** The model's inputs from `path`, with each row's User_ID when the file has that column. */
async function readPredictionRows(path: string, columns: readonly string[]) {
  try {
    return await readListenersCsv(path, { columns: [ID_COLUMN, ...columns], questions: [] });
  } catch (error) {
    // Only the inputs are required. Any other problem of the file is found again without User_ID.
    if (!(error instanceof DataError && error.code === 'MISSING_COLUMN')) throw error;
    return readListenersCsv(path, { columns, questions: [] });
  }
}

/** Runs `scratchnet predict`. */
export async function predictCommand(context: Context, flags: PredictFlags): Promise<void> {
  if (flags.data === undefined && flags.input === undefined) {
    throw new UsageError("predict: give --data FILE or --input 'name=value,...'", 'missing-input');
  }
  const force = { force: flags.force === true };
  if (flags.out !== undefined) {
    await checkOutputPaths([{ path: flags.out, flag: '--out' }], force, [
      { path: flags.model, flag: '--model' },
      { path: flags.data, flag: '--data' },
    ]);
  }
  const model = await loadModelFile(flags.model);
  const { pipeline } = model;
  const question = pipeline.question;
  const columns = question.inputs.map((input) => input.column);

  let records: Record<string, string | number>[];
  let ids: string[] | undefined;
  let x: Matrix;
  if (flags.data !== undefined) {
    const table = await readPredictionRows(flags.data, columns);
    x = pipeline.encodeInputs(table);
    if (table.has(ID_COLUMN)) ids = Array.from(table.column(ID_COLUMN), String);
    records = Array.from({ length: table.rows }, (_, row) =>
      Object.fromEntries(columns.map((column) => [column, table.value(column, row)])),
    );
  } else {
    records = (flags.input ?? []).map((input) => {
      const record: Record<string, string> = {};
      for (const [name, value] of Object.entries(input)) {
        const key = normalizeHeader(name);
        if (!columns.includes(key)) {
          throw new UsageError(
            `--input: '${name}' is not an input of this model (${question.id} takes ${columns.join(', ')})`,
            'invalid-flag-value',
          );
        }
        record[key] = value;
      }
      const missing = columns.filter((column) => record[column] === undefined);
      if (missing.length > 0) {
        throw new UsageError(
          `--input: missing ${missing.join(', ')} (${question.id} takes ${columns.join(', ')})`,
          'invalid-flag-value',
        );
      }
      return record;
    });
    try {
      x = pipeline.encodeInputRecords(records);
    } catch (error) {
      // A value the model cannot take came from the command line: that is a usage error.
      if (error instanceof DataError)
        throw new UsageError(`--input: ${error.message}`, 'invalid-flag-value');
      throw error;
    }
  }

  const outputs = finiteOutputs(model, x, (row) =>
    flags.data === undefined ? `--input ${row + 1}` : `row ${row + 1} of ${flags.data}`,
  );
  const target = question.target.column;
  const classification = question.kind === 'classification';
  const labels = pipeline.targetNames;
  const predicted = pipeline.decodeTarget(outputs);
  let content: string;
  if (flags.json === true) {
    const predictions = records.map((input, row) => ({
      ...(ids === undefined ? {} : { [ID_COLUMN]: ids[row] }),
      input,
      [`predicted_${target}`]: predicted[row],
      ...(classification
        ? {
            probabilities: Object.fromEntries(
              labels.map((label, j) => [label, outputs.data[row * outputs.cols + j]]),
            ),
          }
        : {}),
    }));
    content = `${JSON.stringify({ model: flags.model, question: question.id, predictions }, null, 2)}\n`;
  } else {
    const header = [
      ...(ids === undefined ? [] : [ID_COLUMN]),
      ...columns,
      `predicted_${target}`,
      ...(classification ? labels.map((label) => `p_${label}`) : []),
    ];
    const lines = [header.map(formatCsvField).join(',')];
    records.forEach((input, row) => {
      const value = predicted[row]!;
      const cells: (string | number)[] = [
        ...(ids === undefined ? [] : [ids[row]!]),
        ...columns.map((column) => input[column]!),
        typeof value === 'number' ? Number(value.toFixed(4)) : value,
        ...(classification
          ? labels.map((_, j) => Number(outputs.data[row * outputs.cols + j]!.toFixed(6)))
          : []),
      ];
      lines.push(cells.map(formatCsvField).join(','));
    });
    content = `${lines.join('\n')}\n`;
  }
  if (flags.out === undefined) {
    // On stdout the values are shown, escaped; the file of --out keeps them as they were.
    context.io.stdout.write(printable(content));
    return;
  }
  await writeOutputs([{ path: flags.out, flag: '--out', content }], force);
  note(context, flags, `Wrote ${records.length} predictions to ${flags.out}.`);
}
