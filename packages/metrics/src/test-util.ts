import { MetricsError } from './errors.js';

/** The `code` of the MetricsError `f` throws, or undefined when it returns normally. */
export function errorCode(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof MetricsError) return e.code;
    throw e;
  }
  return undefined;
}
