/**
 * Vitest global setup: picks the one seed every fast-check property of this run starts from and
 * prints it, so a failure seen once (in CI or on a laptop) can be replayed exactly. `FC_SEED`
 * fixes the seed; `FC_PATH` (from fast-check's failure message) replays one counterexample.
 */
import { randomInt } from 'node:crypto';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    fastCheck: { seed: number; path?: string };
  }
}

function seedFromEnv(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const seed = Number(value);
  if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be an integer, got ${value}`);
  return seed;
}

export default function setup(project: TestProject): void {
  const given = seedFromEnv(process.env.FC_SEED);
  // Random unless given: properties keep drawing new inputs run after run.
  const seed = given ?? randomInt(2 ** 31);
  const path = process.env.FC_PATH === '' ? undefined : process.env.FC_PATH;
  project.provide('fastCheck', { seed, ...(path === undefined ? {} : { path }) });
  console.log(
    `fast-check seed ${seed}${given === undefined ? '' : ' (from FC_SEED)'}` +
      `${path === undefined ? '' : `, path ${path} (from FC_PATH)`}; replay with FC_SEED=${seed}`,
  );
}
