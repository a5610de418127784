import * as linalg from '@scratchnet/linalg';
import { describe, expect, it } from 'vitest';
import { runReadmeExample } from '../../../readme-example.ts';
import * as nn from './index.js';

describe('README example', () => {
  it('prints what its comments say', () => {
    const { expected, printed } = runReadmeExample(new URL('../README.md', import.meta.url), {
      Matrix: linalg.Matrix,
      Network: nn.Network,
      fit: nn.fit,
      gradientCheck: nn.gradientCheck,
      loadModel: nn.loadModel,
      saveModel: nn.saveModel,
    });
    expect(expected.length).toBe(6);
    expect(printed).toEqual(expected);
  });
});
