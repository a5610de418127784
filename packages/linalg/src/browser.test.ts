import { describe, expect, it } from 'vitest';
import { nodeImportsOnBrowserPath } from '../../../browser-bundle.ts';

describe('in a browser', () => {
  it('bundles from its index with nothing Node-only', async () => {
    expect(await nodeImportsOnBrowserPath(new URL('./index.ts', import.meta.url))).toEqual([]);
  });
});
