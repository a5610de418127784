import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Tests resolve our workspace packages to their sources, so a test never runs against a stale
 * build of a dependency.
 */
export default defineConfig({
  resolve: {
    alias: {
      '@scratchnet/linalg': here('./packages/linalg/src/index.ts'),
      '@scratchnet/preprocess': here('./packages/preprocess/src/index.ts'),
      '@scratchnet/nn': here('./packages/nn/src/index.ts'),
      '@scratchnet/nn-wasm': here('./packages/nn-wasm/src/index.ts'),
      '@scratchnet/metrics': here('./packages/metrics/src/index.ts'),
    },
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
