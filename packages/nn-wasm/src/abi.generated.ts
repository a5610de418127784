// Copied by scripts/build-wasm.mjs from asm/abi.ts — do not edit; run `pnpm build`.

// The boundary between the kernels (AssemblyScript, asm/) and their callers (TypeScript, src/),
// written once: scripts/build-wasm.mjs compiles the kernels against this file and copies it to
// src/abi.generated.ts, so both sides read the same numbers. Plain `export const NAME = integer`
// lines only: that is valid AssemblyScript (i32) and TypeScript (number) alike.

// Mode bits of a two-layer call.
/** Compute the gradients too (else forward only). */
export const TRAIN = 1;
/** The output layer is a softmax (else identity). */
export const SOFTMAX = 2;
/** Float32 only: measure the loss (and, without TRAIN, the correct rows of a softmax). */
export const MEASURE = 4;

/** Rows per block: a block's buffers stay in the L1 cache from one step to the next. */
export const BLOCK = 64;
/** Every buffer the callers hand out starts on a cache-line boundary. */
export const ALIGN = 64;
/** Nothing below this address is handed out: the module's static data (constant tables) lives there. */
export const FIRST_ADDRESS = 1024;
/** Where the linker puts static data (`--memoryBase`): above address 0, so null stays unused. */
export const STATIC_BASE = 64;

// A two-layer call's record: the caller writes these int32 fields (sizes, and byte addresses in
// the module's memory; 0 for "none") at one address and passes that address; the kernel writes
// its results into the last two fields.
export const CALL_MODE = 0;
/** Rows, inputs, hidden units, outputs. */
export const CALL_M = 4;
export const CALL_D = 8;
export const CALL_H = 12;
export const CALL_O = 16;
/** Inputs: dense m×d, or (when CALL_STARTS is not 0) their nonzeros in compressed rows. */
export const CALL_X = 20;
export const CALL_STARTS = 24;
export const CALL_COLUMNS = 28;
export const CALL_VALUES = 32;
/** Targets m×o (0: none, forward only). */
export const CALL_Y = 36;
/** Parameters: W1 (d×h), b1 (h), W2 (h×o), b2 (o). */
export const CALL_W1 = 40;
export const CALL_B1 = 44;
export const CALL_W2 = 48;
export const CALL_B2 = 52;
/** Outputs m×o (0: not written). */
export const CALL_P = 56;
/** Gradients, same shapes as the parameters (TRAIN only). */
export const CALL_DW1 = 60;
export const CALL_DB1 = 64;
export const CALL_DW2 = 68;
export const CALL_DB2 = 72;
/** Scratch of twoLayerWorkBytes / twoLayerWorkBytes32 bytes. */
export const CALL_WORK = 76;
/** Result (float32 with MEASURE): the loss summed over the rows, a float64. */
export const CALL_LOSS = 80;
/** Result (float32 with MEASURE and SOFTMAX, without TRAIN): rows classified correctly, int32. */
export const CALL_CORRECT = 88;
/**
 * Weighted rows: each row's share of the loss, cᵢ = wᵢ / Σ w (m float64; 0: 1/m for every row).
 * dz2's row i is then (p − y)·cᵢ, and a float32 MEASURE sums cᵢ·lossᵢ (the mean) instead of lossᵢ.
 */
export const CALL_SCALES = 92;
/** Bytes of a call record. */
export const CALL_BYTES = 96;
