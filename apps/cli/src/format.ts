/**
 * Number formatting for the plain-text output. Fixed, locale-independent formats: the output of
 * one run must read the same on every machine (and in the tests).
 */

/** A number with a fixed count of decimals; `-0.000` is shown as `0.000`. */
export function fixed(value: number, decimals: number): string {
  if (!Number.isFinite(value)) return String(value);
  const text = value.toFixed(decimals);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}

/** An integer with thin groups of three digits: `1234567` → `1,234,567`. */
export function grouped(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const rounded = Math.round(value);
  const sign = rounded < 0 ? '-' : '';
  const digits = String(Math.abs(rounded));
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A share in [0, 1] as a percentage with one decimal: `0.1234` → `12.3%`. */
export function percent(share: number): string {
  return `${fixed(share * 100, 1)}%`;
}

/**
 * A p-value the way a paper prints it: `p < 0.001` when tiny, two decimals from 0.05 up, and three
 * decimals rounded down below 0.05, so 0.0496 never prints as "0.05" beside a claim of evidence.
 */
export function pValue(p: number): string {
  if (!Number.isFinite(p)) return 'p = n/a';
  if (p < 0.001) return 'p < 0.001';
  if (p < 0.05) return `p = ${fixed(Math.floor(p * 1000 + 1e-9) / 1000, 3)}`;
  return `p = ${fixed(p, 2)}`;
}

/** Seconds with a unit a person reads: `0.8 s`, `12.3 s`, `2 min 5 s`. */
export function duration(seconds: number): string {
  if (seconds < 60) return `${fixed(seconds, 1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds - minutes * 60)} s`;
}
