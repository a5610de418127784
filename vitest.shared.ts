import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Tests that take many seconds even alone (a million-row file, …). They run in their own turbo
 * task, `test:slow`, after every other test has finished and one file at a time, so their time
 * does not depend on what else the machine is running at that moment.
 */
const SLOW_TESTS = ['src/**/*.slow.test.ts', 'test/**/*.slow.test.ts'];

/**
 * Limits sized for a busy 2-core machine: turbo runs every package's tests at once, each with its
 * own workers, so a test that takes 2 s alone can take ten times that. A limit is there to catch
 * a hang, never to fail a slow but correct run.
 */
const TEST_TIMEOUT = 120_000;

function config(kind: 'fast' | 'slow') {
  return defineConfig({
    // Tests resolve our workspace packages to their sources, so a test never runs against a
    // stale build of a dependency.
    resolve: {
      alias: {
        '@scratchnet/linalg': here('./packages/linalg/src/index.ts'),
        // The Node entry, as Node resolves it (the `node` condition): tests run in Node.
        '@scratchnet/preprocess': here('./packages/preprocess/src/node.ts'),
        '@scratchnet/nn': here('./packages/nn/src/index.ts'),
        '@scratchnet/nn-wasm': here('./packages/nn-wasm/src/index.ts'),
        '@scratchnet/metrics': here('./packages/metrics/src/index.ts'),
      },
    },
    test: {
      include: kind === 'slow' ? SLOW_TESTS : ['src/**/*.test.ts', 'test/**/*.test.ts'],
      exclude:
        kind === 'slow' ? configDefaults.exclude : [...configDefaults.exclude, ...SLOW_TESTS],
      // One fast-check seed per run, printed, and replayable with FC_SEED (see the README).
      globalSetup: [here('./vitest.fast-check-seed.ts')],
      setupFiles: [here('./vitest.fast-check-setup.ts')],
      testTimeout: kind === 'slow' ? 5 * TEST_TIMEOUT : TEST_TIMEOUT,
      hookTimeout: TEST_TIMEOUT,
      fileParallelism: kind !== 'slow',
    },
  });
}

/** Every package's `test` task. */
export default config('fast');

/** The `test:slow` task of a package that has `*.slow.test.ts` files. */
export const slow = config('slow');
