import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { requireVariant, wasmModule, WasmUnavailableError, wasmSupport } from './support.js';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

describe('the embedded kernels', () => {
  it('were generated from the current asm/*.ts (run `pnpm build` after editing them)', () => {
    const asm = new URL('../../asm/', import.meta.url);
    const sha = readdirSync(asm)
      .filter((f) => f.endsWith('.ts'))
      .sort()
      .reduce((hash, f) => hash.update(readFileSync(new URL(f, asm))), createHash('sha256'))
      .digest('hex');
    expect(read('./kernels.generated.ts')).toContain(`// Source sha256: ${sha}`);
  });

  it('compile synchronously and are cached', () => {
    expect(wasmModule('simd', false)).toBe(wasmModule('simd', false));
    expect(wasmModule('simd', true)).not.toBe(wasmModule('simd', false));
  });
});

describe('requireVariant', () => {
  it('names the missing feature in a typed error', () => {
    const s = wasmSupport();
    if (s.relaxedSimd) {
      expect(() => requireVariant('relaxed-simd', s.sharedMemory)).not.toThrow();
    } else {
      const error = (() => {
        try {
          requireVariant('relaxed-simd', false);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(WasmUnavailableError);
      expect((error as WasmUnavailableError).code).toBe('NO_RELAXED_SIMD');
    }
  });
});
