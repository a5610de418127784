/**
 * `scratchnet predict`: runs a saved model on the rows of a file or on inputs given with
 * `--input`, and prints CSV (or JSON with `--json`) to stdout or to `--out`.
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
  let x: Matrix;
  if (flags.data !== undefined) {
    const table = await readListenersCsv(flags.data, { columns, questions: [] });
    x = pipeline.encodeInputs(table);
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
      ...columns,
      `predicted_${target}`,
      ...(classification ? labels.map((label) => `p_${label}`) : []),
    ];
    const lines = [header.map(formatCsvField).join(',')];
    records.forEach((input, row) => {
      const value = predicted[row]!;
      const cells: (string | number)[] = [
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
