import type { Context } from '../context.js';

/** `scratchnet predict`. */
export async function predictCommand(_context: Context, _flags: object): Promise<void> {
  throw new Error('not implemented yet');
}
