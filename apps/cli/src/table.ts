/**
 * Plain-text tables: a header, a rule, and aligned columns. Text columns are left-aligned and
 * numbers right-aligned, so digits line up and a column of numbers can be compared by eye.
 */
import { printable } from './printable.js';

/** One column of a table. */
export interface Column {
  /** The header text. */
  header: string;
  /** `right` for numbers; `left` (the default) for text. */
  align?: 'left' | 'right';
}

/** The width of text on a terminal: the count of code points (the table holds no wide characters). */
function width(text: string): number {
  return [...text].length;
}

function pad(text: string, size: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, size - width(text)));
  return align === 'right' ? fill + text : text + fill;
}

/**
 * Renders rows of cells as aligned text, two spaces between columns and no trailing spaces.
 * Every row must have one cell per column.
 */
export function renderTable(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
): string {
  for (const [index, row] of rows.entries()) {
    if (row.length !== columns.length) {
      throw new Error(`table row ${index} has ${row.length} cells for ${columns.length} columns`);
    }
  }
  // Escaped before measuring: a control character in a value is shown as six characters.
  const headers = columns.map((column) => printable(column.header));
  const shown = rows.map((row) => row.map((cell) => printable(cell)));
  const widths = headers.map((header, index) =>
    Math.max(width(header), ...shown.map((row) => width(row[index] ?? ''))),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, index) => pad(cell, widths[index] ?? 0, columns[index]?.align ?? 'left'))
      .join('  ')
      .trimEnd();
  const rule = widths.map((size) => '-'.repeat(size)).join('  ');
  return [line(headers), rule, ...shown.map(line)].join('\n');
}
