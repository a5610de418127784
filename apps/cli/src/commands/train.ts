import type { Context } from '../context.js';

/** `scratchnet train`. */
export async function trainCommand(_context: Context, _flags: object): Promise<void> {
  throw new Error('not implemented yet');
}
