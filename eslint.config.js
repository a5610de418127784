// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Packages below `apps/` compose; packages never reach back into apps, and linalg stands alone. */
const ourPackages = [
  '@scratchnet/linalg',
  '@scratchnet/preprocess',
  '@scratchnet/nn',
  '@scratchnet/nn-wasm',
  '@scratchnet/metrics',
];

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '**/.turbo/**', '**/coverage/**', '**/build/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['packages/*/src/**/*.ts'],
    ignores: ['packages/*/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/apps/**', '@scratchnet/cli', '@scratchnet/bench'],
              message: 'Packages never import apps.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/nn/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@scratchnet/nn-wasm',
                '**/nn-wasm/**',
                '**/apps/**',
                '@scratchnet/cli',
                '@scratchnet/bench',
              ],
              message:
                'nn is the book: it never imports the engines (they plug in through TrainingEngine).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['packages/linalg/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: [...ourPackages, '**/apps/**'], message: 'linalg imports nothing of ours.' },
          ],
        },
      ],
    },
  },
);
