/**
 * `scratchnet generate`: writes synthetic listeners with the real file's schema, streamed row by
 * row (a million rows never sit in memory), optionally with planted effects.
 */
import { writeGeneratedListenersCsv } from '@scratchnet/preprocess';
import type { CommonFlags, Context } from '../context.js';
import { note, say } from '../context.js';
import { generatorEffects } from '../sample.js';
import type { EffectName } from '../flags.js';
import { EFFECT_NAMES } from '../flags.js';
import { grouped } from '../format.js';
import { writeOutputs } from '../output.js';

/** Flags of `scratchnet generate`. */
export interface GenerateFlags extends CommonFlags {
  out: string;
  rows?: number;
  seed?: number;
  effect?: Partial<Record<EffectName, number>>;
}

/** Rows written when `--rows` is not given: as many as the real file. */
export const DEFAULT_ROWS = 5000;
/** Seed used when `--seed` is not given. */
export const DEFAULT_GENERATOR_SEED = 42;

/** Runs `scratchnet generate`. */
export async function generateCommand(context: Context, flags: GenerateFlags): Promise<void> {
  const rows = flags.rows ?? DEFAULT_ROWS;
  const seed = flags.seed ?? DEFAULT_GENERATOR_SEED;
  const effects = Object.fromEntries(EFFECT_NAMES.map((name) => [name, flags.effect?.[name] ?? 0]));
  await writeOutputs(
    [
      {
        path: flags.out,
        flag: '--out',
        content: (temporary) =>
          writeGeneratedListenersCsv(
            temporary,
            { rows, seed, effects: generatorEffects(effects) },
            { atomic: false },
          ),
      },
    ],
    { force: flags.force === true },
  );
  if (flags.json === true) {
    say(context, JSON.stringify({ out: flags.out, rows, seed, effects }, null, 2));
    return;
  }
  const planted = EFFECT_NAMES.filter((name) => (effects[name] ?? 0) > 0);
  note(
    context,
    flags,
    `Wrote ${grouped(rows)} synthetic listeners to ${flags.out} (seed ${seed}; ` +
      `${planted.length === 0 ? 'no planted effects' : `planted effects ${planted.map((name) => `${name}=${effects[name]}`).join(', ')}`}).`,
  );
}
