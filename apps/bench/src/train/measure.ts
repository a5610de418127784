import { median } from '../measure.js';

/** Epochs whose times are dropped as warm-up before the median is taken. */
export const WARMUP_EPOCHS = 5;

/** What timing one implementation on one network found. */
export interface EpochTiming {
  /** Median milliseconds per epoch (training step + validation pass), warm-up epochs dropped. */
  msPerEpoch: number;
  /** Epochs the median was taken over. */
  epochs: number;
}

/** Turns epoch-end timestamps (the first is the start) into the median epoch time. */
export function epochTiming(stamps: readonly number[]): EpochTiming {
  const times = stamps.slice(1).map((t, i) => t - stamps[i]!);
  const kept = times.length > WARMUP_EPOCHS * 2 ? times.slice(WARMUP_EPOCHS) : times;
  return { msPerEpoch: median(kept), epochs: kept.length };
}
