import { DataError } from './errors.js';

// A fatal decoder is the UTF-8 check every platform has (Node's `isUtf8` is Node-only).
const utf8 = new TextDecoder('utf-8', { fatal: true });

function isUtf8(bytes: Uint8Array): boolean {
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * Checks a byte stream chunk by chunk for what makes it "not a text CSV": a NUL byte, or bytes
 * that are not UTF-8. Keeps a running line count so the error can say where, and carries the
 * 1–3 bytes of a character split across two chunks over to the next one.
 */
export class TextBytesChecker {
  readonly #file: string;
  #lines = 1;
  #bytes = 0;
  #carry: Uint8Array = new Uint8Array(0);

  constructor(file: string) {
    this.#file = file;
  }

  /** Bytes seen so far. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Checks one chunk; throws a `DataError` (`BINARY_DATA`) at the first bad byte. */
  check(bytes: Uint8Array): void {
    const carried = this.#carry.length;
    const all = carried === 0 ? bytes : concat(this.#carry, bytes);
    const complete = all.length - incompleteTail(all);
    const nul = bytes.indexOf(0);
    const valid = isUtf8(all.subarray(0, complete));
    if (nul !== -1 || !valid) {
      // Report whichever comes first: an image starts with bytes that are not UTF-8, a text
      // file with a stray NUL has it wherever it is.
      const invalidAt = valid ? Infinity : firstInvalidUtf8(all, complete);
      const nulAt = nul === -1 ? Infinity : carried + nul;
      throw nulAt < invalidAt
        ? this.#error(all, nulAt, 'a NUL byte', carried)
        : this.#error(all, invalidAt, 'bytes that are not UTF-8', carried);
    }
    this.#carry = all.slice(complete);
    this.#lines += countNewlines(bytes);
    this.#bytes += bytes.length;
  }

  /** Called after the last chunk: a character cut off at the end of the file is invalid UTF-8. */
  end(): void {
    if (this.#carry.length !== 0) {
      throw new DataError('BINARY_DATA', 'the file ends in the middle of a UTF-8 character', {
        file: this.#file,
        line: this.#lines,
        expected: 'a UTF-8 text file',
      });
    }
  }

  /** An error at byte `at` of `bytes`, whose first `carried` bytes were already counted. */
  #error(bytes: Uint8Array, at: number, what: string, carried = 0): DataError {
    const line = this.#lines + countNewlines(bytes.subarray(carried, Math.max(carried, at)));
    const offset = this.#bytes - carried + at;
    return new DataError('BINARY_DATA', `binary data: ${what} at byte ${offset}`, {
      file: this.#file,
      line,
      expected: 'a UTF-8 text CSV file',
    });
  }
}

function countNewlines(bytes: Uint8Array): number {
  let count = 0;
  for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) count++;
  return count;
}

/** How many bytes at the end of `bytes` start a UTF-8 character that the chunk does not finish. */
function incompleteTail(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let back = 1; back <= Math.min(3, n); back++) {
    const b = bytes[n - back]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: look further back for the lead
    // Only 0xC2–0xF4 can start a multi-byte character; anything else is left for isUtf8 to reject.
    const need = b >= 0xf5 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

/** Offset of the first byte of `bytes[0..end)` that breaks UTF-8 (only called on the error path). */
function firstInvalidUtf8(bytes: Uint8Array, end: number): number {
  let i = 0;
  while (i < end) {
    const b = bytes[i]!;
    const need =
      b < 0x80
        ? 1
        : b >= 0xc2 && b < 0xe0
          ? 2
          : b >= 0xe0 && b < 0xf0
            ? 3
            : b >= 0xf0 && b < 0xf5
              ? 4
              : 0;
    if (need === 0 || i + need > end) return i;
    for (let k = 1; k < need; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    // Overlong and surrogate forms: isUtf8 rejected them, and they begin at this lead byte.
    if (need > 1 && !isUtf8(bytes.subarray(i, i + need))) return i;
    i += need;
  }
  return Math.max(0, end - 1);
}
