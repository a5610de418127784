import { defineConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

/** `pnpm --filter @scratchnet/web speed`: the page's training speed against Node's, printed. */
export default defineConfig({
  ...shared,
  test: { ...shared.test, include: ['src/speed.measure.ts'] },
});
