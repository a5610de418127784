import type { ColumnSpec } from './schema.js';
import { LISTENER_SCHEMA } from './schema.js';
import type { CellValue, ListenerTable } from './table.js';

/** Quotes a field when CSV needs it to (a comma, a quote or a line break in it). */
export function formatCsvField(value: CellValue): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The columns of `table` that the schema knows, in the real file's order. */
export function tableColumns(table: ListenerTable): ColumnSpec[] {
  return LISTENER_SCHEMA.filter((spec) => table.has(spec.key));
}

export function headerLine(specs: readonly ColumnSpec[]): string {
  return `${specs.map((spec) => formatCsvField(spec.header)).join(',')}\n`;
}

/**
 * The table as CSV text: the real file's headers (`User_ID,Age,Country,…`) for the columns the
 * table holds, in the real file's order, LF line ends, a final newline. For small tables, and for
 * a page (a download); in Node, `writeListenersCsv` writes files.
 */
export function formatListenersCsv(table: ListenerTable): string {
  const specs = tableColumns(table);
  let out = headerLine(specs);
  for (let r = 0; r < table.rows; r++) out += rowLine(specs, (key) => table.value(key, r));
  return out;
}

export function rowLine(specs: readonly ColumnSpec[], value: (key: string) => CellValue): string {
  let line = '';
  for (let c = 0; c < specs.length; c++) {
    if (c > 0) line += ',';
    line += formatCsvField(value(specs[c]!.key));
  }
  return `${line}\n`;
}
