import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TextBytesChecker } from './bytes.js';
import { DataError } from './errors.js';

/** Feeds `bytes` to a checker in pieces cut at `cuts`. */
function feed(bytes: Uint8Array, cuts: number[]): void {
  const checker = new TextBytesChecker('t.csv');
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    checker.check(bytes.subarray(from, cut));
    from = cut;
  }
  checker.check(bytes.subarray(from));
  checker.end();
}

describe('TextBytesChecker', () => {
  it('accepts any UTF-8 text, however it is cut into chunks', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 60 }).filter((s) => !s.includes('\u0000')),
        fc.array(fc.nat(), { maxLength: 6 }),
        (text, rawCuts) => {
          const bytes = new TextEncoder().encode(text);
          feed(
            bytes,
            rawCuts.map((c) => c % (bytes.length + 1)),
          );
        },
      ),
    );
  });

  it('finds a byte that is not UTF-8 wherever the chunks are cut, with its line and offset', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme-ascii', maxLength: 30 }).filter((s) => !s.includes('\u0000')),
        fc.string({ unit: 'grapheme', maxLength: 30 }).filter((s) => !s.includes('\u0000')),
        fc.constantFrom(0xff, 0xc0, 0x80),
        fc.array(fc.nat(), { maxLength: 4 }),
        (before, after, bad, rawCuts) => {
          const head = new TextEncoder().encode(before);
          const bytes = Uint8Array.from([...head, bad, ...new TextEncoder().encode(after)]);
          let error: unknown;
          try {
            feed(
              bytes,
              rawCuts.map((c) => c % (bytes.length + 1)),
            );
          } catch (e) {
            error = e;
          }
          expect(error).toBeInstanceOf(DataError);
          const e = error as DataError;
          expect(e.code).toBe('BINARY_DATA');
          expect(e.line).toBe(before.split('\n').length);
          expect(e.message).toContain(`at byte ${head.length}`);
        },
      ),
    );
  });

  it('rejects a character cut off at the end of the file', () => {
    const euro = new TextEncoder().encode('a,€');
    expect(() => feed(euro.subarray(0, euro.length - 1), [])).toThrow(
      /ends in the middle of a UTF-8 character/,
    );
  });

  it('rejects overlong encodings and surrogates', () => {
    expect(() => feed(Uint8Array.from([0x61, 0xc0, 0xaf]), [])).toThrow(/at byte 1/);
    expect(() => feed(Uint8Array.from([0x61, 0x62, 0xed, 0xa0, 0x80]), [])).toThrow(/at byte 2/);
  });
});
