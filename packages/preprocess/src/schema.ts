import { DataError } from './errors.js';

/** How a column's cells are read and kept. */
export type ColumnKind =
  /** A label from a small set (country, genre); kept as codes into a dictionary. */
  | 'category'
  /** A whole number within `[min, max]`; kept as float64. */
  | 'integer'
  /** A finite decimal number within `[min, max]`; kept as float64. */
  | 'number'
  /** A per-row identifier (User_ID); kept as strings, never encoded. */
  | 'id';

/** One column of the listener schema. */
export interface ColumnSpec {
  /** The normalised name code uses: `top_genre`. */
  readonly key: string;
  /** The header exactly as in the real file: `Top Genre`. */
  readonly header: string;
  /** How cells are read. */
  readonly kind: ColumnKind;
  /** Smallest accepted value (numeric kinds). */
  readonly min?: number;
  /** Largest accepted value (numeric kinds). */
  readonly max?: number;
  /**
   * The category values seen in the real file. Used by the synthetic generator and the docs; a
   * file may hold other values (a model is fitted on whatever categories its data has).
   */
  readonly values?: readonly string[];
  /** One line for people. */
  readonly description: string;
}

/**
 * The columns of `Global_Music_Streaming_Listener_Preferences.csv`, in the file's order, with the
 * ranges values are checked against when a file is read. Declared once: the reader, the writer,
 * the generator and the README table all come from this list.
 */
export const LISTENER_SCHEMA: readonly ColumnSpec[] = Object.freeze([
  {
    key: 'user_id',
    header: 'User_ID',
    kind: 'id',
    description: 'listener id, U1000 … U5999 in the real file',
  },
  { key: 'age', header: 'Age', kind: 'integer', min: 13, max: 60, description: 'age in years' },
  {
    key: 'country',
    header: 'Country',
    kind: 'category',
    values: [
      'Australia',
      'Brazil',
      'Canada',
      'France',
      'Germany',
      'India',
      'Japan',
      'South Korea',
      'UK',
      'USA',
    ],
    description: 'country of the listener',
  },
  {
    key: 'streaming_platform',
    header: 'Streaming Platform',
    kind: 'category',
    values: ['Amazon Music', 'Apple Music', 'Deezer', 'Spotify', 'Tidal', 'YouTube'],
    description: 'platform the listener streams on',
  },
  {
    key: 'top_genre',
    header: 'Top Genre',
    kind: 'category',
    values: [
      'Classical',
      'Country',
      'EDM',
      'Hip-Hop',
      'Jazz',
      'Metal',
      'Pop',
      'R&B',
      'Reggae',
      'Rock',
    ],
    description: 'most listened genre',
  },
  {
    key: 'minutes_streamed_per_day',
    header: 'Minutes Streamed Per Day',
    kind: 'integer',
    min: 10,
    max: 600,
    description: 'average minutes streamed per day',
  },
  {
    key: 'number_of_songs_liked',
    header: 'Number of Songs Liked',
    kind: 'integer',
    min: 1,
    max: 500,
    description: 'songs liked',
  },
  {
    key: 'most_played_artist',
    header: 'Most Played Artist',
    kind: 'category',
    values: [
      'Adele',
      'BTS',
      'Bad Bunny',
      'Billie Eilish',
      'Drake',
      'Dua Lipa',
      'Ed Sheeran',
      'Post Malone',
      'Taylor Swift',
      'The Weeknd',
    ],
    description: 'most played artist',
  },
  {
    key: 'subscription_type',
    header: 'Subscription Type',
    kind: 'category',
    values: ['Free', 'Premium'],
    description: 'subscription plan',
  },
  {
    key: 'listening_time',
    header: 'Listening Time (Morning/Afternoon/Night)',
    kind: 'category',
    values: ['Morning', 'Afternoon', 'Night'],
    description: 'time of day the listener streams most',
  },
  {
    key: 'discover_weekly_engagement',
    header: 'Discover Weekly Engagement (%)',
    kind: 'number',
    min: 0,
    max: 100,
    description: 'percentage of Discover Weekly listened to',
  },
  {
    key: 'repeat_song_rate',
    header: 'Repeat Song Rate (%)',
    kind: 'number',
    min: 0,
    max: 100,
    description: 'percentage of plays that are repeats',
  },
] satisfies ColumnSpec[]);

const byKey = new Map(LISTENER_SCHEMA.map((spec) => [spec.key, spec]));

/** Every column key of the schema, in file order. */
export const LISTENER_COLUMN_KEYS: readonly string[] = Object.freeze(
  LISTENER_SCHEMA.map((spec) => spec.key),
);

/**
 * The key a header is matched by, as the original notebooks normalised it: a trailing
 * parenthesised note is dropped, letters are lower-cased, and every run of other characters
 * becomes one `_`. `'Top Genre'` → `'top_genre'`,
 * `'Listening Time (Morning/Afternoon/Night)'` → `'listening_time'`,
 * `'Repeat Song Rate (%)'` → `'repeat_song_rate'`, `'top_genre'` → `'top_genre'`.
 */
export function normalizeHeader(header: string): string {
  return header
    .replace(/^\uFEFF/, '')
    .trim()
    .replace(/\s*\([^()]*\)\s*$/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** The schema entry for a key (or a header, normalised first), or `undefined`. */
export function findColumnSpec(keyOrHeader: string): ColumnSpec | undefined {
  return byKey.get(keyOrHeader) ?? byKey.get(normalizeHeader(keyOrHeader));
}

/**
 * The schema entry for a key (or header); throws a `DataError` (`UNKNOWN_COLUMN`) listing the
 * valid keys when there is none.
 */
export function getColumnSpec(keyOrHeader: string): ColumnSpec {
  const spec = findColumnSpec(keyOrHeader);
  if (spec === undefined) {
    throw new DataError('UNKNOWN_COLUMN', `unknown column ${JSON.stringify(keyOrHeader)}`, {
      expected: `one of ${LISTENER_COLUMN_KEYS.join(', ')}`,
    });
  }
  return spec;
}

/** The accepted range of a numeric column, as error messages print it: `an integer from 13 to 60`. */
export function describeExpected(spec: ColumnSpec): string {
  switch (spec.kind) {
    case 'integer':
      return `an integer from ${spec.min ?? '-∞'} to ${spec.max ?? '∞'}`;
    case 'number':
      return `a number from ${spec.min ?? '-∞'} to ${spec.max ?? '∞'}`;
    case 'category':
      return spec.values === undefined
        ? 'a non-empty category'
        : `a non-empty category such as ${spec.values.slice(0, 3).join(', ')}`;
    case 'id':
      return 'a non-empty id';
  }
}
