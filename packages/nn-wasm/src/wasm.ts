import { WasmUnavailableError } from '@scratchnet/linalg';
import type { SimdVariant } from '@scratchnet/linalg';
import { relaxed, simd } from './kernels.generated.js';

// The slice of the WebAssembly JavaScript API this package uses, typed here because the
// TypeScript libraries we compile against (ES2023 + Node) do not declare the `WebAssembly`
// global; taking it from `globalThis` keeps those types out of the published declarations.

/** A compiled module (opaque). */
interface Module {
  readonly __wasmModule?: never;
}

/** A linear memory. */
export interface Memory {
  readonly buffer: ArrayBuffer;
}

interface Api {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => Module;
  Instance: new (
    module: Module,
    imports: Record<string, Record<string, unknown>>,
  ) => { readonly exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum: number }) => Memory;
}

const api = (globalThis as { WebAssembly?: Api }).WebAssembly;

/** Bytes in one WebAssembly memory page. */
export const PAGE_BYTES = 65536;

/** The functions asm/index.ts exports (addresses are byte offsets into the memory). */
export interface KernelExports {
  /** Runs the float64 pass described by the call record at `call` (see asm/abi.ts). */
  twoLayer64(call: number): void;
  /** Runs the float32 pass; writes its loss and correct rows into the record. */
  twoLayer32(call: number): void;
  twoLayerWorkBytes(d: number, h: number, o: number): number;
  twoLayerWorkBytes32(d: number, h: number, o: number): number;
  exp64(src: number, dst: number, len: number): void;
  exp32(src: number, dst: number, len: number): void;
  log32(src: number, dst: number, len: number): void;
  staticDataEnd(): number;
}

const base64: Record<SimdVariant, string> = { simd, 'relaxed-simd': relaxed };

function decode(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

let support: Record<SimdVariant, boolean> | undefined;

/**
 * Which builds of the kernels this JavaScript engine runs, found once by validating their exact
 * bytes: `'simd'` needs WebAssembly SIMD; `'relaxed-simd'` also relaxed SIMD (on by default from
 * Node 22; Node 20 needs `--experimental-wasm-relaxed-simd`).
 */
export function kernelSupport(): Readonly<Record<SimdVariant, boolean>> {
  support ??= {
    simd: api?.validate(decode(simd)) === true,
    'relaxed-simd': api?.validate(decode(relaxed)) === true,
  };
  return support;
}

/** The build `'auto'` stands for: relaxed where it validates, else plain SIMD, else none. */
export function bestKernelVariant(): SimdVariant | undefined {
  const s = kernelSupport();
  return s['relaxed-simd'] ? 'relaxed-simd' : s.simd ? 'simd' : undefined;
}

/** Why `variant` cannot run here, or undefined when it can. */
export function variantUnavailable(variant: SimdVariant | undefined): string | undefined {
  if (variant === undefined || !kernelSupport().simd) {
    return 'needs WebAssembly SIMD, which this JavaScript engine lacks';
  }
  if (!kernelSupport()[variant]) {
    return 'needs WebAssembly relaxed SIMD (Node 20: --experimental-wasm-relaxed-simd)';
  }
  return undefined;
}

const modules = new Map<SimdVariant, Module>();

/**
 * A new instance of one build on a fresh memory of `pages` pages that never grows (growing would
 * detach every view onto it). Throws linalg's `WasmUnavailableError` where the build cannot run.
 */
export function instantiate(
  variant: SimdVariant,
  pages: number,
): { memory: Memory; kernels: KernelExports } {
  const why = variantUnavailable(variant);
  if (why !== undefined) {
    throw new WasmUnavailableError(
      kernelSupport().simd ? 'NO_RELAXED_SIMD' : 'NO_SIMD',
      `@scratchnet/nn-wasm ${why}`,
    );
  }
  let module = modules.get(variant);
  if (module === undefined) {
    module = new api!.Module(decode(base64[variant]));
    modules.set(variant, module);
  }
  const memory = new api!.Memory({ initial: pages, maximum: pages });
  const instance = new api!.Instance(module, { env: { memory } });
  return { memory, kernels: instance.exports as unknown as KernelExports };
}

let sizing: KernelExports | undefined;

/** The kernels of a one-page instance, for the size functions that need no memory. */
export function kernelSizes(): KernelExports {
  sizing ??= instantiate(bestKernelVariant() ?? 'simd', 1).kernels;
  return sizing;
}
