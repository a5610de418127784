/**
 * The slice of the WebAssembly JavaScript API this package uses, typed here because the
 * TypeScript libraries we compile against (ES2023 + Node) do not declare the `WebAssembly`
 * global; taking it from `globalThis` keeps those types out of our published declarations.
 */

/** A compiled module (opaque). */
export interface WasmModule {
  readonly __wasmModule?: never;
}

/** A linear memory. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(pages: number): number;
}

/** An instance; exports are checked by the caller. */
export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (
    module: WasmModule,
    imports: Record<string, Record<string, unknown>>,
  ) => WasmInstance;
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}

/** The engine's `WebAssembly` object, or `undefined` where there is none. */
export const webAssembly: WasmApi | undefined = (globalThis as { WebAssembly?: WasmApi })
  .WebAssembly;

/** Bytes in one WebAssembly memory page. */
export const PAGE_BYTES = 65536;
