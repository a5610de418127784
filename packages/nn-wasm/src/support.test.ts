import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

describe('the generated files', () => {
  it('were built from the current asm/*.ts (run `pnpm build` after editing them)', () => {
    const asm = new URL('../asm/', import.meta.url);
    const sha = readdirSync(asm)
      .filter((f) => f.endsWith('.ts'))
      .sort()
      .reduce((hash, f) => hash.update(readFileSync(new URL(f, asm))), createHash('sha256'))
      .digest('hex');
    expect(read('./kernels.generated.ts')).toContain(`// Source sha256: ${sha}`);
    expect(read('./abi.generated.ts')).toContain(read('../asm/abi.ts'));
  });
});
