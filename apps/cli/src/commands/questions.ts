import type { Context } from '../context.js';

/** `scratchnet questions`. */
export async function questionsCommand(_context: Context, _flags: object): Promise<void> {
  throw new Error('not implemented yet');
}
