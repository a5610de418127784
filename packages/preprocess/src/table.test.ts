import { describe, expect, it } from 'vitest';
import { DataError } from './errors.js';
import { ListenerTable } from './table.js';

describe('ListenerTable', () => {
  const table = ListenerTable.fromRecords([
    { user_id: 'U1', Country: 'UK', age: 20 },
    { user_id: 'U2', Country: 'Japan', age: '31' },
    { user_id: 'U3', Country: 'UK', age: 45 },
  ]);

  it('keeps categories as codes into a dictionary and numbers as float64', () => {
    expect(table.rows).toBe(3);
    expect(table.keys).toEqual(['user_id', 'age', 'country']);
    expect(table.codes('country')).toEqual({
      codes: Int32Array.of(0, 1, 0),
      dictionary: ['UK', 'Japan'],
    });
    expect(table.numbers('age')).toEqual(Float64Array.of(20, 31, 45));
    expect(table.categories('country')).toEqual(['UK', 'Japan', 'UK']);
    expect(table.column('user_id')).toEqual(['U1', 'U2', 'U3']);
    expect(table.record(1)).toEqual({ user_id: 'U2', age: 31, country: 'Japan' });
  });

  it('selects rows in any order', () => {
    const picked = table.select([2, 0, 2]);
    expect(picked.categories('user_id')).toEqual(['U3', 'U1', 'U3']);
    expect(Array.from(picked.numbers('age'))).toEqual([45, 20, 45]);
    expect(() => table.select([3])).toThrow(RangeError);
  });

  it('checks values like a file reader does', () => {
    expect(() => ListenerTable.fromColumns({ age: [20, 70] })).toThrow(
      '<columns>:2: "70" in column Age is out of range, expected an integer from 13 to 60',
    );
    expect(() => ListenerTable.fromColumns({ country: ['UK', ''] })).toThrow(
      expect.objectContaining({ code: 'EMPTY_CATEGORY' }),
    );
    expect(() => ListenerTable.fromColumns({ age: [20], country: [] })).toThrow(
      /column country has 0 values/,
    );
    expect(() => ListenerTable.fromRecords([])).toThrow(
      expect.objectContaining({ code: 'NO_ROWS' }),
    );
  });

  it('names a column it does not hold, and the wrong kind of access', () => {
    expect(table.has('top_genre')).toBe(false);
    expect(table.has('nonsense')).toBe(false);
    expect(() => table.numbers('top_genre')).toThrow(DataError);
    expect(() => table.numbers('top_genre')).toThrow(
      'the table from <records> has no column top_genre (Top Genre), expected one of the columns it holds: user_id, age, country',
    );
    expect(() => table.numbers('country')).toThrow(TypeError);
    expect(() => table.categories('age')).toThrow(TypeError);
  });
});
