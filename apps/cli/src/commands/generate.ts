import type { Context } from '../context.js';

/** `scratchnet generate`. */
export async function generateCommand(_context: Context, _flags: object): Promise<void> {
  throw new Error('not implemented yet');
}
