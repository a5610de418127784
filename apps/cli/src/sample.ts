/**
 * The built-in sample, made rather than read (the real file cannot ship with the project), so a
 * page can use it as the command does.
 */
import type { ListenerTable } from '@scratchnet/preprocess';
import { generateListeners } from '@scratchnet/preprocess';
import type { DatasetInfo } from './results.js';

/**
 * The built-in sample: 5,000 listeners like the real file, from a fixed seed. One planted effect
 * (listening time by age band) and none for the other two questions, so a first run shows both
 * verdicts: a relation found where there is one, and "no evidence" where there is none.
 */
export const SAMPLE = {
  rows: 5000,
  seed: 2024,
  effects: { genre: 0, minutes: 0, time: 0.3 },
} as const;

/** The `--effect` names and the generator's names for them. */
export const EFFECT_KEYS = {
  genre: 'genreByCountry',
  minutes: 'minutesByPlatform',
  time: 'timeByAge',
} as const;

/** Generator effects from `--effect`-style strengths. */
export function generatorEffects(effects: Partial<Record<keyof typeof EFFECT_KEYS, number>>) {
  const out: { genreByCountry?: number; minutesByPlatform?: number; timeByAge?: number } = {};
  for (const [name, key] of Object.entries(EFFECT_KEYS) as [
    keyof typeof EFFECT_KEYS,
    (typeof EFFECT_KEYS)[keyof typeof EFFECT_KEYS],
  ][]) {
    const strength = effects[name];
    if (strength !== undefined && strength > 0) out[key] = strength;
  }
  return out;
}

/** The built-in sample's rows, and how the outputs describe them. */
export function sampleListeners(): { table: ListenerTable; dataset: DatasetInfo } {
  const table = generateListeners({
    rows: SAMPLE.rows,
    seed: SAMPLE.seed,
    effects: generatorEffects(SAMPLE.effects),
  });
  return {
    table,
    dataset: {
      source: 'sample',
      rows: table.rows,
      seed: SAMPLE.seed,
      effects: { ...SAMPLE.effects },
    },
  };
}
