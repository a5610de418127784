import type { Context } from '../context.js';

/** `scratchnet evaluate`. */
export async function evaluateCommand(_context: Context, _flags: object): Promise<void> {
  throw new Error('not implemented yet');
}
