/**
 * Finds the physical line (as an editor numbers it: `\r\n`, `\n` and a lone `\r` each end one
 * line) on which a given CSV record, or one field of it, starts. `csv-parse`'s own `lines` count
 * is the line where a record ends and counts a `\r\n` inside a quoted field as two lines, so on
 * CRLF files with multi-line fields it drifts further from the truth with every such field.
 *
 * Records are counted like `csv-parse` with `skip_empty_lines` (the header is record 0; a line
 * with no characters at all is not a record). Fed text chunk by chunk, so a file can be scanned
 * without holding it; used only on the error path.
 */
export class CsvLineLocator {
  readonly #record: number;
  readonly #field: number;
  #line = 1;
  #recordsDone = 0;
  #fieldIndex = 0;
  #recordEmpty = true;
  #inQuotes = false;
  /** A `"` inside quotes whose meaning (closing, or the first of `""`) depends on the next char. */
  #quotePending = false;
  #afterCr = false;
  #atFieldStart = true;
  #first = true;
  #found: number | undefined;

  /**
   * @param record 0-based record index (header = 0)
   * @param field 0-based field index within the record (default 0: where the record starts)
   */
  constructor(record: number, field = 0) {
    this.#record = record;
    this.#field = field;
  }

  /** The line found so far: once `push` has passed the target, where it starts. */
  get line(): number | undefined {
    return this.#found;
  }

  /** Scans one chunk; returns true once the line is known (the rest need not be read). */
  push(text: string): boolean {
    let start = 0;
    if (this.#first) {
      this.#first = false;
      if (text.charCodeAt(0) === 0xfeff) start = 1;
    }
    for (let i = start; i < text.length && this.#found === undefined; i++) {
      this.#step(text.charCodeAt(i));
    }
    return this.#found !== undefined;
  }

  #step(c: number): void {
    const CR = 13;
    const LF = 10;
    const QUOTE = 34;
    if (this.#quotePending) {
      this.#quotePending = false;
      if (c === QUOTE) return; // `""`: an escaped quote, still inside the field
      this.#inQuotes = false;
    }
    const lineBreak = c === CR || c === LF;
    const crlf = c === LF && this.#afterCr;
    this.#afterCr = c === CR;
    if (
      this.#recordsDone === this.#record &&
      this.#fieldIndex === this.#field &&
      (!lineBreak || this.#inQuotes || !this.#recordEmpty)
    ) {
      this.#found = this.#line;
      return;
    }
    if (lineBreak) {
      if (crlf) return; // the second half of a break already counted
      this.#line++;
      if (this.#inQuotes) return;
      if (!this.#recordEmpty) this.#recordsDone++;
      this.#recordEmpty = true;
      this.#fieldIndex = 0;
      this.#atFieldStart = true;
      return;
    }
    if (this.#inQuotes) {
      if (c === QUOTE) this.#quotePending = true;
      return;
    }
    this.#recordEmpty = false;
    if (c === 44) {
      this.#fieldIndex++;
      this.#atFieldStart = true;
    } else {
      if (c === QUOTE && this.#atFieldStart) this.#inQuotes = true;
      this.#atFieldStart = false;
    }
  }
}

/**
 * The physical line where record `record` (field `field`) of `text` starts; see `CsvLineLocator`.
 * A record past the end of the text (an unterminated quote runs to the end) gives the last line.
 */
export function csvLineOf(text: string, record: number, field = 0): number {
  const locator = new CsvLineLocator(record, field);
  locator.push(text);
  return locator.line ?? text.split(/\r\n|\r|\n/).length;
}
