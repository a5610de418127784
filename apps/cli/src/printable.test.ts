import { describe, expect, it } from 'vitest';
import { printable } from './printable.js';
import { styles } from './terminal.js';

describe('printable', () => {
  it('shows every control character as its \\u escape and keeps line breaks', () => {
    expect(printable('Ja\u001b]0;pwned\u0007\u001b[2Jpan')).toBe(
      'Ja\\u001b]0;pwned\\u0007\\u001b[2Jpan',
    );
    expect(printable('a\tb\rc\u007fd\u009b2Je\u202ef\u2066g\nh')).toBe(
      'a\\u0009b\\u000dc\\u007fd\\u009b2Je\\u202ef\\u2066g\nh',
    );
    expect(printable('Zürich, 東京, Ñandú')).toBe('Zürich, 東京, Ñandú');
  });

  it("keeps the CLI's own colours when asked, and escapes every other sequence", () => {
    const style = styles(true);
    const own = `${style.bold('1. Genre')} ${style.green('evidence')} ${style.dim('note')}`;
    expect(printable(own, { styles: true })).toBe(own);
    expect(printable(own)).not.toContain('\u001b');
    expect(printable(`${style.red('x')}\u001b]0;title\u0007\u001b[2J`, { styles: true })).toBe(
      `${style.red('x')}\\u001b]0;title\\u0007\\u001b[2J`,
    );
  });

  it('leaves a JSON document valid and equal to what it was', () => {
    const value = { country: 'Ja\u001b]0;x\u0007pan', genre: 'Pop\u009b2J', rtl: 'a\u202eb' };
    const shown = printable(JSON.stringify(value, null, 2));
    expect(shown).not.toMatch(/[\u0080-\u009f\u202e]/);
    expect(JSON.parse(shown)).toEqual(value);
  });
});
