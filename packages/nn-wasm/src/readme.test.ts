import * as linalg from '@scratchnet/linalg';
import * as nn from '@scratchnet/nn';
import { describe, expect, it } from 'vitest';
import { runReadmeExample } from '../../../readme-example.ts';
import { twoLayerEngine } from './index.js';
import { kernelSupport } from './wasm.js';

describe.skipIf(!kernelSupport().simd)('README example', () => {
  it('prints what its comments say', () => {
    const { expected, printed } = runReadmeExample(new URL('../README.md', import.meta.url), {
      Matrix: linalg.Matrix,
      Rng: linalg.Rng,
      Network: nn.Network,
      fit: nn.fit,
      twoLayerEngine,
    });
    expect(expected.length).toBe(3);
    expect(printed).toEqual(expected);
  });
});
