import { describe, expect, it } from 'vitest';
import { DataError } from './errors.js';
import {
  LISTENER_COLUMN_KEYS,
  LISTENER_SCHEMA,
  describeExpected,
  findColumnSpec,
  getColumnSpec,
  normalizeHeader,
} from './schema.js';

describe('normalizeHeader', () => {
  it.each([
    ['Top Genre', 'top_genre'],
    ['top_genre', 'top_genre'],
    ['Listening Time (Morning/Afternoon/Night)', 'listening_time'],
    ['Repeat Song Rate (%)', 'repeat_song_rate'],
    ['Discover Weekly Engagement (%)', 'discover_weekly_engagement'],
    ['User_ID', 'user_id'],
    ['\uFEFFUser_ID', 'user_id'],
    ['  Minutes Streamed Per Day  ', 'minutes_streamed_per_day'],
    ['Number of Songs Liked', 'number_of_songs_liked'],
    ['TOP-GENRE', 'top_genre'],
  ])('%j → %j', (header, key) => {
    expect(normalizeHeader(header)).toBe(key);
  });

  it('maps every real header to its key', () => {
    for (const spec of LISTENER_SCHEMA) expect(normalizeHeader(spec.header)).toBe(spec.key);
  });
});

describe('LISTENER_SCHEMA', () => {
  it('declares the twelve columns of the real file, in its order', () => {
    expect(LISTENER_SCHEMA.map((s) => s.header)).toEqual([
      'User_ID',
      'Age',
      'Country',
      'Streaming Platform',
      'Top Genre',
      'Minutes Streamed Per Day',
      'Number of Songs Liked',
      'Most Played Artist',
      'Subscription Type',
      'Listening Time (Morning/Afternoon/Night)',
      'Discover Weekly Engagement (%)',
      'Repeat Song Rate (%)',
    ]);
    expect(LISTENER_COLUMN_KEYS).toHaveLength(12);
  });

  it('gives numeric columns a range and categories their real values', () => {
    for (const spec of LISTENER_SCHEMA) {
      if (spec.kind === 'integer' || spec.kind === 'number') {
        expect(spec.min).toBeLessThan(spec.max!);
      }
      if (spec.kind === 'category') expect(new Set(spec.values).size).toBe(spec.values!.length);
    }
    expect(getColumnSpec('country').values).toHaveLength(10);
    expect(getColumnSpec('streaming_platform').values).toHaveLength(6);
    expect(getColumnSpec('age')).toMatchObject({ kind: 'integer', min: 13, max: 60 });
  });

  it('finds columns by key or header, and names the valid keys for an unknown one', () => {
    expect(findColumnSpec('Top Genre')?.key).toBe('top_genre');
    expect(findColumnSpec('nope')).toBeUndefined();
    expect(() => getColumnSpec('favourite_colour')).toThrow(DataError);
    expect(() => getColumnSpec('favourite_colour')).toThrow(
      /unknown column "favourite_colour", expected one of user_id, age/,
    );
  });

  it('describes what a column accepts', () => {
    expect(describeExpected(getColumnSpec('age'))).toBe('an integer from 13 to 60');
    expect(describeExpected(getColumnSpec('repeat_song_rate'))).toBe('a number from 0 to 100');
  });
});

describe('DataError', () => {
  it('formats file:line:column: problem, expected … on one line', () => {
    const e = new DataError('NOT_A_NUMBER', '"x\ny" in column Age is not a number', {
      file: 'a.csv',
      line: 3,
      column: 2,
      expected: 'an integer from 13 to 60',
    });
    expect(e.message).toBe(
      'a.csv:3:2: "x y" in column Age is not a number, expected an integer from 13 to 60',
    );
    expect(e).toMatchObject({
      code: 'NOT_A_NUMBER',
      file: 'a.csv',
      line: 3,
      column: 2,
      name: 'DataError',
    });
    expect(new DataError('EMPTY_FILE', 'the file is empty', { file: 'b.csv' }).message).toBe(
      'b.csv: the file is empty',
    );
  });
});
