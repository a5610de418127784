import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderTable } from './table.js';

describe('renderTable', () => {
  it('aligns text left and numbers right under a rule', () => {
    const text = renderTable(
      [{ header: 'country' }, { header: 'users', align: 'right' }],
      [
        ['Japan', '12'],
        ['South Korea', '1,234'],
      ],
    );
    expect(text).toBe(
      ['country      users', '-----------  -----', 'Japan           12', 'South Korea  1,234'].join(
        '\n',
      ),
    );
  });

  it('rejects a row with the wrong number of cells', () => {
    expect(() => renderTable([{ header: 'a' }], [['1', '2']])).toThrow(/2 cells for 1 columns/);
  });

  it('gives every line the same column starts, whatever the cells', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ unit: 'grapheme-ascii', maxLength: 12 }), fc.nat(1e6)), {
          maxLength: 8,
        }),
        (rows) => {
          const cells = rows.map(([name, n]) => [name.replace(/\s/g, '_'), String(n)]);
          const lines = renderTable(
            [{ header: 'name' }, { header: 'n', align: 'right' }],
            cells,
          ).split('\n');
          // The right-aligned last column ends at the same place on every line.
          const ends = new Set(lines.map((line) => line.length));
          expect(ends.size).toBe(1);
          expect(lines).toHaveLength(rows.length + 2);
        },
      ),
    );
  });
});
