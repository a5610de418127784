import { webAssembly } from './api.js';
import type { WasmModule } from './api.js';
import { relaxed, relaxedShared, simd, simdShared } from './kernels.generated.js';

/** Which WebAssembly kernel build to run: plain SIMD, or relaxed SIMD with fused multiply-add. */
export type SimdVariant = 'simd' | 'relaxed-simd';

/** What this JavaScript engine can run, found by validating the modules the package ships. */
export interface WasmSupport {
  /** WebAssembly with 128-bit SIMD: the `'simd'` kernels run. */
  readonly simd: boolean;
  /**
   * Relaxed SIMD (fused multiply-add) validates: the `'relaxed-simd'` kernels run. On by default from
   * Node 22; Node 20 needs `--experimental-wasm-relaxed-simd`.
   */
  readonly relaxedSimd: boolean;
  /** Shared WebAssembly memory (SharedArrayBuffer): `MatmulPool` can use worker threads. */
  readonly sharedMemory: boolean;
}

const base64 = {
  simd: { private: simd, shared: simdShared },
  'relaxed-simd': { private: relaxed, shared: relaxedShared },
} as const;

function decode(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function canShareMemory(): boolean {
  if (webAssembly === undefined || typeof SharedArrayBuffer !== 'function') return false;
  try {
    const memory = new webAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return memory.buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

let support: WasmSupport | undefined;

/**
 * What this engine supports, detected once: each shipped module is checked with
 * `WebAssembly.validate`, so a kernel is used only where the engine accepts its exact bytes.
 */
export function wasmSupport(): WasmSupport {
  if (support === undefined) {
    const valid = (text: string) => webAssembly?.validate(decode(text)) === true;
    const sharedMemory = canShareMemory();
    support = {
      simd: valid(simd),
      relaxedSimd: valid(relaxed),
      sharedMemory: sharedMemory && valid(simdShared),
    };
  }
  return support;
}

/** The variant `'auto'` stands for: relaxed where it validates, else plain SIMD, else none. */
export function bestVariant(): SimdVariant | undefined {
  const s = wasmSupport();
  return s.relaxedSimd ? 'relaxed-simd' : s.simd ? 'simd' : undefined;
}

/**
 * Thrown when a WebAssembly kernel is asked for on an engine that cannot run it. `code` tells a
 * caller which feature was missing.
 */
export class WasmUnavailableError extends Error {
  /**
   * `'NO_SIMD'`, `'NO_RELAXED_SIMD'`, `'NO_SHARED_MEMORY'`, or `'NO_WORKERS'` (no Node.js
   * worker_threads, for `MatmulPool`).
   */
  readonly code: 'NO_SIMD' | 'NO_RELAXED_SIMD' | 'NO_SHARED_MEMORY' | 'NO_WORKERS';

  constructor(code: WasmUnavailableError['code'], message: string) {
    super(message);
    this.name = 'WasmUnavailableError';
    this.code = code;
  }
}

/** Throws a `WasmUnavailableError` unless `variant` (and shared memory, if asked) is supported. */
export function requireVariant(variant: SimdVariant, shared: boolean): void {
  const s = wasmSupport();
  if (!s.simd) {
    throw new WasmUnavailableError('NO_SIMD', 'WebAssembly SIMD is not available in this engine');
  }
  if (variant === 'relaxed-simd' && !s.relaxedSimd) {
    throw new WasmUnavailableError(
      'NO_RELAXED_SIMD',
      'WebAssembly relaxed SIMD is not available (Node 20 needs --experimental-wasm-relaxed-simd)',
    );
  }
  if (shared && !s.sharedMemory) {
    throw new WasmUnavailableError(
      'NO_SHARED_MEMORY',
      'shared WebAssembly memory (SharedArrayBuffer) is not available in this engine',
    );
  }
}

const modules = new Map<string, WasmModule>();

/** The compiled module of one variant, compiled synchronously on first use and then cached. */
export function wasmModule(variant: SimdVariant, shared: boolean): WasmModule {
  requireVariant(variant, shared);
  const key = `${variant}/${shared ? 'shared' : 'private'}`;
  let module = modules.get(key);
  if (module === undefined) {
    module = new webAssembly!.Module(decode(base64[variant][shared ? 'shared' : 'private']));
    modules.set(key, module);
  }
  return module;
}
