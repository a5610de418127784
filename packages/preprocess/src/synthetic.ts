import { Rng } from '@scratchnet/linalg';
import type { ColumnSpec } from './schema.js';
import { getColumnSpec, LISTENER_SCHEMA } from './schema.js';
import type { ListenerTable } from './table.js';
import { TableBuilder } from './table.js';

/**
 * Strength of each planted effect, from 0 (the columns are independent, like the real file's
 * appear to be) to 1 (the input decides the answer).
 */
export interface PlantedEffects {
  /** Share of listeners whose top genre is their country's favourite instead of a random one. */
  readonly genreByCountry?: number;
  /**
   * How far minutes per day are pulled from uniform towards a level set by platform (strongly)
   * and country (weakly): at 1 they are fixed by (country, platform).
   */
  readonly minutesByPlatform?: number;
  /** Share of listeners whose listening time is their age band's favourite instead of a random one. */
  readonly timeByAge?: number;
}

/** Options of `generateListeners`. */
export interface GenerateListenersOptions {
  /** Number of listeners. */
  readonly rows: number;
  /** Seed: the same seed and options give the same listeners, bit for bit. */
  readonly seed: number;
  /** Planted effects; default none (every column independent). */
  readonly effects?: PlantedEffects;
  /** Columns to keep (keys or headers); default all twelve. */
  readonly columns?: readonly string[];
}

/** An age band and the time of day it favours when `timeByAge` is planted. */
export interface AgeBand {
  readonly from: number;
  readonly to: number;
  readonly favouriteTime: string;
}

/** What a seed plants, so a test or a report can say what a model should find. */
export interface EffectsPlan {
  /** Country → the genre it favours under `genreByCountry`. */
  readonly favouriteGenre: Readonly<Record<string, string>>;
  /** Platform → its pull on minutes, from −1 (fewest) to 1 (most). */
  readonly platformLevel: Readonly<Record<string, number>>;
  /** Country → its (weaker) pull on minutes, from −1 to 1. */
  readonly countryLevel: Readonly<Record<string, number>>;
  /** Age bands and their favourite listening times under `timeByAge`. */
  readonly ageBands: readonly AgeBand[];
  /** Minutes per day that (country, platform) is pulled towards under `minutesByPlatform`. */
  expectedMinutes(country: string, platform: string): number;
}

const spec = (key: string): ColumnSpec => getColumnSpec(key);
const COUNTRIES = spec('country').values!;
const PLATFORMS = spec('streaming_platform').values!;
const GENRES = spec('top_genre').values!;
const ARTISTS = spec('most_played_artist').values!;
const SUBSCRIPTIONS = spec('subscription_type').values!;
const TIMES = spec('listening_time').values!;
const AGE = spec('age');
const MINUTES = spec('minutes_streamed_per_day');
const SONGS = spec('number_of_songs_liked');
/** Age bands of `timeByAge`: teens and young adults, adults, older listeners. */
const BANDS: readonly [number, number][] = [
  [13, 24],
  [25, 39],
  [40, 60],
];

/** One generated listener, as codes into the schema's value lists. @internal */
export interface ListenerRow {
  index: number;
  age: number;
  country: number;
  platform: number;
  genre: number;
  minutes: number;
  songs: number;
  artist: number;
  subscription: number;
  time: number;
  discover: number;
  repeat: number;
}

/** Evenly spaced levels −1 … 1, shuffled. */
function levels(n: number, rng: Rng): Float64Array {
  const out = Float64Array.from({ length: n }, (_, i) => (n === 1 ? 0 : -1 + (2 * i) / (n - 1)));
  rng.shuffle(out);
  return out;
}

/**
 * The seeded generator behind `generateListeners` and `writeGeneratedListenersCsv`: a plan drawn
 * from the seed, then one listener per `next()`. Every row draws the same random numbers whatever
 * the effect strengths, so strength 0 gives exactly the listeners of no effects. @internal
 */
export class ListenerGenerator {
  readonly #rng: Rng;
  readonly #s: { genre: number; minutes: number; time: number };
  readonly #favouriteGenre: Int32Array;
  readonly #center: Float64Array;
  readonly #favouriteTime: Int32Array;
  readonly #band: Int32Array;
  #index = 0;

  constructor(seed: number, effects: PlantedEffects = {}) {
    const strength = (name: keyof PlantedEffects): number => {
      const s = effects[name] ?? 0;
      if (!(s >= 0 && s <= 1))
        throw new RangeError(`generateListeners: effects.${name} must be in [0, 1], got ${s}`);
      return s;
    };
    this.#s = {
      genre: strength('genreByCountry'),
      minutes: strength('minutesByPlatform'),
      time: strength('timeByAge'),
    };
    const rng = new Rng(seed);
    // The plan: one favourite genre per country (a permutation, so genres stay equally common),
    // platform and country levels, one favourite time per age band.
    this.#favouriteGenre = rng.permutation(GENRES.length);
    const platformLevel = levels(PLATFORMS.length, rng);
    const countryLevel = levels(COUNTRIES.length, rng);
    this.#favouriteTime = rng.permutation(TIMES.length);
    this.#center = new Float64Array(COUNTRIES.length * PLATFORMS.length);
    for (let c = 0; c < COUNTRIES.length; c++) {
      for (let p = 0; p < PLATFORMS.length; p++) {
        this.#center[c * PLATFORMS.length + p] =
          0.5 + 0.3 * platformLevel[p]! + 0.1 * countryLevel[c]!;
      }
    }
    this.#band = new Int32Array(AGE.max! + 1);
    BANDS.forEach(([from, to], b) => this.#band.fill(b, from, to + 1));
    this.#rng = rng;
    this.plan = {
      favouriteGenre: Object.fromEntries(
        COUNTRIES.map((c, i) => [c, GENRES[this.#favouriteGenre[i]!]!]),
      ),
      platformLevel: Object.fromEntries(PLATFORMS.map((p, i) => [p, platformLevel[i]!])),
      countryLevel: Object.fromEntries(COUNTRIES.map((c, i) => [c, countryLevel[i]!])),
      ageBands: BANDS.map(([from, to], b) => ({
        from,
        to,
        favouriteTime: TIMES[this.#favouriteTime[b]!]!,
      })),
      expectedMinutes: (country: string, platform: string): number => {
        const c = COUNTRIES.indexOf(country);
        const p = PLATFORMS.indexOf(platform);
        if (c < 0 || p < 0)
          throw new RangeError(`expectedMinutes: unknown ${c < 0 ? country : platform}`);
        return minutesOf(this.#center[c * PLATFORMS.length + p]!);
      },
    };
  }

  /** What this seed plants. */
  readonly plan: EffectsPlan;

  /** Fills `row` with the next listener. */
  next(row: ListenerRow): void {
    const rng = this.#rng;
    const s = this.#s;
    row.index = this.#index++;
    row.age = AGE.min! + rng.int(AGE.max! - AGE.min! + 1);
    row.country = rng.int(COUNTRIES.length);
    row.platform = rng.int(PLATFORMS.length);
    const genre = rng.int(GENRES.length);
    row.genre = rng.uniform() < s.genre ? this.#favouriteGenre[row.country]! : genre;
    const u = rng.uniform();
    const center = this.#center[row.country * PLATFORMS.length + row.platform]!;
    row.minutes = minutesOf((1 - s.minutes) * u + s.minutes * center);
    row.songs = SONGS.min! + rng.int(SONGS.max! - SONGS.min! + 1);
    row.artist = rng.int(ARTISTS.length);
    row.subscription = rng.int(SUBSCRIPTIONS.length);
    const time = rng.int(TIMES.length);
    row.time = rng.uniform() < s.time ? this.#favouriteTime[this.#band[row.age]!]! : time;
    // Two-decimal percentages spread like the real file's: 10.00–89.99 and 5.00–79.99.
    row.discover = (1000 + rng.int(8000)) / 100;
    row.repeat = (500 + rng.int(7500)) / 100;
  }
}

/** A uniform share u ∈ [0, 1] of the minutes range, as whole minutes (10 … 600). */
function minutesOf(u: number): number {
  const span = MINUTES.max! - MINUTES.min! + 1;
  return MINUTES.min! + Math.min(span - 1, Math.floor(u * span));
}

/**
 * A generated row as one CSV line in the real file's column order. None of the schema's values
 * needs quoting, so this skips the per-field checks of the general writer. @internal
 */
export function formatGeneratedRow(row: ListenerRow): string {
  return `U${1000 + row.index},${row.age},${COUNTRIES[row.country]},${PLATFORMS[row.platform]},${GENRES[row.genre]},${row.minutes},${row.songs},${ARTISTS[row.artist]},${SUBSCRIPTIONS[row.subscription]},${TIMES[row.time]},${row.discover},${row.repeat}\n`;
}

/** An empty row to fill. @internal */
export function emptyRow(): ListenerRow {
  return {
    index: 0,
    age: 0,
    country: 0,
    platform: 0,
    genre: 0,
    minutes: 0,
    songs: 0,
    artist: 0,
    subscription: 0,
    time: 0,
    discover: 0,
    repeat: 0,
  };
}

/** Cell `key` of a generated row, as the table and the CSV hold it. @internal */
export function rowValue(row: ListenerRow, key: string): string | number {
  switch (key) {
    case 'user_id':
      return `U${1000 + row.index}`;
    case 'age':
      return row.age;
    case 'country':
      return COUNTRIES[row.country]!;
    case 'streaming_platform':
      return PLATFORMS[row.platform]!;
    case 'top_genre':
      return GENRES[row.genre]!;
    case 'minutes_streamed_per_day':
      return row.minutes;
    case 'number_of_songs_liked':
      return row.songs;
    case 'most_played_artist':
      return ARTISTS[row.artist]!;
    case 'subscription_type':
      return SUBSCRIPTIONS[row.subscription]!;
    case 'listening_time':
      return TIMES[row.time]!;
    case 'discover_weekly_engagement':
      return row.discover;
    case 'repeat_song_rate':
      return row.repeat;
    default:
      throw new RangeError(`unknown column ${key}`);
  }
}

/**
 * Seeded synthetic listeners with exactly the real file's schema and value ranges (User_ID
 * U1000…, ages 13–60, the real countries, platforms, genres, artists, minutes 10–600, …), spread
 * uniformly like the real file's, with optional planted effects. The project's built-in sample,
 * and the data tests use to show that a model finds a signal that is there and none that is not.
 *
 * ```ts
 * const table = generateListeners({ rows: 5000, seed: 1, effects: { genreByCountry: 0.5 } });
 * table.rows;                 // 5000
 * table.value('user_id', 0);  // 'U1000'
 * ```
 */
export function generateListeners(options: GenerateListenersOptions): ListenerTable {
  const { rows, seed } = options;
  if (!Number.isInteger(rows) || rows < 0) {
    throw new RangeError(`generateListeners: rows must be a non-negative integer, got ${rows}`);
  }
  const specs = (options.columns ?? LISTENER_SCHEMA.map((s) => s.key)).map((k) => getColumnSpec(k));
  const generator = new ListenerGenerator(seed, options.effects);
  const builder = new TableBuilder(specs);
  const row = emptyRow();
  for (let i = 0; i < rows; i++) {
    generator.next(row);
    for (let c = 0; c < specs.length; c++) {
      const value = rowValue(row, specs[c]!.key);
      if (typeof value === 'number') builder.appendNumber(c, value);
      else builder.appendLabel(c, value);
    }
    builder.endRow();
  }
  return builder.finish(describeGenerated(options));
}

/** What a seed plants (favourite genres, platform levels, age bands), whatever the strengths. */
export function plantedEffects(seed: number): EffectsPlan {
  return new ListenerGenerator(seed).plan;
}

/** The `source` label of generated tables: `generated(rows=5000, seed=1, genreByCountry=0.5)`. */
export function describeGenerated(options: GenerateListenersOptions): string {
  const effects = Object.entries(options.effects ?? {})
    .filter(([, s]) => s !== undefined && s !== 0)
    .map(([name, s]) => `, ${name}=${s}`)
    .join('');
  return `generated(rows=${options.rows}, seed=${options.seed}${effects})`;
}
